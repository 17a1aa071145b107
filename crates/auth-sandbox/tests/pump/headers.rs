//! Headers on login: a bearer token, `Content-Type` and `Accept`.

use auth_sandbox::{PUMP_ORIGIN, Sandbox, SandboxConfig};
use auth_test_support::keys::solana_keypair as keypair;
use auth_transport::http::Method;
use serde_json::json;

use super::{ORIGIN, documented_login, live_login, now_ms};
use crate::common::{post, raw_post, send_bytes};

/// The specification's login carries `Authorization: Bearer`: never refused for it,
/// whatever the token, and counted.
#[tokio::test]
async fn a_bearer_token_on_login_is_accepted_and_counted() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let kp = keypair(10);
    let url = format!("{}/auth/login", sb.pump_url());
    let login = post(&url, &documented_login(&kp, now_ms()), &[ORIGIN]).await;
    assert_eq!(login.status, 201);
    assert_eq!(sb.counters().pump_logins_with_bearer, 0);
    let live = format!("Bearer {}", login.body["token"].as_str().unwrap());
    let relogin = post(
        &url,
        &documented_login(&kp, now_ms() + 1),
        &[ORIGIN, ("authorization", &live)],
    )
    .await;
    assert_eq!(relogin.status, 201, "a live token");
    // The login rotated the wallet's token: the new one is the live one now.
    let live = format!("Bearer {}", relogin.body["token"].as_str().unwrap());
    let logout = post(
        &format!("{}/auth/logout", sb.pump_url()),
        &json!({}),
        &[ORIGIN, ("authorization", &live)],
    )
    .await;
    assert_eq!(logout.status, 201);
    let dead = post(
        &url,
        &documented_login(&kp, now_ms() + 2),
        &[ORIGIN, ("authorization", &live)],
    )
    .await;
    assert_eq!(dead.status, 201, "a logged-out token");
    let garbage = ("authorization", "Bearer eyJ.not.a-token");
    let reply = post(&url, &live_login(&kp, now_ms() + 3), &[ORIGIN, garbage]).await;
    assert_eq!(reply.status, 201, "a token never issued");
    let c = sb.counters();
    assert_eq!((c.pump_logins, c.pump_logins_with_bearer), (4, 3));
}

/// A login whose `Content-Type` is not JSON has its body ignored: the specification's 400.
#[tokio::test]
async fn a_login_without_a_json_content_type_is_400() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let url = format!("{}/auth/login", sb.pump_url());
    let body = bytes::Bytes::from(documented_login(&keypair(11), now_ms()).to_string());
    let reply = send_bytes(
        Method::POST,
        &url,
        body.clone(),
        &[ORIGIN, ("content-type", "text/plain;charset=UTF-8")],
    )
    .await
    .unwrap();
    assert_eq!(reply.status, 400);
    assert_eq!(reply.body["message"], "Invalid signature or wallet address");
    let reply = send_bytes(
        Method::POST,
        &url,
        body,
        &[ORIGIN, ("content-type", "application/json;charset=UTF-8")],
    )
    .await
    .unwrap();
    assert_eq!(
        reply.status, 201,
        "the same signature, as JSON, was never used"
    );
}

/// POSTs without an `Accept` that admits JSON are counted, as on the Pear API.
#[tokio::test]
async fn a_login_without_accept_is_counted() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let base = sb.pump_url();
    let body = documented_login(&keypair(12), now_ms()).to_string();
    let json = ("content-type", "application/json");
    let origin = ("origin", PUMP_ORIGIN);
    assert_eq!(
        raw_post(&base, "/auth/login", &[json, origin], &body).await,
        201
    );
    assert_eq!(sb.counters().json_posts_without_accept, 1);
    let accept = ("accept", "application/json");
    let body = documented_login(&keypair(12), now_ms() + 1).to_string();
    assert_eq!(
        raw_post(&base, "/auth/login", &[json, origin, accept], &body).await,
        201
    );
    let c = sb.counters();
    assert_eq!((c.json_posts_without_accept, c.pump_logins), (1, 2));
}

/// A new login of a wallet ends its previous login: the old token is refused (WIRE.md, "a
/// new login"); another wallet's token is not touched; with rotation off, both live.
#[tokio::test]
async fn a_login_rotates_the_wallets_token() {
    for rotates in [true, false] {
        let sb = Sandbox::start(SandboxConfig::default().with_pump_login_rotates(rotates))
            .await
            .unwrap();
        let url = format!("{}/auth/login", sb.pump_url());
        let token = |body: &serde_json::Value| body["token"].as_str().unwrap().to_owned();
        let first = post(&url, &documented_login(&keypair(11), now_ms()), &[ORIGIN]).await;
        let other = post(&url, &documented_login(&keypair(12), now_ms()), &[ORIGIN]).await;
        let second = post(
            &url,
            &documented_login(&keypair(11), now_ms() + 1),
            &[ORIGIN],
        )
        .await;
        let now = std::time::SystemTime::now();
        assert_eq!(sb.pump_token_valid_at(&token(&first.body), now), !rotates);
        assert!(sb.pump_token_valid_at(&token(&second.body), now));
        assert!(sb.pump_token_valid_at(&token(&other.body), now));
        assert_eq!(sb.counters().pump_tokens_rotated, u64::from(rotates));
    }
}
