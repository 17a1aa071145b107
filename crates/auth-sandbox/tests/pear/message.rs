//! `GET /auth/eip712-message`: its shape, its refusals, and hostile mode.

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_signing::eip712::TypedData;
use auth_test_support::keys::eth_signer as signer;
use serde_json::json;

use super::sandbox;
use crate::common::get;

#[tokio::test]
async fn eip712_message_has_the_live_servers_shape() {
    let sb = sandbox().await;
    let s = signer(1);
    let checksummed = s.address().to_string();
    let reply = get(
        &format!(
            "{}/auth/eip712-message?address={checksummed}&clientId=APITRADER",
            sb.pear_url()
        ),
        &[],
    )
    .await;
    assert_eq!(reply.status, 200);
    let body = &reply.body;
    assert!(body["types"].get("EIP712Domain").is_none());
    assert_eq!(body["domain"]["name"], "Pear Protocol");
    assert_eq!(body["domain"]["version"], "1");
    assert_eq!(body["domain"]["chainId"], 42161);
    assert_eq!(
        body["domain"]["verifyingContract"],
        "0x0000000000000000000000000000000000000001"
    );
    assert_eq!(body["primaryType"], "Authentication");
    assert_eq!(body["message"]["address"], s.address().to_lowercase_hex());
    assert_eq!(body["message"]["action"], "authenticate");
    assert_eq!(body["message"]["clientId"], "APITRADER");
    assert_eq!(body["message"]["timestamp"], body["timestamp"]);
    TypedData::from_json_value(reply.body).unwrap();
    assert_eq!(sb.counters().pear_messages, 1);
}

#[tokio::test]
async fn eip712_message_refuses_bad_parameters_with_a_list() {
    let sb = sandbox().await;
    let reply = get(
        &format!(
            "{}/auth/eip712-message?address=0x12&clientId=",
            sb.pear_url()
        ),
        &[],
    )
    .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body["message"],
        json!([
            "address must be an Ethereum address",
            "clientId should not be empty"
        ])
    );
    assert_eq!(reply.body["statusCode"], 400);
    assert_eq!(reply.body["error"], "Bad Request");
    // Without clientId the address is still checked.
    let reply = get(
        &format!("{}/auth/eip712-message?address=0x12", sb.pear_url()),
        &[],
    )
    .await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.body["message"], "address must be an Ethereum address");
    assert_eq!(sb.counters().pear_messages, 0);
}

#[tokio::test]
async fn hostile_mode_hands_out_a_token_approval() {
    let sb = Sandbox::start(SandboxConfig::default().with_hostile(true))
        .await
        .unwrap();
    let address = signer(11).address().to_lowercase_hex();
    let reply = get(
        &format!(
            "{}/auth/eip712-message?address={address}&clientId=APITRADER",
            sb.pear_url()
        ),
        &[],
    )
    .await;
    assert_eq!(reply.body["primaryType"], "Permit");
    assert_eq!(reply.body["domain"]["name"], "USD Coin");
    sb.set_hostile(false);
    let reply = get(
        &format!(
            "{}/auth/eip712-message?address={address}&clientId=APITRADER",
            sb.pear_url()
        ),
        &[],
    )
    .await;
    assert_eq!(reply.body["primaryType"], "Authentication");
}
