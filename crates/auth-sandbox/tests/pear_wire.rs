//! The Pear API of the sandbox against `spec/WIRE.md`: what the live service does beyond
//! or unlike the specification text, one test (or more) per row the sandbox serves.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod common;

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_signing::eip712::TypedData;
use auth_test_support::keys::eth_signer as signer;
use auth_test_support::sandbox::whoami;
use auth_transport::http::Method;
use common::{
    bearer, eip712_login_body, get, is_iso8601_ms, now_secs, pear_login, post, raw_post,
    send_bytes, token,
};
use serde_json::json;

async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig::default()).await.unwrap()
}

/// WIRE.md, "message request": without `clientId` the message has no `clientId`. The
/// sandbox's reading: neither the message nor the `Authentication` type has the member,
/// and a signature over that message logs in.
#[tokio::test]
async fn eip712_message_without_client_id_has_no_client_id_and_logs_in() {
    let sb = sandbox().await;
    let s = signer(14);
    let address = s.address().to_lowercase_hex();
    let reply = get(
        &format!("{}/auth/eip712-message?address={address}", sb.pear_url()),
        &[],
    )
    .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    let message = reply.body["message"].as_object().unwrap();
    assert!(!message.contains_key("clientId"), "{message:?}");
    assert_eq!(message["address"], address.as_str());
    assert_eq!(message["timestamp"], reply.body["timestamp"]);
    let fields: Vec<&str> = reply.body["types"]["Authentication"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["address", "timestamp", "action"]);
    // auth-signing signs what was served; the sandbox checks it with its own digest.
    let timestamp = reply.body["timestamp"].as_u64().unwrap();
    let typed = TypedData::from_json_value(reply.body).unwrap();
    let signature = s.sign_typed_data(&typed).unwrap().to_string();
    assert_eq!(
        eip712_login_body(&s, None, timestamp)["details"]["signature"],
        signature.as_str(),
        "the test's own message is the one served"
    );
    let login = post(
        &format!("{}/auth/login", sb.pear_url()),
        &json!({"method": "eip712", "address": address, "clientId": "APITRADER",
                "details": {"signature": signature, "timestamp": timestamp}}),
        &[],
    )
    .await;
    assert_eq!(login.status, 200, "{:?}", login.body);
    assert_eq!(login.body["clientId"], "APITRADER");
}

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

/// The member names of a JSON object, sorted.
fn field_names(object: &serde_json::Value) -> Vec<String> {
    let mut names: Vec<String> = object.as_object().unwrap().keys().cloned().collect();
    names.sort();
    names
}

/// WIRE.md, `GET /api-keys` and `POST /api-keys`: the object shape, ISO dates, and
/// `lastUsedAt` set by a login with the key.
#[tokio::test]
async fn api_key_list_is_an_object_with_iso_dates_and_last_use() {
    let sb = sandbox().await;
    let s = signer(20);
    let login = pear_login(&sb.pear_url(), &s, "APITRADER").await;
    let auth = bearer(&login.body["accessToken"]);
    let keys_url = format!("{}/api-keys", sb.pear_url());
    let named = post(
        &keys_url,
        &json!({"name": "bot"}),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(named.status, 201);
    assert_eq!(
        field_names(&named.body),
        ["apiKey", "createdAt", "id", "name"]
    );
    // No body at all: a key without a name.
    let unnamed = send_bytes(
        Method::POST,
        &keys_url,
        bytes::Bytes::new(),
        &[("authorization", &auth)],
    )
    .await
    .unwrap();
    assert_eq!(unnamed.status, 201);
    assert_eq!(unnamed.body["name"], json!(null));
    // Another wallet's key is not listed.
    sb.issue_api_key(signer(21).address());

    let listed = get(&keys_url, &[("authorization", &auth)]).await;
    assert_eq!(listed.status, 200);
    let list = listed.body["apiKeys"].as_array().unwrap();
    assert_eq!(list.len(), 2, "{:?}", listed.body);
    for (entry, created) in list.iter().zip([&named, &unnamed]) {
        assert_eq!(
            field_names(entry),
            ["createdAt", "id", "isActive", "lastUsedAt", "name"]
        );
        assert_eq!(entry["id"], created.body["id"]);
        assert_eq!(entry["createdAt"], created.body["createdAt"]);
        assert!(
            is_iso8601_ms(entry["createdAt"].as_str().unwrap()),
            "{entry}"
        );
        assert_eq!(entry["isActive"], true);
        assert_eq!(entry["lastUsedAt"], json!(null));
    }
    assert_eq!(list[0]["name"], "bot");
    assert_eq!(list[1]["name"], json!(null));

    let key = named.body["apiKey"].as_str().unwrap();
    let key_login = post(
        &format!("{}/auth/login", sb.pear_url()),
        &json!({"method": "api_key", "address": s.address().to_lowercase_hex(),
                "clientId": "APITRADER", "details": {"apiKey": key}}),
        &[],
    )
    .await;
    assert_eq!(key_login.status, 200);
    let listed = get(&keys_url, &[("authorization", &auth)]).await;
    let list = listed.body["apiKeys"].as_array().unwrap();
    let used = list[0]["lastUsedAt"].as_str().unwrap();
    assert!(is_iso8601_ms(used), "{used}");
    assert!(used >= list[0]["createdAt"].as_str().unwrap());
    assert_eq!(
        list[1]["lastUsedAt"],
        json!(null),
        "the other key was not used"
    );
}

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

/// Refresh-token reuse: with family revocation off only the replayed token is refused;
/// on, the whole login session dies.
#[tokio::test]
async fn refresh_token_reuse_revokes_the_family_only_when_configured() {
    for revoke in [false, true] {
        let sb = Sandbox::start(SandboxConfig::default().with_revoke_family_on_reuse(revoke))
            .await
            .unwrap();
        let login = pear_login(&sb.pear_url(), &signer(23), "APITRADER").await;
        let bystander = pear_login(&sb.pear_url(), &signer(24), "APITRADER").await;
        let url = format!("{}/auth/refresh", sb.pear_url());
        let first = json!({"refreshToken": login.body["refreshToken"]});
        let rotated = post(&url, &first, &[]).await;
        assert_eq!(rotated.status, 200);
        let reused = post(&url, &first, &[]).await;
        assert_eq!(reused.status, 401);
        assert_eq!(
            reused.body["message"],
            "Refresh token has already been used"
        );
        let live = if revoke { 401 } else { 200 };
        assert_eq!(
            whoami(&sb, &token(&rotated.body["accessToken"])).await,
            live,
            "revoke {revoke}"
        );
        assert_eq!(whoami(&sb, &token(&login.body["accessToken"])).await, live);
        let next = post(
            &url,
            &json!({"refreshToken": rotated.body["refreshToken"]}),
            &[],
        )
        .await;
        assert_eq!(next.status, live, "revoke {revoke}");
        assert_eq!(
            whoami(&sb, &token(&bystander.body["accessToken"])).await,
            200
        );
        let c = sb.counters();
        assert_eq!(c.refused_reuses, 1);
        assert_eq!(c.families_revoked, u64::from(revoke));
    }
}
