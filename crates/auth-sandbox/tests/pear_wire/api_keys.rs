//! WIRE.md, `GET /api-keys` and `POST /api-keys`.

use auth_test_support::keys::eth_signer as signer;
use auth_transport::http::Method;
use serde_json::json;

use super::sandbox;
use crate::common::{bearer, get, is_iso8601_ms, pear_login, post, send_bytes};

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
