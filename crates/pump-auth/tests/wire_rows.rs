//! One test per row of `../shared/spec/WIRE.md` (pump.fun) that the client touches,
//! through the client, against the sandbox serving what that page says. Each test is
//! named after its row.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_test_support::keys::solana_keypair as keypair;
use pump_auth::{
    ApiError, Failure, LoginFormat, PumpAuthenticator, PumpClient, PumpError, PumpSession,
};

async fn sandbox(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config).await.unwrap()
}

fn client(sb: &Sandbox, format: LoginFormat) -> PumpClient {
    PumpClient::builder()
        .base_url(sb.pump_url())
        .login_format(format)
        .build()
        .unwrap()
}

#[tokio::test]
async fn row_message() {
    let sb = sandbox(SandboxConfig::default()).await;
    let pump = client(&sb, LoginFormat::Documented);
    let text = pump.sign_in_message();
    let millis = pump_auth::sign_in_millis(&text).unwrap();
    assert_eq!(millis.to_string().len(), 13, "{text}");
    // The sandbox checks the text and the base58 detached signature for real.
    pump.login(&keypair(1)).await.unwrap();
    assert_eq!(sb.counters().pump_logins, 1);
}

#[tokio::test]
async fn row_the_documented_format() {
    let sb = sandbox(SandboxConfig::default()).await;
    let pump = client(&sb, LoginFormat::Documented);
    let kp = keypair(2);
    let login = pump.login(&kp).await.unwrap();
    assert_eq!(login.user.unwrap().wallet, kp.pubkey().to_string());
    assert_eq!(login.expires_in, Some(Duration::from_secs(86400)));
    // Headers as in the specification, including the Bearer on a login holding a token.
    pump.relogin(&kp, &login.token).await.unwrap();
    let c = sb.counters();
    assert_eq!(c.pump_logins_with_bearer, 1);
    assert_eq!(c.json_posts_without_accept, 0);
}

#[tokio::test]
async fn row_the_format_live_clients_use() {
    let sb = sandbox(SandboxConfig::default()).await;
    let pump = client(&sb, LoginFormat::Cookie);
    let kp = keypair(3);
    // The sandbox answers with the cookie and an empty body.
    let login = pump.login(&kp).await.unwrap();
    assert!(login.user.is_none());
    assert_eq!(
        pump.profile(&login.token).await.unwrap().wallet,
        kp.pubkey().to_string()
    );
}

#[tokio::test]
async fn row_token_route() {
    let sb = sandbox(SandboxConfig::default()).await;
    let pump = client(&sb, LoginFormat::Token);
    let kp = keypair(4);
    let login = pump.login(&kp).await.unwrap();
    assert_eq!(
        pump.profile(&login.token).await.unwrap().wallet,
        kp.pubkey().to_string()
    );
}

#[tokio::test]
async fn row_profile() {
    let sb = sandbox(SandboxConfig::default()).await;
    let pump = client(&sb, LoginFormat::Documented);
    let kp = keypair(5);
    let login = pump.login(&kp).await.unwrap();
    let me = pump.profile(&login.token).await.unwrap();
    // The live profile names the wallet `address`.
    assert_eq!(me.wallet, kp.pubkey().to_string());
    assert!(me.username.is_some());
}

#[tokio::test]
async fn row_token_lifetime() {
    // About two weeks: read from the JWT's exp where no expiresIn comes.
    let two_weeks = Duration::from_secs(14 * 24 * 3600);
    let sb = sandbox(SandboxConfig::default().with_pump_token_ttl(two_weeks)).await;
    // One wallet, two clients, one right after the other: they may sign in the same
    // millisecond, which the client must never turn into one signature sent twice
    // (forced, with a clock standing still, in `signature_reuse.rs`).
    for format in [LoginFormat::Cookie, LoginFormat::Token] {
        let started = Instant::now();
        let login = client(&sb, format).login(&keypair(6)).await.unwrap();
        let left = login.expires_in.unwrap();
        // The sandbox stamps `iat` when it answers and the client reads its clock after:
        // whole seconds both, at most the exchange's time plus one second apart.
        let least = two_weeks.saturating_sub(started.elapsed() + Duration::from_secs(1));
        assert!(
            left <= two_weeks && left >= least,
            "{format}: {left:?}, at least {least:?}"
        );
    }
    let c = sb.counters();
    assert_eq!((c.pump_logins, c.pump_login_refusals), (2, 0));
}

#[tokio::test]
async fn row_limits() {
    let sb = sandbox(SandboxConfig::default().with_rate_limit(1, Duration::from_secs(60))).await;
    let pump = client(&sb, LoginFormat::Documented);
    pump.login(&keypair(7)).await.unwrap();
    let err = pump.login(&keypair(7)).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert!(err.is_transient());
    assert!(err.retry_after().is_some_and(|d| d > Duration::ZERO));

    // Cloudflare's HTML 403 (here for a wrong Origin) is a typed answer, not a parse error:
    // the edge's block page, which also answers an address that sends too much, so it is
    // transient, and its message says to check the Origin if it persists.
    let sb = sandbox(SandboxConfig::default()).await;
    let elsewhere = PumpClient::builder()
        .base_url(sb.pump_url())
        .origin("https://elsewhere.example")
        .build()
        .unwrap();
    let err = elsewhere.login(&keypair(7)).await.unwrap_err();
    match &err {
        PumpError::Api(ApiError::Blocked { status, .. }) => assert_eq!(status.as_u16(), 403),
        other => panic!("{other:?}"),
    }
    assert!(err.is_transient());
    assert!(err.to_string().contains("Origin"), "{err}");
    assert_eq!(sb.counters().pump_logins, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row_logout() {
    let sb = sandbox(SandboxConfig::default()).await;
    let pump = client(&sb, LoginFormat::Documented);
    let login = pump.login(&keypair(8)).await.unwrap();
    pump.logout(&login.token).await.unwrap();
    assert!(!sb.pump_token_valid_at(login.token.expose_secret(), SystemTime::now()));

    // A session's renewal leaves no live server session behind ("handle logout on token
    // expiration").
    let session = PumpSession::new(
        PumpAuthenticator::new(pump.clone(), Arc::new(keypair(9)))
            .retire_old_tokens_after(Duration::ZERO),
    );
    let old = session.access_token().await.unwrap();
    let new = session.refresh_now().await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while sb.pump_token_valid_at(old.expose_secret(), SystemTime::now())
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!sb.pump_token_valid_at(old.expose_secret(), SystemTime::now()));
    assert!(sb.pump_token_valid_at(new.expose_secret(), SystemTime::now()));
    assert_eq!(sb.counters().pump_logins_with_bearer, 1);
}
