//! The `metrics` feature, scraped as Prometheus scrapes it: a real exporter listening on
//! loopback, read over HTTP before and after a renewal.
#![allow(clippy::unwrap_used)]
#![cfg(feature = "metrics")]

#[path = "support/mod.rs"]
mod support;

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use auth_session::Session;
use metrics_exporter_prometheus::PrometheusBuilder;
use support::FakeAuth;

/// The scrape endpoint's whole answer body.
fn scrape(addr: SocketAddr) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /metrics HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    answer
}

/// The value of the sample whose line starts with `metric` and holds every one of
/// `labels`.
fn value(body: &str, metric: &str, labels: &[&str]) -> Option<f64> {
    body.lines()
        .filter(|line| line.starts_with(metric) && labels.iter().all(|l| line.contains(l)))
        .find_map(|line| line.rsplit(' ').next()?.parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scrape_sees_the_login_then_the_refresh_and_the_gauges_move() {
    let addr = {
        let probe = TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap()
    };
    PrometheusBuilder::new()
        .with_http_listener(addr)
        .install()
        .unwrap();
    // 4-second tokens with refresh tokens: due 2 s before expiry.
    let auth = FakeAuth::new(Duration::from_secs(4), true);
    let session = Session::builder(auth.clone())
        .refresh_buffer(Duration::from_secs(2))
        .refresh_jitter(Duration::ZERO)
        .build();
    let token = session.access_token().await.unwrap();

    let first = scrape(addr);
    let labels = ["provider=\"", "identity=\""];
    assert_eq!(
        value(&first, "auth_session_logins_total", &labels),
        Some(1.0),
        "{first}"
    );
    assert_eq!(value(&first, "auth_session_refreshes_total", &labels), None);
    let expires_first = value(
        &first,
        "auth_session_access_token_expires_in_seconds",
        &labels,
    )
    .unwrap();
    assert!((3.0..=4.0).contains(&expires_first), "{first}");
    assert!(
        !first.contains(token.expose_secret()),
        "a token in the metrics"
    );

    // Past the refresh point: the call gets the token, and a refresh runs behind it.
    tokio::time::sleep(Duration::from_millis(2_300)).await;
    session.access_token().await.unwrap();
    for _ in 0..100 {
        if auth.state().refreshes() == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(auth.state().refreshes(), 1);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    session.access_token().await.unwrap(); // a new second: the gauges are set again

    let second = scrape(addr);
    assert_eq!(
        value(&second, "auth_session_logins_total", &labels),
        Some(1.0)
    );
    assert_eq!(
        value(&second, "auth_session_refreshes_total", &labels),
        Some(1.0),
        "{second}"
    );
    let expires_second = value(
        &second,
        "auth_session_access_token_expires_in_seconds",
        &labels,
    )
    .unwrap();
    assert_ne!(expires_first, expires_second, "the expiry gauge moved");
    let age = value(&second, "auth_session_refresh_token_age_seconds", &labels).unwrap();
    assert!(
        (0.5..4.0).contains(&age),
        "the refresh token's age: {second}"
    );
    let renewals = value(
        &second,
        "auth_session_renewal_seconds_count",
        &["by=\"refresh\""],
    );
    assert_eq!(renewals, Some(1.0), "{second}");
    for secret in ["access-1", "access-2", "refresh-1", "refresh-2"] {
        assert!(!second.contains(secret), "a token in the metrics");
    }
}
