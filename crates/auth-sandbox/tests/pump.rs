//! The pump.fun API of the sandbox: the three login formats, profile, logout, and
//! refusals.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use auth_sandbox::{PUMP_ORIGIN, Sandbox, SandboxConfig};
use auth_signing::solana::SolanaKeypair;
use auth_test_support::keys::solana_keypair as keypair;
use auth_transport::http::Method;
use base64::Engine as _;
use common::{get, post, raw_post, send_bytes};
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

/// A body of the live formats, `{address, signature, timestamp}`.
fn live_login(kp: &SolanaKeypair, millis: u64) -> serde_json::Value {
    let message = format!("Sign in to pump.fun: {millis}");
    json!({
        "address": kp.pubkey().to_string(),
        "signature": kp.sign(message.as_bytes()).to_string(),
        "timestamp": millis,
    })
}

/// The claims of a JWT, read without checking it.
fn jwt_claims(token: &str) -> serde_json::Value {
    let payload = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

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
    assert_eq!(profile.body["address"], kp.pubkey().to_string());
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

/// WIRE.md, "the format live clients use": the token only in an `auth_token` cookie, the
/// body empty; the cookie alone is enough.
#[tokio::test]
async fn cookie_login_answers_with_a_cookie_and_an_empty_body() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let kp = keypair(2);
    let url = format!("{}/auth/login", sb.pump_url());
    let login = post(&url, &live_login(&kp, now_ms()), &[ORIGIN]).await;
    assert_eq!(login.status, 201);
    assert_eq!(login.text, "", "the body is empty");
    assert!(login.headers.get("content-type").is_none());
    let cookie = login.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("auth_token="), "{cookie}");
    assert!(cookie.contains("HttpOnly"));
    let pair = cookie.split(';').next().unwrap();
    let jwt = pair.strip_prefix("auth_token=").unwrap();
    let claims = jwt_claims(jwt);
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        86400
    );
    assert!(sb.pump_token_valid_at(jwt, SystemTime::now()));
    let profile_url = format!("{}/auth/my-profile", sb.pump_url());
    let cookies = format!("theme=dark; {pair}");
    let profile = get(&profile_url, &[ORIGIN, ("cookie", &cookies)]).await;
    assert_eq!(profile.status, 200);
    assert_eq!(profile.body["address"], kp.pubkey().to_string());
    let out = post(
        &format!("{}/auth/logout", sb.pump_url()),
        &json!({}),
        &[ORIGIN, ("cookie", pair)],
    )
    .await;
    assert_eq!(out.status, 201);
    assert_eq!(
        get(&profile_url, &[ORIGIN, ("cookie", pair)]).await.status,
        401
    );
    let c = sb.counters();
    assert_eq!((c.pump_logins, c.pump_logouts), (1, 1));
}

/// WIRE.md, "token route": `POST /auth/login/token` -> `{access_token}`, a bearer token
/// whose lifetime is in its `exp`.
#[tokio::test]
async fn token_route_answers_an_access_token() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let kp = keypair(6);
    let mut body = live_login(&kp, now_ms());
    body["authType"] = json!("non_custodial");
    let login = post(
        &format!("{}/auth/login/token", sb.pump_url()),
        &body,
        &[ORIGIN],
    )
    .await;
    assert_eq!(login.status, 201, "{:?}", login.body);
    let members: Vec<&String> = login.body.as_object().unwrap().keys().collect();
    assert_eq!(members, ["access_token"]);
    assert!(login.headers.get("set-cookie").is_none());
    let token = login.body["access_token"].as_str().unwrap();
    let claims = jwt_claims(token);
    assert_eq!(claims["sub"], kp.pubkey().to_string());
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        86400
    );
    let auth = format!("Bearer {token}");
    let profile_url = format!("{}/auth/my-profile", sb.pump_url());
    assert_eq!(
        get(&profile_url, &[ORIGIN, ("authorization", &auth)])
            .await
            .status,
        200
    );
    let out = post(
        &format!("{}/auth/logout", sb.pump_url()),
        &json!({}),
        &[ORIGIN, ("authorization", &auth)],
    )
    .await;
    assert_eq!(out.status, 201);
    assert_eq!(
        get(&profile_url, &[ORIGIN, ("authorization", &auth)])
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn token_route_refuses_another_auth_type() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let url = format!("{}/auth/login/token", sb.pump_url());
    let kp = keypair(7);
    for auth_type in [None, Some(json!("custodial")), Some(json!(1))] {
        let mut body = live_login(&kp, now_ms());
        if let Some(t) = auth_type.clone() {
            body["authType"] = t;
        }
        let reply = post(&url, &body, &[ORIGIN]).await;
        assert_eq!(reply.status, 400, "{auth_type:?}");
        assert_eq!(reply.body["statusCode"], 400);
        assert!(
            reply.body["message"].as_str().unwrap().contains("authType"),
            "{:?}",
            reply.body
        );
    }
    // The right authType without the fields: the specification's 400.
    let reply = post(&url, &json!({"authType": "non_custodial"}), &[ORIGIN]).await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.body["message"], "Invalid signature or wallet address");
    let c = sb.counters();
    assert_eq!((c.pump_logins, c.pump_login_refusals), (0, 4));
}

/// A login signature works once, whichever format carries it.
#[tokio::test]
async fn a_login_signature_works_once() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let kp = keypair(8);
    let millis = now_ms();
    let url = format!("{}/auth/login", sb.pump_url());
    let body = documented_login(&kp, millis);
    assert_eq!(post(&url, &body, &[ORIGIN]).await.status, 201);
    let again = post(&url, &body, &[ORIGIN]).await;
    assert_eq!(again.status, 401);
    assert_eq!(
        again.body,
        json!({"statusCode": 401, "message": "Invalid credentials"})
    );
    // The same signature in the cookie and token formats.
    let live = live_login(&kp, millis);
    assert_eq!(live["signature"], body["signature"]);
    assert_eq!(post(&url, &live, &[ORIGIN]).await.status, 401);
    let mut token = live.clone();
    token["authType"] = json!("non_custodial");
    let token_url = format!("{}/auth/login/token", sb.pump_url());
    assert_eq!(post(&token_url, &token, &[ORIGIN]).await.status, 401);
    // A new message logs in.
    assert_eq!(
        post(&url, &live_login(&kp, millis + 1), &[ORIGIN])
            .await
            .status,
        201
    );
    let c = sb.counters();
    assert_eq!(
        (
            c.pump_logins,
            c.pump_signature_reuses,
            c.pump_login_refusals
        ),
        (2, 3, 3)
    );
}

/// WIRE.md, "profile": `address`, not `wallet`, and the live service's other fields.
#[tokio::test]
async fn profile_has_address_not_wallet() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let kp = keypair(9);
    let before = now_ms();
    let login = post(
        &format!("{}/auth/login", sb.pump_url()),
        &documented_login(&kp, before),
        &[ORIGIN],
    )
    .await;
    let after = now_ms();
    // The login answer keeps the specification's `wallet`.
    assert_eq!(login.body["user"]["wallet"], kp.pubkey().to_string());
    let auth = format!("Bearer {}", login.body["token"].as_str().unwrap());
    let profile = get(
        &format!("{}/auth/my-profile", sb.pump_url()),
        &[ORIGIN, ("authorization", &auth)],
    )
    .await;
    assert_eq!(profile.status, 200);
    let body = &profile.body;
    assert!(body.get("wallet").is_none(), "{body}");
    assert_eq!(body["address"], kp.pubkey().to_string());
    assert_eq!(body["username"], login.body["user"]["username"]);
    assert!(body["username"].as_str().is_some_and(|u| !u.is_empty()));
    for (field, value) in [
        ("profile_image", json!(null)),
        ("bio", json!(null)),
        ("followers", json!(0)),
        ("following", json!(0)),
        ("likes_received", json!(0)),
    ] {
        assert_eq!(body[field], value, "{field}");
    }
    let last_login = body["last_login"].as_u64().unwrap();
    assert!((before..=after).contains(&last_login), "{last_login}");
}

/// WIRE.md, "limits": Cloudflare answers a missing or wrong `Origin` with a 403 HTML page.
#[tokio::test]
async fn requests_without_the_pump_origin_get_cloudflares_html_403() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let body = documented_login(&keypair(3), now_ms());
    let url = format!("{}/auth/login", sb.pump_url());
    let profile_url = format!("{}/auth/my-profile", sb.pump_url());
    for reply in [
        post(&url, &body, &[]).await,
        post(&url, &body, &[("origin", "https://evil.example")]).await,
        post(&url, &body, &[("origin", "https://pump.fun.evil.example")]).await,
        get(&profile_url, &[]).await,
    ] {
        assert_eq!(reply.status, 403);
        let content_type = reply.headers["content-type"].to_str().unwrap();
        assert!(content_type.starts_with("text/html"), "{content_type}");
        assert_eq!(reply.body, json!(null), "not JSON");
        assert!(reply.text.contains("<html"), "{}", reply.text);
    }
    let c = sb.counters();
    assert_eq!((c.pump_logins, c.pump_login_refusals), (0, 0));
}

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
