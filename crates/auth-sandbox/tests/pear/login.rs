//! `POST /auth/login`: `eip712` signatures, malformed bodies and Privy tokens.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_signing::eip712::TypedData;
use auth_test_support::keys::eth_signer as signer;
use auth_test_support::sandbox::whoami;
use serde_json::json;

use super::sandbox;
use crate::common::{bearer, get, pear_login, post, token};

#[tokio::test]
async fn eip712_login_then_protected_endpoint() {
    let sb = sandbox().await;
    let s = signer(2);
    let login = pear_login(&sb.pear_url(), &s, "APITRADER").await;
    assert_eq!(login.status, 200, "{:?}", login.body);
    assert_eq!(login.body["tokenType"], "Bearer");
    assert_eq!(login.body["expiresIn"], 900);
    assert_eq!(login.body["address"], s.address().to_lowercase_hex());
    assert_eq!(login.body["clientId"], "APITRADER");
    let who = get(
        &format!("{}/sandbox/whoami", sb.pear_url()),
        &[("authorization", &bearer(&login.body["accessToken"]))],
    )
    .await;
    assert_eq!(who.status, 200);
    assert_eq!(who.body["address"], s.address().to_lowercase_hex());
    // The refresh token is not an access token.
    assert_eq!(whoami(&sb, &token(&login.body["refreshToken"])).await, 401);
    let c = sb.counters();
    assert_eq!(
        (c.pear_logins, c.protected_ok, c.protected_refused),
        (1, 1, 1)
    );
}

#[tokio::test]
async fn eip712_login_refuses_a_wrong_signer_and_a_stale_timestamp() {
    let sb = sandbox().await;
    let (victim, attacker) = (signer(3), signer(4));
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let body_for = |timestamp: u64, by: &auth_signing::ethereum::LocalEthSigner| {
        let typed = TypedData::from_json_value(json!({
            "domain": {"name": "Pear Protocol", "version": "1", "chainId": 42161,
                       "verifyingContract": "0x0000000000000000000000000000000000000001"},
            "types": {"Authentication": [
                {"name": "address", "type": "address"}, {"name": "clientId", "type": "string"},
                {"name": "timestamp", "type": "uint256"}, {"name": "action", "type": "string"}]},
            "primaryType": "Authentication",
            "message": {"address": victim.address().to_lowercase_hex(), "clientId": "APITRADER",
                        "timestamp": timestamp, "action": "authenticate"}
        }))
        .unwrap();
        json!({
            "method": "eip712", "address": victim.address().to_lowercase_hex(), "clientId": "APITRADER",
            "details": {"signature": by.sign_typed_data(&typed).unwrap().to_string(), "timestamp": timestamp}
        })
    };
    let url = format!("{}/auth/login", sb.pear_url());
    let reply = post(&url, &body_for(now, &attacker), &[]).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.body["message"], "Invalid signature");
    let reply = post(&url, &body_for(now - 3600, &victim), &[]).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.body["message"], "Signature expired");
    let mut garbage = body_for(now, &victim);
    garbage["details"]["signature"] = json!("0x1234");
    assert_eq!(post(&url, &garbage, &[]).await.status, 401);
    // The victim's own signature works.
    assert_eq!(post(&url, &body_for(now, &victim), &[]).await.status, 200);
    assert_eq!(sb.counters().pear_login_refusals, 3);
}

#[tokio::test]
async fn malformed_login_bodies_get_400_with_every_problem() {
    let sb = sandbox().await;
    let url = format!("{}/auth/login", sb.pear_url());
    let reply = post(
        &url,
        &json!({"method": "password", "address": "0xnope", "clientId": ""}),
        &[],
    )
    .await;
    assert_eq!(reply.status, 400);
    let messages = reply.body["message"].as_array().unwrap();
    assert_eq!(messages.len(), 4, "{messages:?}");
    let reply = post(&url, &json!("not an object"), &[]).await;
    assert_eq!(reply.status, 400);
    let reply = post(
        &url,
        &json!({"method": "eip712", "address": signer(1).address().to_lowercase_hex(), "clientId": "x", "details": {}}),
        &[],
    )
    .await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.body["message"], "details.signature must be a string");
    let reply = post(
        &url,
        &json!({"method": "eip712", "address": signer(1).address().to_lowercase_hex(), "clientId": "x",
                "details": {"timestamp": "soon", "chainId": "42161"}}),
        &[],
    )
    .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body["message"],
        json!([
            "details.signature must be a string",
            "details.timestamp must be a number",
            "details.chainId must be a number"
        ])
    );
    assert_eq!(
        sb.counters().pear_login_refusals,
        0,
        "400s are not refusals"
    );
}

#[tokio::test]
async fn privy_tokens_log_in_only_when_configured() {
    let s = signer(9);
    let sb = Sandbox::start(SandboxConfig::default().with_privy_token(
        "app-1",
        "privy-secret",
        s.address(),
    ))
    .await
    .unwrap();
    let url = format!("{}/auth/login", sb.pear_url());
    let body = |token: &str| {
        json!({"method": "privy_access_token", "address": s.address().to_lowercase_hex(),
               "clientId": "APITRADER", "details": {"appId": "app-1", "accessToken": token}})
    };
    assert_eq!(post(&url, &body("privy-secret"), &[]).await.status, 200);
    let refused = post(&url, &body("guess"), &[]).await;
    assert_eq!(refused.status, 401);
    assert_eq!(refused.body["message"], "Invalid Privy access token");
}

/// A signature made outside this workspace logs in, over HTTP, without `auth-signing` on
/// either side; the same signature with another timestamp is refused.
#[tokio::test]
async fn eip712_login_accepts_a_signature_made_by_eth_account_and_only_for_its_timestamp() {
    // Made with Python eth-account 0.14.0: `Account.from_key("0x" + "11" * 32)
    // .sign_message(encode_typed_data(full_message=...))` of the Authentication message
    // {address: 0x19e7…ff2a, clientId: "APITRADER", timestamp: 1700000000,
    // action: "authenticate"} under the sandbox's default domain ("Pear Protocol", "1",
    // 42161, 0x…01). See src/pear/verify.rs for the script.
    const SIGNER: &str = "0x19e7e376e7c213b7e7e7e46cc70a5dd086daff2a";
    const SIGNATURE: &str = "0xa935e4718d5f9a18e10db68328ffbac4cfcf4a65c8b63fdb62bdbec44002adc4\
                             11156f3acd4c7fd7daf6eaa3547c57c4d4c2e982f156b978839cd6bbcc7fb8961b";
    // The signed timestamp is in 2023: widen the freshness window to reach it.
    let sb = Sandbox::start(
        SandboxConfig::default().with_freshness_window(Duration::from_secs(100 * 365 * 86_400)),
    )
    .await
    .unwrap();
    let url = format!("{}/auth/login", sb.pear_url());
    let body = |timestamp: u64| {
        json!({
            "method": "eip712", "address": SIGNER, "clientId": "APITRADER",
            "details": {"signature": SIGNATURE, "timestamp": timestamp}
        })
    };
    let reply = post(&url, &body(1_700_000_001), &[]).await;
    assert_eq!(reply.status, 401, "{:?}", reply.body);
    assert_eq!(reply.body["message"], "Invalid signature");
    let reply = post(&url, &body(1_699_999_999), &[]).await;
    assert_eq!(reply.status, 401, "{:?}", reply.body);
    assert_eq!(sb.counters().pear_login_refusals, 2);
    let reply = post(&url, &body(1_700_000_000), &[]).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(reply.body["address"], SIGNER);
    assert_eq!(sb.counters().pear_logins, 1);
}
