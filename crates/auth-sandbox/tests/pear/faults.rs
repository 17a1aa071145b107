//! What surrounds the endpoints: the rate limit, injected faults, unknown paths.

use std::time::Duration;

use auth_sandbox::{Faults, Sandbox, SandboxConfig};
use auth_test_support::keys::eth_signer as signer;
use auth_transport::TransportError;
use auth_transport::http::Method;
use serde_json::json;

use super::sandbox;
use crate::common::{get, pear_login, post, send};

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after() {
    let sb = Sandbox::start(SandboxConfig::default().with_rate_limit(2, Duration::from_secs(60)))
        .await
        .unwrap();
    let url = format!("{}/sandbox/whoami", sb.pear_url());
    assert_eq!(get(&url, &[]).await.status, 401);
    assert_eq!(get(&url, &[]).await.status, 401);
    let limited = get(&url, &[]).await;
    assert_eq!(limited.status, 429);
    let wait: u64 = limited.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
    assert_eq!(limited.body["statusCode"], 429);
    assert_eq!(sb.counters().faults_429, 1);
}

#[tokio::test]
async fn injected_faults() {
    let sb = sandbox().await;
    let url = format!("{}/sandbox/whoami", sb.pear_url());
    sb.set_faults(Faults::none().with_error_500(1.0));
    let reply = get(&url, &[]).await;
    assert_eq!(reply.status, 500);
    assert_eq!(reply.body["statusCode"], 500);

    sb.set_faults(Faults::none().with_rate_limited(1.0));
    let reply = get(&url, &[]).await;
    assert_eq!(reply.status, 429);
    assert_eq!(reply.headers["retry-after"], "1");

    sb.set_faults(Faults::none().with_drop_before(1.0));
    let dropped = send(Method::GET, &url, None, &[]).await;
    assert!(
        matches!(dropped, Err(TransportError::Io { .. })),
        "{:?}",
        dropped.err()
    );

    // Dropped after processing: the refresh happened (the token is spent) but the
    // client never saw the answer.
    sb.set_faults(Faults::none());
    let login = pear_login(&sb.pear_url(), &signer(12), "APITRADER").await;
    sb.set_faults(Faults::none().with_drop_after(1.0));
    let refresh_url = format!("{}/auth/refresh", sb.pear_url());
    let body = json!({"refreshToken": login.body["refreshToken"]});
    let lost = send(Method::POST, &refresh_url, Some(&body), &[]).await;
    assert!(matches!(lost, Err(TransportError::Io { .. })));
    sb.set_faults(Faults::none());
    assert_eq!(post(&refresh_url, &body, &[]).await.status, 401);
    let c = sb.counters();
    assert_eq!(
        (
            c.faults_500,
            c.faults_drop_before,
            c.faults_drop_after,
            c.refused_reuses
        ),
        (1, 1, 1, 1)
    );

    sb.set_faults(Faults::none().with_delay(Duration::from_millis(50)));
    let started = std::time::Instant::now();
    get(&url, &[]).await;
    assert!(started.elapsed() >= Duration::from_millis(50));
}

#[tokio::test]
async fn unknown_paths_get_a_nest_404() {
    let sb = sandbox().await;
    let reply = get(&format!("{}/nope", sb.pear_url()), &[]).await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.body["statusCode"], 404);
}

/// A transport leaving from `local` (loopback is 127.0.0.0/8: each address is another
/// egress as the sandbox sees it).
fn from_address(local: [u8; 4]) -> auth_transport::ReqwestTransport {
    let config = auth_transport::TransportConfig::default();
    let client = auth_transport::ReqwestTransport::client_builder(&config)
        .unwrap()
        .no_proxy()
        .local_address(std::net::IpAddr::from(local))
        .build()
        .unwrap();
    auth_transport::ReqwestTransport::from_client(client, config)
}

#[tokio::test]
async fn the_egress_limit_counts_each_peer_address_apart() {
    use auth_transport::HttpTransport as _;

    let sb =
        Sandbox::start(SandboxConfig::default().with_egress_rate_limit(2, Duration::from_secs(60)))
            .await
            .unwrap();
    let url = format!("{}/sandbox/whoami", sb.pear_url());
    let ask = |transport: &auth_transport::ReqwestTransport| {
        let request = http::Request::get(url.as_str())
            .body(bytes::Bytes::new())
            .unwrap();
        let transport = transport.clone();
        async move { transport.send(request).await.unwrap() }
    };
    let a = from_address([127, 0, 0, 2]);
    let b = from_address([127, 0, 0, 3]);
    assert_eq!(ask(&a).await.status(), 401);
    assert_eq!(ask(&a).await.status(), 401);
    let limited = ask(&a).await;
    assert_eq!(limited.status(), 429);
    let wait: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Another address has its own window.
    assert_eq!(ask(&b).await.status(), 401);
    assert_eq!(ask(&b).await.status(), 401);
    assert_eq!(ask(&b).await.status(), 429);
    let counters = sb.counters();
    assert_eq!((counters.faults_429, counters.rate_limit_429), (2, 2));
    let egresses = sb.egress_counts();
    assert_eq!(egresses.len(), 2, "{egresses:?}");
    assert_eq!(egresses[0].ip, Some(std::net::IpAddr::from([127, 0, 0, 2])));
    assert_eq!((egresses[0].allowed, egresses[0].refused_429), (2, 1));
    assert_eq!((egresses[1].allowed, egresses[1].refused_429), (2, 1));
}
