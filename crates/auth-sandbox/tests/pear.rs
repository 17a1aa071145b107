//! The Pear API of the sandbox, endpoint by endpoint, including every refusal.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use auth_sandbox::{Faults, Sandbox, SandboxConfig};
use auth_signing::eip712::TypedData;
use auth_test_support::keys::eth_signer as signer;
use auth_test_support::sandbox::whoami;
use auth_transport::TransportError;
use auth_transport::http::Method;
use common::{bearer, get, is_iso8601_ms, pear_login, post, send, token};
use serde_json::json;
async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig::default()).await.unwrap()
}

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
async fn refresh_rotates_and_refuses_reuse() {
    let sb = sandbox().await;
    let login = pear_login(&sb.pear_url(), &signer(5), "APITRADER").await;
    let url = format!("{}/auth/refresh", sb.pear_url());
    let first = login.body["refreshToken"].clone();
    let rotated = post(&url, &json!({"refreshToken": first}), &[]).await;
    assert_eq!(rotated.status, 200);
    assert_ne!(rotated.body["refreshToken"], first);
    assert_ne!(rotated.body["accessToken"], login.body["accessToken"]);
    assert_eq!(rotated.body["expiresIn"], 900);
    // The old token is single use.
    let reused = post(&url, &json!({"refreshToken": first}), &[]).await;
    assert_eq!(reused.status, 401);
    assert_eq!(
        reused.body["message"],
        "Refresh token has already been used"
    );
    assert_eq!(sb.counters().refused_reuses, 1);
    // The new one works, and its access token is live.
    let again = post(
        &url,
        &json!({"refreshToken": rotated.body["refreshToken"]}),
        &[],
    )
    .await;
    assert_eq!(again.status, 200);
    assert_eq!(whoami(&sb, &token(&again.body["accessToken"])).await, 200);
    assert_eq!(sb.counters().pear_refreshes, 2);
    // Garbage and missing tokens.
    assert_eq!(
        post(&url, &json!({"refreshToken": "x.y.z"}), &[])
            .await
            .status,
        401
    );
    assert_eq!(post(&url, &json!({}), &[]).await.status, 400);
}

#[tokio::test]
async fn revoke_kills_the_session_of_a_token_early() {
    let sb = sandbox().await;
    let login = pear_login(&sb.pear_url(), &signer(7), "APITRADER").await;
    let other = pear_login(&sb.pear_url(), &signer(8), "APITRADER").await;
    let access = login.body["accessToken"].as_str().unwrap();
    assert_eq!(whoami(&sb, &token(&login.body["accessToken"])).await, 200);
    assert!(sb.revoke(access));
    assert!(!sb.revoke(access), "already dead");
    assert!(!sb.revoke("not-a-token"));
    assert_eq!(whoami(&sb, &token(&login.body["accessToken"])).await, 401);
    let refresh = post(
        &format!("{}/auth/refresh", sb.pear_url()),
        &json!({"refreshToken": login.body["refreshToken"]}),
        &[],
    )
    .await;
    assert_eq!(refresh.status, 401, "the refresh token died with it");
    // Another login session is untouched.
    assert_eq!(whoami(&sb, &token(&other.body["accessToken"])).await, 200);
    assert_eq!(sb.counters().refused_reuses, 0);
}

#[tokio::test]
async fn logout_kills_the_session() {
    let sb = sandbox().await;
    let login = pear_login(&sb.pear_url(), &signer(6), "APITRADER").await;
    let out = post(
        &format!("{}/auth/logout", sb.pear_url()),
        &json!({"refreshToken": login.body["refreshToken"]}),
        &[],
    )
    .await;
    assert_eq!(out.status, 200);
    assert_eq!(whoami(&sb, &token(&login.body["accessToken"])).await, 401);
    let refresh = post(
        &format!("{}/auth/refresh", sb.pear_url()),
        &json!({"refreshToken": login.body["refreshToken"]}),
        &[],
    )
    .await;
    assert_eq!(refresh.status, 401);
    assert_eq!(sb.counters().pear_logouts, 1);
}

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

#[tokio::test]
async fn access_tokens_expire() {
    // 2 s, not 1: `exp` is whole seconds, so a 1 s token may be dead by the next line.
    let sb = Sandbox::start(SandboxConfig::default().with_access_token_ttl(Duration::from_secs(2)))
        .await
        .unwrap();
    let login = pear_login(&sb.pear_url(), &signer(10), "APITRADER").await;
    assert_eq!(login.body["expiresIn"], 2);
    let access = login.body["accessToken"].as_str().unwrap();
    assert!(sb.pear_access_token_valid_at(access, SystemTime::now()));
    assert!(!sb.pear_access_token_valid_at(access, SystemTime::now() + Duration::from_secs(3)));
    assert!(
        !sb.pump_token_valid_at(access, SystemTime::now()),
        "wrong type"
    );
    // The token's `exp` is whole seconds: after three seconds it has certainly passed.
    tokio::time::sleep(Duration::from_millis(3100)).await;
    assert_eq!(whoami(&sb, &token(&login.body["accessToken"])).await, 401);
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

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after() {
    let sb = Sandbox::start(SandboxConfig::default().with_rate_limit(2, Duration::from_secs(60)))
        .await
        .unwrap();
    let url = format!("{}/sandbox/whoami", sb.pear_url());
    assert_eq!(get(&url, &[]).await.status, 401);
    assert_eq!(get(&url, &[]).await.status, 401);
    let limited = get(&url, &[]).await;
    assert_eq!(limited.status, 429);
    let wait: u64 = limited.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
    assert_eq!(limited.body["statusCode"], 429);
    assert_eq!(sb.counters().faults_429, 1);
}

#[tokio::test]
async fn injected_faults() {
    let sb = sandbox().await;
    let url = format!("{}/sandbox/whoami", sb.pear_url());
    sb.set_faults(Faults::none().with_error_500(1.0));
    let reply = get(&url, &[]).await;
    assert_eq!(reply.status, 500);
    assert_eq!(reply.body["statusCode"], 500);

    sb.set_faults(Faults::none().with_rate_limited(1.0));
    let reply = get(&url, &[]).await;
    assert_eq!(reply.status, 429);
    assert_eq!(reply.headers["retry-after"], "1");

    sb.set_faults(Faults::none().with_drop_before(1.0));
    let dropped = send(Method::GET, &url, None, &[]).await;
    assert!(
        matches!(dropped, Err(TransportError::Io { .. })),
        "{:?}",
        dropped.err()
    );

    // Dropped after processing: the refresh happened (the token is spent) but the
    // client never saw the answer.
    sb.set_faults(Faults::none());
    let login = pear_login(&sb.pear_url(), &signer(12), "APITRADER").await;
    sb.set_faults(Faults::none().with_drop_after(1.0));
    let refresh_url = format!("{}/auth/refresh", sb.pear_url());
    let body = json!({"refreshToken": login.body["refreshToken"]});
    let lost = send(Method::POST, &refresh_url, Some(&body), &[]).await;
    assert!(matches!(lost, Err(TransportError::Io { .. })));
    sb.set_faults(Faults::none());
    assert_eq!(post(&refresh_url, &body, &[]).await.status, 401);
    let c = sb.counters();
    assert_eq!(
        (
            c.faults_500,
            c.faults_drop_before,
            c.faults_drop_after,
            c.refused_reuses
        ),
        (1, 1, 1, 1)
    );

    sb.set_faults(Faults::none().with_delay(Duration::from_millis(50)));
    let started = std::time::Instant::now();
    get(&url, &[]).await;
    assert!(started.elapsed() >= Duration::from_millis(50));
}

#[tokio::test]
async fn tokens_from_another_sandbox_are_refused() {
    let (a, b) = (sandbox().await, sandbox().await);
    let login = pear_login(&a.pear_url(), &signer(13), "APITRADER").await;
    assert_eq!(whoami(&b, &token(&login.body["accessToken"])).await, 401);
}

#[tokio::test]
async fn unknown_paths_get_a_nest_404() {
    let sb = sandbox().await;
    let reply = get(&format!("{}/nope", sb.pear_url()), &[]).await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.body["statusCode"], 404);
}

/// A signature made outside this workspace logs in, over HTTP, without `auth-signing` on
/// either side; the same signature with another timestamp is refused.
#[tokio::test]
async fn eip712_login_accepts_a_signature_made_by_eth_account_and_only_for_its_timestamp() {
    // Made with Python eth-account 0.14.0: `Account.from_key("0x" + "11" * 32)
    // .sign_message(encode_typed_data(full_message=...))` of the Authentication message
    // {address: 0x19e7…ff2a, clientId: "APITRADER", timestamp: 1700000000,
    // action: "authenticate"} under the sandbox's default domain ("Pear Protocol", "1",
    // 42161, 0x…01). See src/verify.rs for the script.
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
