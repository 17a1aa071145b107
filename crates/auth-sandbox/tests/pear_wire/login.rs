//! WIRE.md, "login body" and "login timestamps".

use auth_test_support::keys::eth_signer as signer;
use serde_json::json;

use super::sandbox;
use crate::common::{eip712_login_body, now_secs, post};

/// WIRE.md, "login body": `details.timestamp` is required for `eip712`, 401 without it.
#[tokio::test]
async fn eip712_login_without_a_timestamp_is_401() {
    let sb = sandbox().await;
    let s = signer(15);
    let mut body = eip712_login_body(&s, Some("APITRADER"), now_secs());
    body["details"].as_object_mut().unwrap().remove("timestamp");
    let reply = post(&format!("{}/auth/login", sb.pear_url()), &body, &[]).await;
    assert_eq!(reply.status, 401, "{:?}", reply.body);
    assert_eq!(reply.body["error"], "Unauthorized");
    assert_eq!(reply.body["statusCode"], 401);
    assert!(reply.body["message"].as_str().unwrap().contains("imestamp"));
    body["details"]["timestamp"] = json!(null);
    let reply = post(&format!("{}/auth/login", sb.pear_url()), &body, &[]).await;
    assert_eq!(reply.status, 401, "null is no timestamp: {:?}", reply.body);
    let c = sb.counters();
    assert_eq!((c.pear_login_refusals, c.pear_logins), (2, 0));
}

/// WIRE.md, "login body": optional `details.chainId`, a number.
#[tokio::test]
async fn eip712_login_accepts_an_optional_numeric_chain_id() {
    let sb = sandbox().await;
    let s = signer(16);
    let url = format!("{}/auth/login", sb.pear_url());
    let now = now_secs();
    let mut body = eip712_login_body(&s, Some("APITRADER"), now);
    body["details"]["chainId"] = json!("42161");
    let reply = post(&url, &body, &[]).await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.body["message"], "details.chainId must be a number");
    body["details"]["chainId"] = json!(42161);
    let reply = post(&url, &body, &[]).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
}

/// WIRE.md, "login timestamps": single use per `(address, timestamp)`, whatever the
/// form of the message; only a verified login uses one up.
#[tokio::test]
async fn a_login_timestamp_works_once() {
    let sb = sandbox().await;
    let (s, attacker) = (signer(17), signer(18));
    let url = format!("{}/auth/login", sb.pear_url());
    let now = now_secs();
    // A forgery with the victim's timestamp does not use it up.
    let mut forged = eip712_login_body(&attacker, Some("APITRADER"), now);
    forged["address"] = json!(s.address().to_lowercase_hex());
    let reply = post(&url, &forged, &[]).await;
    assert_eq!(reply.body["message"], "Invalid signature");

    let body = eip712_login_body(&s, Some("APITRADER"), now);
    assert_eq!(post(&url, &body, &[]).await.status, 200);
    let again = post(&url, &body, &[]).await;
    assert_eq!(again.status, 401);
    assert_eq!(
        again.body,
        json!({"message": "Timestamp already used", "error": "Unauthorized", "statusCode": 401})
    );
    // A fresh signature over the other form of the message, same timestamp: still used.
    let other_form = post(&url, &eip712_login_body(&s, None, now), &[]).await;
    assert_eq!(other_form.status, 401);
    assert_eq!(other_form.body["message"], "Timestamp already used");
    // Another timestamp logs in, and so does another wallet with the same timestamp.
    assert_eq!(
        post(
            &url,
            &eip712_login_body(&s, Some("APITRADER"), now - 1),
            &[]
        )
        .await
        .status,
        200
    );
    assert_eq!(
        post(
            &url,
            &eip712_login_body(&attacker, Some("APITRADER"), now),
            &[]
        )
        .await
        .status,
        200
    );
    let c = sb.counters();
    assert_eq!(
        (
            c.pear_logins,
            c.pear_timestamp_reuses,
            c.pear_login_refusals
        ),
        (3, 2, 3)
    );
}

/// Concurrent logins with one signature: exactly one gets in.
#[tokio::test]
async fn concurrent_logins_with_one_timestamp_let_exactly_one_in() {
    let sb = sandbox().await;
    let url = format!("{}/auth/login", sb.pear_url());
    let body = eip712_login_body(&signer(19), Some("APITRADER"), now_secs());
    let replies = futures_join(&url, &body, 8).await;
    assert_eq!(
        replies.iter().filter(|s| **s == 200).count(),
        1,
        "{replies:?}"
    );
    assert_eq!(
        replies.iter().filter(|s| **s == 401).count(),
        7,
        "{replies:?}"
    );
    assert_eq!(sb.counters().pear_timestamp_reuses, 7);
}

async fn futures_join(url: &str, body: &serde_json::Value, n: usize) -> Vec<u16> {
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let (url, body) = (url.to_owned(), body.clone());
            tokio::spawn(async move { post(&url, &body, &[]).await.status.as_u16() })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    statuses
}
