//! pump.fun logins against a sandbox whose clock is 10 minutes ahead of or behind the
//! host's, through the public client with its default settings: the client learns the
//! server's clock from the first answer (at most one refused attempt, which the caller
//! never sees), signs its message on the server's time, and reads token lifetimes on it.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::sync::Arc;
use std::time::Duration;

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_test_support::keys::solana_keypair as keypair;
use pump_auth::{LoginFormat, PumpAuthenticator, PumpClient, PumpSession, ServerClock};

const TEN_MINUTES: Duration = Duration::from_secs(600);

/// A sandbox 10 minutes ahead (or behind) whose pump.fun tokens live `ttl`.
async fn sandbox(ahead: bool, ttl: Duration) -> Sandbox {
    let config = SandboxConfig::default().with_pump_token_ttl(ttl);
    let config = if ahead {
        config.with_clock_ahead(TEN_MINUTES)
    } else {
        config.with_clock_behind(TEN_MINUTES)
    };
    Sandbox::start(config).await.unwrap()
}

/// The learned offset is the sandbox's, within the resolution of a `Date` header.
fn assert_learned(pump: &PumpClient, ahead: bool) {
    let expected: i64 = if ahead { 600_000 } else { -600_000 };
    let offset = pump.server_clock().offset_millis();
    assert!(
        offset.abs_diff(expected) <= 1_500,
        "learned {offset} ms, the sandbox is {expected} ms off"
    );
}

async fn logs_in(ahead: bool, format: LoginFormat, seed: u8) {
    let sb = sandbox(ahead, Duration::from_secs(3600)).await;
    let pump = PumpClient::builder()
        .base_url(sb.pump_url())
        .login_format(format)
        .build()
        .unwrap();
    // The caller sees a login, not the refusal that taught the client the offset.
    let login = pump.login(&keypair(seed)).await.unwrap();
    let counters = sb.counters();
    assert_eq!(counters.pump_logins, 1);
    assert!(counters.pump_login_refusals <= 1, "{counters:?}");
    assert_eq!(counters.pump_signature_reuses, 0);
    assert_learned(&pump, ahead);
    // The lifetime is read on the server's clock: the hour the sandbox gave, not an hour
    // plus or minus the 10 minutes (the cookie and token formats read the JWT's `exp`).
    let left = login.expires_in.unwrap();
    assert!(
        left <= Duration::from_secs(3600) && left >= Duration::from_secs(3590),
        "{left:?}"
    );
    pump.profile(&login.token).await.unwrap();
    // Once learned, no login is refused: another wallet, and the same one again.
    pump.login(&keypair(seed.wrapping_add(1))).await.unwrap();
    pump.login(&keypair(seed)).await.unwrap();
    let after = sb.counters();
    assert_eq!(after.pump_logins, 3);
    assert_eq!(after.pump_login_refusals, counters.pump_login_refusals);
    let stats = pump.server_clock().stats();
    assert_eq!(stats.changes, 1, "{stats:?}");
    assert!(stats.samples >= 4, "{stats:?}");
}

#[tokio::test]
async fn documented_login_ahead() {
    logs_in(true, LoginFormat::Documented, 60).await;
}

#[tokio::test]
async fn documented_login_behind() {
    logs_in(false, LoginFormat::Documented, 62).await;
}

#[tokio::test]
async fn cookie_login_ahead() {
    logs_in(true, LoginFormat::Cookie, 64).await;
}

#[tokio::test]
async fn cookie_login_behind() {
    logs_in(false, LoginFormat::Cookie, 66).await;
}

#[tokio::test]
async fn token_login_ahead() {
    logs_in(true, LoginFormat::Token, 68).await;
}

#[tokio::test]
async fn token_login_behind() {
    logs_in(false, LoginFormat::Token, 70).await;
}

/// A session whose tokens live 5 minutes on a server 10 minutes behind: read on the local
/// clock, every token would have expired 5 minutes before it was issued. The session reads
/// `exp` on its authenticator's server clock, so it gets a token that lasts.
#[tokio::test]
async fn a_session_reads_token_deadlines_on_the_servers_clock() {
    for ahead in [false, true] {
        let sb = sandbox(ahead, Duration::from_secs(300)).await;
        let client = PumpClient::builder()
            .base_url(sb.pump_url())
            .login_format(LoginFormat::Cookie)
            .build()
            .unwrap();
        let session = PumpSession::new(PumpAuthenticator::new(
            client.clone(),
            Arc::new(keypair(if ahead { 72 } else { 73 })),
        ));
        let mut updates = session.subscribe();
        let token = session.access_token().await.unwrap();
        client.profile(&token).await.unwrap();
        let new = updates.borrow_and_update().clone().unwrap();
        // The deadline, on the session's (the server's) clock, is 5 minutes from its now.
        let left = new
            .expires_at
            .duration_since(
                client
                    .server_clock()
                    .to_server(std::time::SystemTime::now()),
            )
            .unwrap();
        assert!(left > Duration::from_secs(290), "{left:?}");
        assert!(left <= Duration::from_secs(300), "{left:?}");
        // The same token again, no second login.
        assert_eq!(
            session.access_token().await.unwrap().expose_secret(),
            token.expose_secret()
        );
        let counters = sb.counters();
        assert_eq!(counters.pump_logins, 1);
        assert!(counters.pump_login_refusals <= 1);
        assert_learned(&client, ahead);
        // The session's stats show the offset it counts lifetimes on: about 10 minutes.
        let offset = session.stats().clock_offset_ms;
        let expected = if ahead { 600_000 } else { -600_000 };
        assert!((offset - expected).abs() < 5_000, "{offset}");
    }
}

/// The control: a client told to keep its local clock ([`ServerClock::fixed`]) is refused
/// by the same sandbox, twice (the login and its one retry), and the error says so.
#[tokio::test]
async fn a_client_that_keeps_its_own_clock_is_refused() {
    let sb = sandbox(false, Duration::from_secs(3600)).await;
    let pump = PumpClient::builder()
        .base_url(sb.pump_url())
        .server_clock(ServerClock::fixed(auth_types::SystemClock))
        .build()
        .unwrap();
    let err = pump.login(&keypair(74)).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(sb.counters().pump_login_refusals, 2);
    assert_eq!(pump.server_clock().offset_millis(), 0);
}
