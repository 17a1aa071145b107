//! The kit's send path over a scripted transport: what goes out, what comes back.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use auth_provider::{ApiClient, ApiError, ClientConfig, Failure, JsonBody};
use auth_transport::bytes::Bytes;
use auth_transport::http::header::ORIGIN;
use auth_transport::http::{Request, Response, StatusCode};
use auth_transport::{TransportError, from_fn};
use auth_types::AccessToken;

type Seen = Arc<Mutex<Vec<Request<Bytes>>>>;

/// A client whose transport keeps every request and answers `status` with `body`.
fn scripted(status: u16, body: &'static str, headers: &[(&str, &str)]) -> (ApiClient, Seen) {
    let seen: Seen = Arc::default();
    let log = Arc::clone(&seen);
    let extra: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let transport = from_fn(move |request: Request<Bytes>| {
        log.lock().unwrap().push(request);
        let mut response = Response::builder().status(status);
        for (k, v) in &extra {
            response = response.header(k, v);
        }
        let response = response.body(Bytes::from_static(body.as_bytes())).unwrap();
        async move { Ok(response) }
    });
    let mut config = ClientConfig::new("Example", "http://127.0.0.1:9/v1/");
    config.set_transport(Arc::new(transport));
    config
        .default_header(ORIGIN, "https://example.com", "origin")
        .unwrap();
    (config.build().unwrap(), seen)
}

#[tokio::test]
async fn requests_carry_the_path_query_body_and_headers() {
    let (client, seen) = scripted(200, r#"{"ok":true}"#, &[]);
    assert_eq!(client.base_url(), "http://127.0.0.1:9/v1");
    let answer: serde_json::Value = client
        .post("/login")
        .query("address", "0xAb")
        .query("note", "a b&c")
        .bearer(&AccessToken::new("eyJ.token.1"))
        .json(
            JsonBody::new()
                .field("method", "api_key")
                .secret("apiKey", "pk_1234"),
        )
        .send_json()
        .await
        .unwrap();
    assert_eq!(answer["ok"], true);
    let seen = seen.lock().unwrap();
    let request = &seen[0];
    assert_eq!(request.method(), "POST");
    assert_eq!(
        request.uri().to_string(),
        "http://127.0.0.1:9/v1/login?address=0xAb&note=a%20b%26c"
    );
    assert_eq!(request.headers()["accept"], "application/json");
    assert_eq!(request.headers()["content-type"], "application/json");
    assert_eq!(request.headers()["origin"], "https://example.com");
    assert_eq!(request.headers()["authorization"], "Bearer eyJ.token.1");
    assert!(request.headers()["authorization"].is_sensitive());
    assert_eq!(
        request.body().as_ref(),
        br#"{"apiKey":"pk_1234","method":"api_key"}"#
    );
}

#[tokio::test]
async fn a_get_has_no_body_and_no_content_type() {
    let (client, seen) = scripted(200, "[]", &[]);
    let list: Vec<u8> = client.get("/keys").send_json().await.unwrap();
    assert!(list.is_empty());
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].method(), "GET");
    assert!(seen[0].body().is_empty());
    assert!(seen[0].headers().get("content-type").is_none());
}

#[tokio::test]
async fn a_token_that_cannot_be_a_header_is_a_local_error_and_nothing_is_sent() {
    let (client, seen) = scripted(200, "{}", &[]);
    let err = client
        .get("/me")
        .bearer(&AccessToken::new("bad\ntoken"))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            ApiError::InvalidHeader {
                header: "authorization",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.may_have_reached_server());
    assert!(seen.lock().unwrap().is_empty());
    assert!(!err.to_string().contains("bad"));
}

#[tokio::test]
async fn refusals_carry_status_messages_and_retry_after() {
    let (client, _) = scripted(
        429,
        r#"{"message":["slow down","really"],"statusCode":429}"#,
        &[("retry-after", "7")],
    );
    let err = client.get("/x").send().await.unwrap_err();
    match &err {
        ApiError::Refused {
            status, messages, ..
        } => {
            assert_eq!(*status, StatusCode::TOO_MANY_REQUESTS);
            assert_eq!(messages, &["slow down", "really"]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(Failure::retry_after(&err), Some(Duration::from_secs(7)));
    assert!(err.is_transient());
    assert_eq!(
        err.to_string(),
        "Example rate limit reached (429 Too Many Requests): slow down; really; retry after 7s"
    );
}

#[tokio::test]
async fn a_success_that_does_not_decode_is_malformed_with_its_status() {
    let (client, _) = scripted(201, r#"{"token": 5}"#, &[]);
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Login {
        token: String,
    }
    let err = client
        .post("/login")
        .send_json::<Login>()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::CREATED));
    assert!(err.decode_error().is_some());
    assert!(err.to_string().contains("`token`"), "{err}");
}

#[tokio::test]
async fn transport_failures_say_whether_the_request_may_have_arrived() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let transport = from_fn(move |_request: Request<Bytes>| {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        async move {
            Err(if n == 0 {
                TransportError::Connect {
                    host: "127.0.0.1:9".to_owned(),
                    source: "refused".into(),
                }
            } else {
                TransportError::Timeout {
                    after: Duration::from_secs(30),
                }
            })
        }
    });
    let mut config = ClientConfig::new("Example", "http://127.0.0.1:9");
    config.set_transport(Arc::new(transport));
    let client = config.build().unwrap();
    let never = client.post("/a").send().await.unwrap_err();
    assert!(!never.may_have_reached_server());
    assert!(never.is_transient());
    let maybe = client.post("/a").send().await.unwrap_err();
    assert!(maybe.may_have_reached_server());
    assert!(maybe.to_string().starts_with("request to Example failed"));
}

#[test]
fn settings_are_checked_when_the_client_is_built() {
    let build = |url: &str| {
        let mut config = ClientConfig::new("Example", url);
        config.set_transport(Arc::new(from_fn(|_r: Request<Bytes>| async {
            Ok(Response::new(Bytes::new()))
        })));
        config.build()
    };
    for url in [
        "http://example.com",
        "https://example.com/?q=1",
        "not a url",
    ] {
        let err = build(url).unwrap_err();
        assert!(
            matches!(
                err,
                ApiError::Config {
                    setting: "base URL",
                    ..
                }
            ),
            "{url}: {err:?}"
        );
    }
    let mut config = ClientConfig::new("Example", "https://example.com");
    let err = config
        .default_header(ORIGIN, "bad\nvalue", "origin")
        .unwrap_err();
    assert!(matches!(
        err,
        ApiError::Config {
            setting: "origin",
            ..
        }
    ));
}

#[test]
fn public_types_are_send_sync_and_errors_are_std_errors() {
    fn assert_send_sync<T: Send + Sync>() {}
    fn assert_error<E: std::error::Error + Send + Sync + 'static>() {}
    assert_send_sync::<ApiClient>();
    assert_send_sync::<JsonBody>();
    assert_send_sync::<ClientConfig>();
    assert_error::<ApiError>();
    let boxed: Box<dyn Failure> = Box::new(ApiError::Request {
        api: "Example",
        reason: "x".to_owned(),
    });
    assert_eq!(boxed.http_status(), None);
    assert!(!boxed.may_have_reached_server());
}
