//! The pump.fun API of the sandbox: both login formats, profile, logout, and refusals.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use auth_sandbox::{PUMP_ORIGIN, Sandbox, SandboxConfig};
use auth_signing::solana::SolanaKeypair;
use auth_test_support::keys::solana_keypair as keypair;
use common::{get, post};
use serde_json::json;

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

fn documented_login(kp: &SolanaKeypair, millis: u64) -> serde_json::Value {
    let message = format!("Sign in to pump.fun: {millis}");
    json!({
        "wallet": kp.pubkey().to_string(),
        "signature": kp.sign(message.as_bytes()).to_string(),
        "message": message,
    })
}

const ORIGIN: (&str, &str) = ("origin", PUMP_ORIGIN);

#[tokio::test]
async fn documented_login_profile_and_logout() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let kp = keypair(1);
    let login = post(
        &format!("{}/auth/login", sb.pump_url()),
        &documented_login(&kp, now_ms()),
        &[ORIGIN],
    )
    .await;
    assert_eq!(login.status, 201, "{:?}", login.body);
    assert_eq!(login.body["expiresIn"], 86400);
    assert_eq!(login.body["user"]["wallet"], kp.pubkey().to_string());
    let auth = format!("Bearer {}", login.body["token"].as_str().unwrap());
    let profile = get(
        &format!("{}/auth/my-profile", sb.pump_url()),
        &[ORIGIN, ("authorization", &auth)],
    )
    .await;
    assert_eq!(profile.status, 200);
    assert_eq!(profile.body["wallet"], kp.pubkey().to_string());
    let out = post(
        &format!("{}/auth/logout", sb.pump_url()),
        &json!({}),
        &[ORIGIN, ("authorization", &auth)],
    )
    .await;
    assert_eq!(out.status, 201);
    let profile = get(
        &format!("{}/auth/my-profile", sb.pump_url()),
        &[ORIGIN, ("authorization", &auth)],
    )
    .await;
    assert_eq!(profile.status, 401, "the token is dead after logout");
    let c = sb.counters();
    assert_eq!((c.pump_logins, c.pump_logouts), (1, 1));
}

#[tokio::test]
async fn observed_login_sets_an_auth_token_cookie() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let kp = keypair(2);
    let millis = now_ms();
    let message = format!("Sign in to pump.fun: {millis}");
    let body = json!({
        "address": kp.pubkey().to_string(),
        "signature": kp.sign(message.as_bytes()).to_string(),
        "timestamp": millis,
    });
    let login = post(&format!("{}/auth/login", sb.pump_url()), &body, &[ORIGIN]).await;
    assert_eq!(login.status, 201);
    assert!(login.body.get("token").is_none());
    let cookie = login.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("auth_token="), "{cookie}");
    assert!(cookie.contains("HttpOnly"));
    let pair = cookie.split(';').next().unwrap();
    let profile = get(
        &format!("{}/auth/my-profile", sb.pump_url()),
        &[ORIGIN, ("cookie", pair)],
    )
    .await;
    assert_eq!(profile.status, 200);
}

#[tokio::test]
async fn requests_without_the_pump_origin_are_refused() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let body = documented_login(&keypair(3), now_ms());
    let url = format!("{}/auth/login", sb.pump_url());
    let missing = post(&url, &body, &[]).await;
    assert_eq!(missing.status, 403);
    let wrong = post(&url, &body, &[("origin", "https://evil.example")]).await;
    assert_eq!(wrong.status, 403);
    assert_eq!(sb.counters().pump_logins, 0);
}

#[tokio::test]
async fn bad_signatures_stale_messages_and_malformed_bodies() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let url = format!("{}/auth/login", sb.pump_url());
    let kp = keypair(4);
    // Signed by another key.
    let mut forged = documented_login(&keypair(5), now_ms());
    forged["wallet"] = json!(kp.pubkey().to_string());
    let reply = post(&url, &forged, &[ORIGIN]).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.body["message"], "Invalid credentials");
    // Ten minutes old.
    let stale = post(&url, &documented_login(&kp, now_ms() - 600_000), &[ORIGIN]).await;
    assert_eq!(stale.status, 401);
    // Another message text, validly signed.
    let other = "Sign in to evil.example: 1";
    let reply = post(
        &url,
        &json!({"wallet": kp.pubkey().to_string(), "signature": kp.sign(other.as_bytes()).to_string(), "message": other}),
        &[ORIGIN],
    )
    .await;
    assert_eq!(reply.status, 401);
    // Not a wallet.
    let mut malformed = documented_login(&kp, now_ms());
    malformed["wallet"] = json!("0OIl");
    let reply = post(&url, &malformed, &[ORIGIN]).await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.body["message"], "Invalid signature or wallet address");
    assert_eq!(
        post(&url, &json!({"hello": 1}), &[ORIGIN]).await.status,
        400
    );
    // Profile without a token.
    assert_eq!(
        get(&format!("{}/auth/my-profile", sb.pump_url()), &[ORIGIN])
            .await
            .status,
        401
    );
    assert_eq!(sb.counters().pump_login_refusals, 5);
}
