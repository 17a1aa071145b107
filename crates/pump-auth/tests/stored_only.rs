//! `PumpAuthenticator::stored_only` against the sandbox: it serves the token a store
//! holds for its wallet until it expires, and never signs in.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::sync::Arc;
use std::time::Duration;

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_session::{Authenticator as _, MemoryStore, Session, SessionError};
use auth_test_support::keys::solana_keypair;
use pump_auth::{ProviderError, PumpAuthenticator, PumpClient, PumpError, PumpFailure};

fn client(sb: &Sandbox) -> PumpClient {
    PumpClient::builder()
        .base_url(sb.pump_url())
        .build()
        .unwrap()
}

/// Whether `result` is the stored-only session's "sign in again".
fn login_required<T: std::fmt::Debug>(result: Result<T, SessionError<PumpError>>) -> bool {
    match result {
        Err(SessionError::Login { source }) => matches!(
            source.as_ref(),
            ProviderError::Provider(PumpFailure::LoginRequired { .. })
        ),
        other => panic!("expected a login failure, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn it_serves_a_stored_token_until_it_expires_then_says_to_sign_in_again() {
    let sb = Sandbox::start(SandboxConfig::default().with_pump_token_ttl(Duration::from_secs(2)))
        .await
        .unwrap();
    let keypair = Arc::new(solana_keypair(71));
    let wallet = keypair.pubkey();
    let store = Arc::new(MemoryStore::new());
    let signer = Session::builder(PumpAuthenticator::new(client(&sb), keypair))
        .token_store(Arc::clone(&store))
        .build();
    let signed_in = signer.access_token().await.unwrap();
    drop(signer);

    let session = Session::builder(PumpAuthenticator::stored_only(client(&sb), wallet))
        .token_store(store)
        .build();
    assert_eq!(session.access_token().await.unwrap(), signed_in);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let result = session.access_token().await;
    let text = result.as_ref().err().map(ToString::to_string).unwrap();
    assert!(text.contains(&wallet.to_string()), "{text}");
    assert!(login_required(result));
    assert_eq!(sb.counters().pump_logins, 1, "the signer's sign-in only");
}

#[tokio::test]
async fn with_nothing_stored_it_sends_nothing() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let wallet = solana_keypair(72).pubkey();
    let session = Session::builder(PumpAuthenticator::stored_only(client(&sb), wallet))
        .token_store(MemoryStore::new())
        .build();
    assert!(login_required(session.access_token().await));
    assert_eq!(sb.counters().pump_logins, 0);
}

#[test]
fn its_identity_is_the_signers_for_the_same_wallet() {
    let keypair = Arc::new(solana_keypair(73));
    let pump = PumpClient::builder()
        .base_url("https://pump.example")
        .build()
        .unwrap();
    let wallet = keypair.pubkey();
    let signer = PumpAuthenticator::new(pump.clone(), keypair);
    assert_eq!(
        signer.identity(),
        PumpAuthenticator::stored_only(pump, wallet).identity()
    );
}
