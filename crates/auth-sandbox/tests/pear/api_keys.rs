//! `POST /api-keys`, `GET /api-keys` and `api_key` logins.

use auth_test_support::keys::eth_signer as signer;
use serde_json::json;

use super::sandbox;
use crate::common::{bearer, get, is_iso8601_ms, pear_login, post};

#[tokio::test]
async fn api_keys_are_created_listed_and_log_in() {
    let sb = sandbox().await;
    let s = signer(7);
    let login = pear_login(&sb.pear_url(), &s, "APITRADER").await;
    let auth = bearer(&login.body["accessToken"]);
    let keys_url = format!("{}/api-keys", sb.pear_url());
    let created = post(
        &keys_url,
        &json!({"name": "bot"}),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(created.status, 201);
    let key = created.body["apiKey"].as_str().unwrap().to_owned();
    assert_eq!(created.body["name"], "bot");
    assert!(is_iso8601_ms(created.body["createdAt"].as_str().unwrap()));
    let listed = get(&keys_url, &[("authorization", &auth)]).await;
    assert_eq!(listed.status, 200);
    assert_eq!(listed.body["apiKeys"].as_array().unwrap().len(), 1);
    assert_eq!(listed.body["apiKeys"][0]["name"], "bot");
    assert!(
        !listed.body.to_string().contains(&key),
        "the list must not reveal keys"
    );
    assert_eq!(post(&keys_url, &json!({}), &[]).await.status, 401);
    assert_eq!(get(&keys_url, &[]).await.status, 401);

    let login_url = format!("{}/auth/login", sb.pear_url());
    let body = |address: String, key: &str| json!({"method": "api_key", "address": address, "clientId": "APITRADER", "details": {"apiKey": key}});
    let ok = post(&login_url, &body(s.address().to_lowercase_hex(), &key), &[]).await;
    assert_eq!(ok.status, 200);
    let wrong_key = post(
        &login_url,
        &body(s.address().to_lowercase_hex(), "pk_nope"),
        &[],
    )
    .await;
    assert_eq!(wrong_key.status, 401);
    assert_eq!(wrong_key.body["message"], "Invalid API key");
    let other = post(
        &login_url,
        &body(signer(8).address().to_lowercase_hex(), &key),
        &[],
    )
    .await;
    assert_eq!(other.status, 401);
    // Keys issued directly work too.
    let direct = sb.issue_api_key(signer(8).address());
    let ok = post(
        &login_url,
        &body(
            signer(8).address().to_lowercase_hex(),
            direct.expose_secret(),
        ),
        &[],
    )
    .await;
    assert_eq!(ok.status, 200);
}
