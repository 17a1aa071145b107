//! `GET /auth/my-profile`, and the origin every request must carry.

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_test_support::keys::solana_keypair as keypair;
use serde_json::json;

use super::{ORIGIN, documented_login, now_ms};
use crate::common::{get, post};

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
