//! `PearAuthenticator::refresh_only` against the sandbox: it serves and refreshes what a
//! store holds for its account, and never logs in.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_session::{
    Authenticator as _, MemoryStore, Session, SessionError, StoreEntry, StoredTokens,
};
use auth_test_support::keys::eth_signer;
use auth_test_support::sandbox::whoami;
use auth_types::{AccessToken, RefreshToken};
use pear_auth::{PearAuthenticator, PearClient, PearFailure, ProviderError};

fn client(sb: &Sandbox) -> PearClient {
    PearClient::builder()
        .base_url(sb.pear_url())
        .build()
        .unwrap()
}

/// Whether `error` is the refresh-only session's "sign in again".
fn login_required<T: std::fmt::Debug>(
    result: Result<T, SessionError<pear_auth::PearError>>,
) -> bool {
    match result {
        Err(SessionError::Login { source }) => matches!(
            source.as_ref(),
            ProviderError::Provider(PearFailure::LoginRequired { .. })
        ),
        other => panic!("expected a login failure, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn it_serves_then_refreshes_what_a_wallet_session_stored_and_never_logs_in() {
    let sb = Sandbox::start(SandboxConfig::default().with_access_token_ttl(Duration::from_secs(2)))
        .await
        .unwrap();
    let signer = Arc::new(eth_signer(61));
    let address = signer.address();
    let store = Arc::new(MemoryStore::new());
    let wallet = Session::builder(PearAuthenticator::wallet(client(&sb), signer))
        .token_store(Arc::clone(&store))
        .build();
    let signed_in = wallet.access_token().await.unwrap();
    drop(wallet);

    let refresh_only = PearAuthenticator::refresh_only(client(&sb), address);
    let session = Session::builder(refresh_only).token_store(store).build();
    assert_eq!(session.access_token().await.unwrap(), signed_in);
    // Past the token's life: the stored refresh token renews it.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let renewed = session.access_token().await.unwrap();
    assert_ne!(renewed, signed_in);
    assert_eq!(whoami(&sb, &renewed).await, 200);
    let c = sb.counters();
    assert_eq!(c.pear_logins, 1, "the wallet's login only");
    assert!(c.pear_refreshes >= 1, "{c:?}");
    assert_eq!(c.refused_reuses, 0);
}

#[tokio::test]
async fn with_nothing_stored_it_says_to_sign_in_again_and_sends_nothing() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let address = eth_signer(62).address();
    let session = Session::builder(PearAuthenticator::refresh_only(client(&sb), address))
        .token_store(MemoryStore::new())
        .build();
    let result = session.access_token().await;
    let text = result.as_ref().err().map(ToString::to_string).unwrap();
    assert!(text.contains(&address.to_string()), "{text}");
    assert!(text.contains("sign in again"), "{text}");
    assert!(login_required(result));
    let c = sb.counters();
    assert_eq!((c.pear_messages, c.pear_logins), (0, 0));
}

#[tokio::test]
async fn a_refused_refresh_token_ends_in_sign_in_again_not_a_login() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let address = eth_signer(63).address();
    let authenticator = PearAuthenticator::refresh_only(client(&sb), address);
    let expired = StoreEntry::new(
        Some(authenticator.identity()),
        StoredTokens {
            access_token: AccessToken::new("expired"),
            refresh_token: Some(RefreshToken::new("never-issued")),
            expires_at: SystemTime::now() - Duration::from_secs(60),
        },
    );
    let session = Session::builder(authenticator)
        .token_store(MemoryStore::with_entry(expired))
        .build();
    assert!(login_required(session.access_token().await));
    let c = sb.counters();
    assert_eq!((c.pear_messages, c.pear_logins), (0, 0));
}

#[test]
fn its_identity_is_the_wallets_for_the_same_address_and_client() {
    let signer = Arc::new(eth_signer(64));
    let pear = PearClient::builder()
        .base_url("https://pear.example")
        .client_id("BOT")
        .build()
        .unwrap();
    let wallet = PearAuthenticator::wallet(pear.clone(), signer.clone());
    let refresh_only = PearAuthenticator::refresh_only(pear, signer.address());
    assert_eq!(wallet.identity(), refresh_only.identity());
    let other = PearAuthenticator::refresh_only(
        PearClient::builder()
            .base_url("https://pear.example")
            .build()
            .unwrap(),
        signer.address(),
    );
    assert_ne!(
        other.identity(),
        refresh_only.identity(),
        "another client id"
    );
}
