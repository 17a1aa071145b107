//! Pear logins against a sandbox whose clock is 10 minutes ahead of or behind the host's,
//! through the public client with its default settings. The login message's `GET` brings
//! the server's time (its `Date` header and the message's `timestamp`), so the freshness
//! check runs on the server's clock and no login is refused at all.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_test_support::keys::eth_signer;
use auth_test_support::sandbox::whoami;
use pear_auth::{PearAuthenticator, PearClient, PearError, PearSession, ServerClock};

const TEN_MINUTES: Duration = Duration::from_secs(600);

/// A sandbox 10 minutes ahead (or behind) whose access tokens live `ttl`.
async fn sandbox(ahead: bool, ttl: Duration) -> Sandbox {
    let config = SandboxConfig::default().with_access_token_ttl(ttl);
    let config = if ahead {
        config.with_clock_ahead(TEN_MINUTES)
    } else {
        config.with_clock_behind(TEN_MINUTES)
    };
    Sandbox::start(config).await.unwrap()
}

fn assert_learned(client: &PearClient, ahead: bool) {
    let expected: i64 = if ahead { 600_000 } else { -600_000 };
    let offset = client.server_clock().offset_millis();
    assert!(
        offset.abs_diff(expected) <= 1_500,
        "learned {offset} ms, the sandbox is {expected} ms off"
    );
}

async fn logs_in(ahead: bool, seed: u8) {
    let sb = sandbox(ahead, Duration::from_secs(900)).await;
    let client = PearClient::builder()
        .base_url(sb.pear_url())
        .build()
        .unwrap();
    let tokens = client.login_eip712(&eth_signer(seed)).await.unwrap();
    assert_eq!(whoami(&sb, &tokens.access_token).await, 200);
    let counters = sb.counters();
    assert_eq!(counters.pear_logins, 1);
    assert_eq!(counters.pear_login_refusals, 0, "{counters:?}");
    assert_eq!(counters.pear_timestamp_reuses, 0);
    assert_learned(&client, ahead);
    // Three readings (the message's `Date` and `timestamp`, the login's `Date`) agree:
    // the offset was set once, from the first.
    let stats = client.server_clock().stats();
    assert_eq!((stats.accepted, stats.outliers, stats.changes), (3, 0, 1));
    // The refresh answers on the same clock, and another wallet's login is as quiet (the
    // same wallet within the same second would meet Pear's single-use timestamps).
    client.refresh(&tokens.refresh_token).await.unwrap();
    client
        .login_eip712(&eth_signer(seed.wrapping_add(100)))
        .await
        .unwrap();
    assert_eq!(sb.counters().pear_login_refusals, 0);
}

#[tokio::test]
async fn wallet_login_with_the_server_10_minutes_ahead() {
    logs_in(true, 40).await;
}

#[tokio::test]
async fn wallet_login_with_the_server_10_minutes_behind() {
    logs_in(false, 41).await;
}

/// A session on a server 10 minutes behind with 5-minute tokens, the wall clock left at
/// its default: the session reads the tokens' deadlines on the client's server clock.
#[tokio::test]
async fn a_session_reads_token_deadlines_on_the_servers_clock() {
    for (ahead, seed) in [(false, 42), (true, 43)] {
        let sb = sandbox(ahead, Duration::from_secs(300)).await;
        let client = PearClient::builder()
            .base_url(sb.pear_url())
            .build()
            .unwrap();
        let session = PearSession::new(PearAuthenticator::wallet(
            client.clone(),
            Arc::new(eth_signer(seed)),
        ));
        let mut updates = session.subscribe();
        let token = session.access_token().await.unwrap();
        assert_eq!(whoami(&sb, &token).await, 200);
        let new = updates.borrow_and_update().clone().unwrap();
        let left = new
            .expires_at
            .duration_since(client.server_clock().to_server(SystemTime::now()))
            .unwrap();
        assert!(left > Duration::from_secs(290), "{left:?}");
        assert!(left <= Duration::from_secs(300), "{left:?}");
        assert_eq!(sb.counters().pear_login_refusals, 0);
        assert_learned(&client, ahead);
    }
}

/// The control: a client that keeps its local clock ([`ServerClock::fixed`]) refuses to
/// sign the sandbox's message, whose timestamp is 10 minutes off its clock.
#[tokio::test]
async fn a_client_that_keeps_its_own_clock_refuses_to_sign() {
    let sb = sandbox(true, Duration::from_secs(900)).await;
    let client = PearClient::builder()
        .base_url(sb.pear_url())
        .server_clock(ServerClock::fixed(auth_types::SystemClock))
        .build()
        .unwrap();
    let err = client.login_eip712(&eth_signer(44)).await.unwrap_err();
    assert!(
        matches!(err, PearError::Provider(_)) && err.to_string().contains("check the clock"),
        "{err}"
    );
    assert_eq!(sb.counters().pear_logins, 0);
}
