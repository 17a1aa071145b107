//! Tokens after a login: refresh, revocation, logout, expiry, another sandbox's.

use std::time::{Duration, SystemTime};

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_test_support::keys::eth_signer as signer;
use auth_test_support::sandbox::whoami;
use serde_json::json;

use super::sandbox;
use crate::common::{pear_login, post, token};

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
async fn tokens_from_another_sandbox_are_refused() {
    let (a, b) = (sandbox().await, sandbox().await);
    let login = pear_login(&a.pear_url(), &signer(13), "APITRADER").await;
    assert_eq!(whoami(&b, &token(&login.body["accessToken"])).await, 401);
}
