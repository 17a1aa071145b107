//! Pear sessions against the sandbox: expiry, single flight, rotation, re-login, logout.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::sync::Arc;
use std::time::{Duration, Instant};

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_signing::ethereum::LocalEthSigner;
use auth_test_support::keys::eth_signer;
use auth_test_support::sandbox::whoami;
use auth_transport::{HttpTransport, HyperTransport, ReqwestTransport};
use pear_auth::{PearAuthenticator, PearClient, PearSession};

fn wallet(seed: u8) -> Arc<LocalEthSigner> {
    Arc::new(eth_signer(seed))
}

fn session(sb: &Sandbox, transport: Arc<dyn HttpTransport>, seed: u8) -> PearSession {
    let client = PearClient::builder()
        .base_url(sb.pear_url())
        .shared_transport(transport)
        .build()
        .unwrap();
    PearSession::new(PearAuthenticator::wallet(client, wallet(seed)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_survives_two_second_tokens_on_both_backends() {
    let sb = Sandbox::start(SandboxConfig::default().with_access_token_ttl(Duration::from_secs(2)))
        .await
        .unwrap();
    let transports: [Arc<dyn HttpTransport>; 2] = [
        Arc::new(ReqwestTransport::new().unwrap()),
        Arc::new(HyperTransport::new().unwrap()),
    ];
    for (i, transport) in transports.into_iter().enumerate() {
        let session = session(&sb, transport, 1 + i as u8);
        let started = Instant::now();
        let mut calls = 0;
        while started.elapsed() < Duration::from_millis(3500) {
            let token = session.access_token().await.unwrap();
            assert_eq!(
                whoami(&sb, &token).await,
                200,
                "a dead token after {:?}",
                started.elapsed()
            );
            calls += 1;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // The span covers several token lifetimes however slow the machine; the count
        // only shows the loop ran.
        assert!(calls >= 3, "{calls} calls");
    }
    let c = sb.counters();
    assert_eq!(
        c.pear_logins, 2,
        "one login per session; refresh did the rest"
    );
    assert!(c.pear_refreshes >= 2, "{c:?}");
    assert_eq!(c.refused_reuses, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_callers_on_an_expiring_token_cause_one_refresh() {
    let sb = Sandbox::start(SandboxConfig::default().with_access_token_ttl(Duration::from_secs(6)))
        .await
        .unwrap();
    let session = session(&sb, Arc::new(ReqwestTransport::new().unwrap()), 3);
    session.access_token().await.unwrap();
    // With a 6 s token the refresh margin is 3 s and the hard margin 1.5 s (half the
    // refresh margin): after 4.65 s every caller must wait for the refresh. The new token
    // is not due for 3 s, so the thousand callers have that long to finish on a loaded
    // machine before a second renewal could start.
    tokio::time::sleep(Duration::from_millis(4650)).await;
    let before = sb.counters().pear_refreshes;
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let s = session.clone();
            tokio::spawn(async move { s.access_token().await })
        })
        .collect();
    let mut tokens = Vec::new();
    for t in tasks {
        tokens.push(t.await.unwrap().unwrap());
    }
    assert_eq!(
        sb.counters().pear_refreshes - before,
        1,
        "exactly one refresh request"
    );
    assert!(
        tokens.windows(2).all(|w| w[0] == w[1]),
        "everyone got the refreshed token"
    );
    assert_eq!(whoami(&sb, &tokens[0]).await, 200);
}

#[tokio::test]
async fn a_dead_refresh_token_means_a_new_login_with_the_api_key() {
    // Refresh tokens that die before the access token needs refreshing.
    let sb = Sandbox::start(
        SandboxConfig::default()
            .with_access_token_ttl(Duration::from_secs(2))
            .with_refresh_token_ttl(Duration::from_secs(1)),
    )
    .await
    .unwrap();
    let signer = wallet(4);
    let client = PearClient::builder()
        .base_url(sb.pear_url())
        .build()
        .unwrap();
    // Sign once, create a key, and run the session on the key.
    let first = client.login_eip712(signer.as_ref()).await.unwrap();
    let key = client
        .create_api_key(&first.access_token, Some("bot"))
        .await
        .unwrap();
    let session = PearSession::new(PearAuthenticator::api_key(
        client.clone(),
        signer.address(),
        key.api_key,
    ));
    let token = session.access_token().await.unwrap();
    assert_eq!(whoami(&sb, &token).await, 200);
    // Inside the hard margin (0.5 s of a 2 s token, where callers wait for the renewal)
    // and past the refresh token's life.
    tokio::time::sleep(Duration::from_millis(1650)).await;
    let next = session.access_token().await.unwrap();
    assert_ne!(next, token);
    assert_eq!(whoami(&sb, &next).await, 200);
    let c = sb.counters();
    assert_eq!(c.pear_refreshes, 0, "the dead refresh token was refused");
    assert_eq!(
        c.pear_logins, 3,
        "wallet login, key login, key login after the refusal"
    );
    assert_eq!(c.refused_reuses, 0);
}

#[tokio::test]
async fn logout_ends_the_session_and_the_next_call_logs_in_again() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let session = session(&sb, Arc::new(ReqwestTransport::new().unwrap()), 6);
    let token = session.access_token().await.unwrap();
    session.logout().await.unwrap();
    assert_eq!(whoami(&sb, &token).await, 401, "logout killed the token");
    let again = session.access_token().await.unwrap();
    assert_eq!(whoami(&sb, &again).await, 200);
    let c = sb.counters();
    assert_eq!((c.pear_logins, c.pear_logouts), (2, 1));
}

#[tokio::test]
async fn a_token_revoked_early_is_reported_and_replaced_by_a_new_login() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let session = session(&sb, Arc::new(ReqwestTransport::new().unwrap()), 9);
    let token = session.access_token().await.unwrap();
    assert_eq!(whoami(&sb, &token).await, 200);
    // The server ends the session 15 minutes early; the client cannot know until a 401.
    assert!(sb.revoke(token.expose_secret()));
    assert_eq!(whoami(&sb, &token).await, 401);
    assert_eq!(session.access_token().await.unwrap(), token, "still cached");
    assert!(session.invalidate(&token));
    let fresh = session.access_token().await.unwrap();
    assert_ne!(fresh, token);
    assert_eq!(whoami(&sb, &fresh).await, 200);
    let c = sb.counters();
    // The refresh token died with its session, so the session signed in again.
    assert_eq!((c.pear_logins, c.pear_refreshes), (2, 0), "{c:?}");
    assert_eq!(c.refused_reuses, 0);
}

#[tokio::test]
async fn a_hostile_server_makes_the_session_fail_permanently_without_signing() {
    let sb = Sandbox::start(SandboxConfig::default().with_hostile(true))
        .await
        .unwrap();
    let session = session(&sb, Arc::new(ReqwestTransport::new().unwrap()), 5);
    let err = session.access_token().await.unwrap_err();
    assert!(!err.is_transient());
    assert!(err.to_string().contains("refusing to sign"), "{err}");
    assert_eq!(sb.counters().pear_logins, 0);
}

#[test]
fn sessions_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<PearSession>();
    assert_send_sync::<PearAuthenticator>();
}

/// A session of wallet `seed` with client id `client_id` on `url`, keeping tokens in `file`.
fn session_on_file(url: &str, client_id: &str, seed: u8, file: &std::path::Path) -> PearSession {
    let client = PearClient::builder()
        .base_url(url)
        .client_id(client_id)
        .build()
        .unwrap();
    PearSession::builder(PearAuthenticator::wallet(client, wallet(seed)))
        .token_store(auth_session::FileStore::new(file))
        .build()
}

#[tokio::test]
async fn a_store_written_for_another_wallet_client_id_or_server_is_never_presented() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let other_server = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("identity.json");
    let owner = || session_on_file(&sb.pear_url(), "client-a", 20, &file);
    let stored = owner().access_token().await.unwrap();

    let strangers = [
        (session_on_file(&sb.pear_url(), "client-a", 21, &file), &sb), // another wallet
        (session_on_file(&sb.pear_url(), "client-b", 20, &file), &sb), // another client id
        (
            session_on_file(&other_server.pear_url(), "client-a", 20, &file),
            &other_server,
        ),
    ];
    for (stranger, server) in strangers {
        let logins = server.counters().pear_logins;
        let token = stranger.access_token().await.unwrap();
        assert_ne!(token, stored, "the stored token was handed out");
        assert_eq!(
            server.counters().pear_logins,
            logins + 1,
            "it logged in itself"
        );
        // Put the owner's tokens back for the next stranger (a login of the owner).
        drop(stranger);
        owner().logout().await.unwrap();
        let _ = owner().access_token().await.unwrap();
    }
    assert_eq!(sb.counters().pear_refreshes, 0);
    assert_eq!(other_server.counters().pear_refreshes, 0);
    assert_eq!(sb.counters().refused_reuses, 0);
}

#[test]
fn the_identity_names_provider_server_account_and_client_id() {
    let client = PearClient::builder()
        .base_url("https://pear.test/")
        .client_id("bot")
        .build()
        .unwrap();
    let signer = wallet(7);
    let address = signer.address();
    let identity =
        auth_session::Authenticator::identity(&PearAuthenticator::wallet(client.clone(), signer));
    assert_eq!(identity.provider(), "pear");
    assert_eq!(identity.base_url(), "https://pear.test");
    assert_eq!(identity.account(), Some(address.to_string().as_str()));
    assert_eq!(identity.client_id(), Some("bot"));
    let by_key = auth_session::Authenticator::identity(&PearAuthenticator::api_key(
        client,
        address,
        auth_types::ApiKey::new("key"),
    ));
    assert_eq!(by_key, identity, "the same account by API key");
}
