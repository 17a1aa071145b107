//! pump.fun sessions against the sandbox: re-login before expiry, logout.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::sync::Arc;
use std::time::{Duration, Instant};

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_test_support::keys::solana_keypair;
use auth_transport::{HttpTransport, HyperTransport, ReqwestTransport};
use pump_auth::{PumpAuthenticator, PumpClient, PumpError, PumpSession};

/// A client on the sandbox's pump.fun API and a session of wallet `seed` over it.
fn client_and_session(
    sb: &Sandbox,
    transport: impl HttpTransport + 'static,
    seed: u8,
) -> (PumpClient, PumpSession) {
    let client = PumpClient::builder()
        .base_url(sb.pump_url())
        .transport(transport)
        .build()
        .unwrap();
    let session = PumpSession::new(PumpAuthenticator::new(
        client.clone(),
        Arc::new(solana_keypair(seed)),
    ));
    (client, session)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_signs_in_again_before_two_second_tokens_expire() {
    // Without rotation: the token handed out just before a background re-login stays
    // good for the profile call (with rotation, the live service's way, such a call gets
    // a 401 that the authorized client heals: `auth-http`'s tests).
    let sb = Sandbox::start(
        SandboxConfig::default()
            .with_pump_token_ttl(Duration::from_secs(2))
            .with_pump_login_rotates(false),
    )
    .await
    .unwrap();
    let (client, session) = client_and_session(&sb, HyperTransport::new().unwrap(), 1);
    let started = Instant::now();
    while started.elapsed() < Duration::from_millis(3500) {
        let token = session.access_token().await.unwrap();
        client.profile(&token).await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let logins = sb.counters().pump_logins;
    assert!(
        (2..=8).contains(&logins),
        "{logins} logins in 3.5 s of 2 s tokens"
    );
}

#[tokio::test]
async fn logout_kills_the_token_and_clears_the_session() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (client, session) = client_and_session(&sb, ReqwestTransport::new().unwrap(), 2);
    let token = session.access_token().await.unwrap();
    session.logout().await.unwrap();
    assert!(
        client.profile(&token).await.is_err(),
        "the old token is dead"
    );
    assert_eq!(sb.counters().pump_logouts, 1);
    // The next call signs in afresh.
    let fresh = session.access_token().await.unwrap();
    assert_ne!(fresh, token);
    client.profile(&fresh).await.unwrap();
}

#[test]
fn sessions_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<PumpSession>();
}

#[tokio::test]
async fn a_token_revoked_early_is_reported_and_replaced_by_a_new_login() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (client, session) = client_and_session(&sb, ReqwestTransport::new().unwrap(), 3);
    let token = session.access_token().await.unwrap();
    client.profile(&token).await.unwrap();
    assert!(sb.revoke(token.expose_secret()));
    let refused = client.profile(&token).await.unwrap_err();
    assert!(
        matches!(refused, PumpError::Api(ref e) if e.is_unauthorized()),
        "{refused:?}"
    );
    assert!(session.invalidate(&token));
    let fresh = session.access_token().await.unwrap();
    assert_ne!(fresh, token);
    client.profile(&fresh).await.unwrap();
    assert_eq!(sb.counters().pump_logins, 2);
}

fn session_on_file(sb: &Sandbox, seed: u8, file: &std::path::Path) -> PumpSession {
    let client = PumpClient::builder()
        .base_url(sb.pump_url())
        .build()
        .unwrap();
    PumpSession::builder(PumpAuthenticator::new(
        client,
        Arc::new(solana_keypair(seed)),
    ))
    .token_store(auth_session::FileStore::new(file))
    .build()
}

#[tokio::test]
async fn a_pear_token_file_is_never_presented_by_a_pump_session() {
    use auth_session::{FileStore, Identity, StoreEntry, StoredTokens, TokenStore as _};
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pear-file.json");
    // What a Pear session of the same base URL would have written.
    let pear = StoreEntry {
        generation: 0,
        identity: Some(
            Identity::new("pear", sb.pump_url())
                .with_account(solana_keypair(4).pubkey().to_string())
                .with_client_id("HLHackathon1"),
        ),
        tokens: StoredTokens {
            access_token: auth_types::AccessToken::new("pear-access-token"),
            refresh_token: Some(auth_types::RefreshToken::new("pear-refresh-token")),
            expires_at: std::time::SystemTime::now() + Duration::from_secs(600),
        },
    };
    FileStore::new(&file).save_entry(&pear).await.unwrap();
    let session = session_on_file(&sb, 4, &file);
    let token = session.access_token().await.unwrap();
    assert_ne!(token.expose_secret(), "pear-access-token");
    assert_eq!(sb.counters().pump_logins, 1);
    session.logout().await.unwrap();
    assert_eq!(
        sb.counters().pump_logouts,
        1,
        "only its own token was revoked"
    );
}

#[tokio::test]
async fn a_store_written_for_another_wallet_is_never_presented() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wallet.json");
    let first = session_on_file(&sb, 5, &file).access_token().await.unwrap();
    // The same wallet resumes from the file without signing in.
    let resumed = session_on_file(&sb, 5, &file).access_token().await.unwrap();
    assert_eq!(resumed, first);
    assert_eq!(sb.counters().pump_logins, 1);
    // Another wallet signs in itself.
    let other = session_on_file(&sb, 6, &file).access_token().await.unwrap();
    assert_ne!(other, first);
    assert_eq!(sb.counters().pump_logins, 2);
}

/// Waits (at most 10 s) until `done` holds.
async fn eventually(mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    done()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renewal_logs_the_previous_token_out_after_the_grace() {
    // A server that does not rotate tokens at login (the specification's): what a
    // session does with the token it replaced is then up to the session.
    let sb = Sandbox::start(SandboxConfig::default().with_pump_login_rotates(false))
        .await
        .unwrap();
    let client = PumpClient::builder()
        .base_url(sb.pump_url())
        .build()
        .unwrap();
    // A grace long enough that the profile call below, on a loaded machine, still comes
    // inside it (it is a lower bound the test relies on; `eventually` waits past it).
    let authenticator = PumpAuthenticator::new(client.clone(), Arc::new(solana_keypair(9)))
        .retire_old_tokens_after(Duration::from_secs(2));
    let session = PumpSession::new(authenticator);
    let first = session.access_token().await.unwrap();
    let second = session.refresh_now().await.unwrap();
    assert_ne!(first, second);
    // Still alive during the grace, for requests already sent with it.
    client.profile(&first).await.unwrap();
    assert!(
        eventually(|| !sb.pump_token_valid_at(first.expose_secret(), std::time::SystemTime::now()))
            .await,
        "the previous token is logged out"
    );
    assert_eq!(sb.counters().pump_logouts, 1);
    assert_eq!(
        sb.counters().pump_logins_with_bearer,
        1,
        "the re-login carried the token it replaced"
    );
    client.profile(&second).await.unwrap();
    assert_eq!(session.access_token().await.unwrap(), second);
}

/// A token resumed from a store was obtained by another session (maybe another process
/// still using it): a re-login neither carries it nor logs it out.
#[tokio::test]
async fn a_token_resumed_from_a_store_is_neither_carried_nor_retired() {
    // A server that does not rotate tokens at login (the specification's): what a
    // session does with the token it replaced is then up to the session.
    let sb = Sandbox::start(SandboxConfig::default().with_pump_login_rotates(false))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pump.json");
    let first = session_on_file(&sb, 11, &file);
    let resumed = first.access_token().await.unwrap();
    drop(first);
    let client = PumpClient::builder()
        .base_url(sb.pump_url())
        .build()
        .unwrap();
    let authenticator = PumpAuthenticator::new(client.clone(), Arc::new(solana_keypair(11)))
        .retire_old_tokens_after(Duration::ZERO);
    let second = PumpSession::builder(authenticator)
        .token_store(auth_session::FileStore::new(&file))
        .build();
    assert_eq!(second.access_token().await.unwrap(), resumed);
    let renewed = second.refresh_now().await.unwrap();
    assert_ne!(renewed, resumed);
    assert_eq!(sb.counters().pump_logins, 2);
    assert_eq!(sb.counters().pump_logins_with_bearer, 0);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sb.counters().pump_logouts, 0);
    client.profile(&resumed).await.unwrap();

    // Its own token, once replaced, is carried and retired (at once: zero grace).
    let again = second.refresh_now().await.unwrap();
    assert_ne!(again, renewed);
    assert_eq!(sb.counters().pump_logins_with_bearer, 1);
    assert!(
        eventually(
            || !sb.pump_token_valid_at(renewed.expose_secret(), std::time::SystemTime::now())
        )
        .await
    );
}

#[tokio::test]
async fn sessions_can_keep_old_tokens_alive() {
    // A server that does not rotate tokens at login (the specification's): what a
    // session does with the token it replaced is then up to the session.
    let sb = Sandbox::start(SandboxConfig::default().with_pump_login_rotates(false))
        .await
        .unwrap();
    let client = PumpClient::builder()
        .base_url(sb.pump_url())
        .build()
        .unwrap();
    let authenticator =
        PumpAuthenticator::new(client.clone(), Arc::new(solana_keypair(10))).keep_old_tokens();
    let session = PumpSession::new(authenticator);
    let first = session.access_token().await.unwrap();
    session.refresh_now().await.unwrap();
    session.refresh_now().await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    client.profile(&first).await.unwrap();
    assert_eq!(sb.counters().pump_logouts, 0);
}

/// Two processes share a wallet's store; one logs in again (pump.fun rotates the wallet's
/// token: the other's dies). The other, refused, confirms its token dead and adopts the
/// stored new one: no second login, no login war.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_rotated_by_another_process_is_adopted_from_the_store_not_replaced_by_a_login() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pump.json");
    let one = session_on_file(&sb, 13, &file);
    let other = session_on_file(&sb, 13, &file);
    let old = one.access_token().await.unwrap();
    assert_eq!(
        other.access_token().await.unwrap(),
        old,
        "shared, not a second login"
    );
    let new = other.refresh_now().await.unwrap();
    assert_ne!(new, old);
    assert_eq!(sb.counters().pump_logins, 2);
    assert_eq!(sb.counters().pump_tokens_rotated, 1, "the old token died");

    // The first process's next call is refused; it reports that and is told to retry.
    assert_eq!(
        one.report_refused(&old).await,
        auth_session::Refusal::Renewing
    );
    assert_eq!(one.access_token().await.unwrap(), new, "the stored token");
    assert_eq!(sb.counters().pump_logins, 2, "no login for the refusal");
    assert_eq!(one.stats().adopted, 1, "{:?}", one.stats());
    let client = PumpClient::builder()
        .base_url(sb.pump_url())
        .build()
        .unwrap();
    client.profile(&new).await.unwrap();
}
