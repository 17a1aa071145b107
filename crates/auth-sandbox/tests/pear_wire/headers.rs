//! `Content-Type` and `Accept` on POSTs, as express under NestJS treats them.

use auth_test_support::keys::eth_signer as signer;
use auth_transport::http::Method;
use serde_json::json;

use super::sandbox;
use crate::common::{eip712_login_body, get, now_secs, post, raw_post, send_bytes};

/// A POST whose `Content-Type` is not JSON has its body ignored, as express does: a valid
/// login sent as text/plain gets the 400 list of an empty body.
#[tokio::test]
async fn a_body_without_a_json_content_type_is_ignored() {
    let sb = sandbox().await;
    let url = format!("{}/auth/login", sb.pear_url());
    let s = signer(22);
    let now = now_secs();
    let body = bytes::Bytes::from(
        serde_json::to_vec(&eip712_login_body(&s, Some("APITRADER"), now)).unwrap(),
    );
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let headers: Vec<(&str, &str)> =
            content_type.iter().map(|c| ("content-type", *c)).collect();
        let reply = send_bytes(Method::POST, &url, body.clone(), &headers)
            .await
            .unwrap();
        assert_eq!(reply.status, 400, "{content_type:?}");
        assert_eq!(
            reply.body["message"].as_array().map(Vec::len),
            Some(4),
            "{:?}",
            reply.body
        );
    }
    assert_eq!(sb.counters().pear_logins, 0);
    // With parameters it is JSON.
    let reply = send_bytes(
        Method::POST,
        &url,
        body,
        &[("content-type", "application/json; charset=utf-8")],
    )
    .await
    .unwrap();
    assert_eq!(reply.status, 200, "{:?}", reply.body);
}

/// POSTs without an `Accept` that admits JSON are served, and counted.
#[tokio::test]
async fn posts_without_a_json_accept_are_counted() {
    let sb = sandbox().await;
    let base = sb.pear_url();
    let json = ("content-type", "application/json");
    let refresh = r#"{"refreshToken":"x.y.z"}"#;
    assert_eq!(
        raw_post(&base, "/auth/refresh", &[json], refresh).await,
        401
    );
    assert_eq!(sb.counters().json_posts_without_accept, 1);
    let accept = ("accept", "application/json");
    assert_eq!(
        raw_post(&base, "/auth/refresh", &[json, accept], refresh).await,
        401
    );
    // reqwest sends `Accept: */*`.
    post(
        &format!("{base}/auth/refresh"),
        &json!({"refreshToken": "x"}),
        &[],
    )
    .await;
    assert_eq!(sb.counters().json_posts_without_accept, 1);
    let html = ("accept", "text/html");
    assert_eq!(
        raw_post(&base, "/auth/refresh", &[json, html], refresh).await,
        401
    );
    // GETs are not counted.
    get(
        &format!("{base}/sandbox/whoami"),
        &[("accept", "text/html")],
    )
    .await;
    assert_eq!(sb.counters().json_posts_without_accept, 2);
}
