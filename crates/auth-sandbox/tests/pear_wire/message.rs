//! WIRE.md, "message request".

use auth_signing::eip712::TypedData;
use auth_test_support::keys::eth_signer as signer;
use serde_json::json;

use super::sandbox;
use crate::common::{eip712_login_body, get, post};

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
