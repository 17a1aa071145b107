//! The behaviours every `HttpTransport` backend must show, written once. A backend's test
//! file calls `conformance_suite!(make)`, where `make` builds the backend from a
//! `TransportConfig`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use auth_transport::bytes::Bytes;
use auth_transport::http::{Request, StatusCode};
use auth_transport::{HttpTransport, TransportConfig, TransportError};

use super::server::TestServer;

/// Builds the backend under test.
pub type Make = fn(TransportConfig) -> Arc<dyn HttpTransport>;

fn get(url: &str) -> Request<Bytes> {
    Request::get(url).body(Bytes::new()).expect("valid request")
}

fn json(body: &Bytes) -> serde_json::Value {
    serde_json::from_slice(body).expect("server sent JSON")
}

pub async fn get_and_post_with_headers_and_json(make: Make) {
    let server = TestServer::start().await;
    let t = make(TransportConfig::default());
    let mut request = get(&server.url("/echo?x=1&y=two"));
    request
        .headers_mut()
        .insert("x-custom", "value-1".parse().expect("header"));
    let response = t.send(request).await.expect("GET succeeds");
    assert_eq!(response.status(), StatusCode::OK);
    let echo = json(response.body());
    assert_eq!(echo["method"], "GET");
    assert_eq!(echo["query"], "x=1&y=two");
    assert_eq!(echo["headers"]["x-custom"], "value-1");
    let ua = echo["headers"]["user-agent"].as_str().unwrap_or_default();
    assert!(ua.starts_with("auth-transport/"), "user agent {ua}");

    let body = serde_json::json!({"method": "eip712", "details": {"timestamp": 1}});
    let request = auth_transport::http::Request::post(server.url("/echo"))
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .body(Bytes::from(body.to_string()))
        .expect("json request");
    let response = t.send(request).await.expect("POST succeeds");
    let echo = json(response.body());
    assert_eq!(echo["method"], "POST");
    assert_eq!(echo["headers"]["content-type"], "application/json");
    assert_eq!(echo["headers"]["accept"], "application/json");
    let sent: serde_json::Value =
        serde_json::from_str(echo["body"].as_str().unwrap_or_default()).expect("body JSON");
    assert_eq!(sent, body);
}

pub async fn own_user_agent_is_kept(make: Make) {
    let server = TestServer::start().await;
    let t = make(TransportConfig::default());
    let mut request = get(&server.url("/echo"));
    request
        .headers_mut()
        .insert("user-agent", "my-bot/2".parse().expect("header"));
    let echo = json(t.send(request).await.expect("GET").body());
    assert_eq!(echo["headers"]["user-agent"], "my-bot/2");
}

pub async fn statuses_and_headers_pass_through(make: Make) {
    let server = TestServer::start().await;
    let t = make(TransportConfig::default());
    for code in [200u16, 201, 204, 400, 401, 403, 404, 429, 500, 502, 503] {
        let response = t
            .send(get(&server.url(&format!("/status/{code}"))))
            .await
            .unwrap_or_else(|e| panic!("status {code} must be a response, got {e}"));
        assert_eq!(response.status().as_u16(), code);
        assert_eq!(response.headers()["x-test"], "kept");
        if code != 204 {
            assert_eq!(json(response.body())["statusCode"], code);
        }
    }
}

pub async fn redirects_are_not_followed(make: Make) {
    let server = TestServer::start().await;
    let t = make(TransportConfig::default());
    let response = t.send(get(&server.url("/redirect"))).await.expect("302");
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.headers()["location"], "/echo");
}

pub async fn set_cookie_is_readable(make: Make) {
    let server = TestServer::start().await;
    let t = make(TransportConfig::default());
    let response = t.send(get(&server.url("/cookie"))).await.expect("cookie");
    let cookies: Vec<&str> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert_eq!(cookies, ["auth_token=abc.def; Path=/; HttpOnly", "other=1"]);
}

pub async fn chunked_bodies_are_assembled(make: Make) {
    let server = TestServer::start().await;
    let t = make(TransportConfig::default());
    let response = t.send(get(&server.url("/chunked"))).await.expect("chunked");
    assert_eq!(response.body().as_ref(), b"hello chunked world");
}

pub async fn body_cap_is_enforced(make: Make) {
    let server = TestServer::start().await;
    let t = make(TransportConfig::default().with_max_body_bytes(1024));
    let exact = t
        .send(get(&server.url("/big/1024")))
        .await
        .expect("at the cap");
    assert_eq!(exact.body().len(), 1024);
    let over = t.send(get(&server.url("/big/1025"))).await;
    assert!(
        matches!(over, Err(TransportError::BodyTooLarge { limit: 1024 })),
        "{over:?}"
    );
    // Without a declared length the cap applies while streaming: 8 MiB is refused with the
    // default 1 MiB cap.
    let t = make(TransportConfig::default());
    let streamed = t
        .send(get(
            &server.url(&format!("/big-chunked/{}", 8 * 1024 * 1024))
        ))
        .await;
    assert!(
        matches!(streamed, Err(TransportError::BodyTooLarge { limit }) if limit == 1024 * 1024),
        "{streamed:?}"
    );
}

pub async fn a_server_that_never_answers_times_out(make: Make) {
    let server = TestServer::start().await;
    let timeout = Duration::from_millis(300);
    let t = make(TransportConfig::default().with_request_timeout(timeout));
    let started = Instant::now();
    let result = t.send(get(&server.url("/hang"))).await;
    let elapsed = started.elapsed();
    match result {
        Err(e @ TransportError::Timeout { .. }) => {
            assert!(e.may_have_reached_server());
            assert!(e.is_retryable());
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(elapsed >= timeout, "returned early: {elapsed:?}");
    assert!(
        elapsed < Duration::from_secs(10),
        "timeout not enforced: {elapsed:?}"
    );
}

pub async fn connection_refused_never_reached_the_server(make: Make) {
    // A port that was just free: bind, note it, close.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let t = make(TransportConfig::default());
    let result = t.send(get(&format!("http://127.0.0.1:{port}/echo"))).await;
    match result {
        Err(e @ TransportError::Connect { .. }) => {
            assert!(!e.may_have_reached_server());
            assert!(e.is_retryable());
            assert!(e.to_string().contains(&format!("127.0.0.1:{port}")));
        }
        other => panic!("expected a connect error, got {other:?}"),
    }
}

pub async fn a_connection_closed_mid_body_is_an_error(make: Make) {
    let server = TestServer::start().await;
    let t = make(TransportConfig::default());
    let result = t.send(get(&server.url("/close-mid-body"))).await;
    match result {
        Err(e @ TransportError::Io { .. }) => assert!(e.may_have_reached_server()),
        other => panic!("expected an i/o error, got {other:?}"),
    }
}

pub async fn two_hundred_requests_in_flight(make: Make) {
    let server = TestServer::start().await;
    let t = make(TransportConfig::default());
    let url = server.url("/wait-for/200");
    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let t = t.clone();
            let url = url.clone();
            tokio::spawn(async move { t.send(get(&url)).await })
        })
        .collect();
    for task in tasks {
        let response = task.await.expect("task").expect("request");
        assert_eq!(response.body().as_ref(), b"done");
    }
    assert_eq!(
        server
            .max_in_flight
            .load(std::sync::atomic::Ordering::SeqCst),
        200,
        "the server never saw all 200 requests at once"
    );
}

/// Expands to one `#[tokio::test]` per behaviour above, for the backend `make`.
#[macro_export]
macro_rules! conformance_suite {
    ($make:expr) => {
        $crate::conformance_suite!(@tests $make;
            get_and_post_with_headers_and_json,
            own_user_agent_is_kept,
            statuses_and_headers_pass_through,
            redirects_are_not_followed,
            set_cookie_is_readable,
            chunked_bodies_are_assembled,
            body_cap_is_enforced,
            a_server_that_never_answers_times_out,
            connection_refused_never_reached_the_server,
            a_connection_closed_mid_body_is_an_error,
            two_hundred_requests_in_flight,
        );
    };
    (@tests $make:expr; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                support::conformance::$name($make).await;
            }
        )*
    };
}
