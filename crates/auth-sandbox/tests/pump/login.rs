//! The three login formats, single-use signatures, and refused logins.

use std::time::SystemTime;

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_test_support::keys::solana_keypair as keypair;
use serde_json::json;

use super::{ORIGIN, documented_login, jwt_claims, live_login, now_ms};
use crate::common::{get, post};

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
