//! A session resuming from a store, stores that fail, and stored tokens of another
//! identity (never presented).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use auth_session::{
    Authenticator as _, FileStore, Identity, MemoryStore, Session, SessionError, StoreEntry,
    StoreError, StoredTokens, TokenStore,
};
use auth_types::{AccessToken, RefreshToken};

use crate::support::{FakeAuth, WALL_START, paused_wall_clock, token};

const SECOND: Duration = Duration::from_secs(1);

fn tokens(access: &str, refresh: Option<&str>, expires_at: u64) -> StoredTokens {
    StoredTokens {
        access_token: AccessToken::new(access),
        refresh_token: refresh.map(RefreshToken::new),
        expires_at: SystemTime::UNIX_EPOCH + Duration::from_secs(expires_at),
    }
}

/// A store holding `tokens` for `auth`'s identity.
fn owned_by(auth: &FakeAuth, tokens: StoredTokens) -> MemoryStore {
    MemoryStore::with_entry(StoreEntry {
        generation: 0,
        identity: Some(auth.identity()),
        tokens,
    })
}

fn exposed(t: &StoredTokens) -> (String, Option<String>, SystemTime) {
    (
        t.access_token.expose_secret().to_owned(),
        t.refresh_token
            .as_ref()
            .map(|r| r.expose_secret().to_owned()),
        t.expires_at,
    )
}

#[tokio::test(start_paused = true)]
async fn a_restarted_session_resumes_without_signing_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let auth = FakeAuth::pear_like();
    let clock = paused_wall_clock();
    let start = || {
        Session::builder(auth.clone())
            .token_store(FileStore::new(&path))
            .wall_clock(clock.clone())
            .refresh_jitter(Duration::ZERO)
            .build()
    };

    let first = start();
    assert_eq!(token(&first).await, "access-1");
    drop(first);
    tokio::time::advance(100 * SECOND).await;

    let second = start();
    assert_eq!(token(&second).await, "access-1");
    assert_eq!((auth.0.logins(), auth.0.refreshes()), (1, 0));
    // The stored wall-clock expiry still applies: refresh 60 s before it (in the
    // background), wait within the 5 s hard margin.
    tokio::time::advance(796 * SECOND).await;
    assert_eq!(token(&second).await, "access-2");
    assert_eq!((auth.0.logins(), auth.0.refreshes()), (1, 1));
    let stored = FileStore::new(&path).load().await.unwrap().unwrap();
    assert_eq!(
        exposed(&stored).1.as_deref(),
        Some("refresh-2"),
        "the rotated refresh token was saved"
    );
}

#[tokio::test(start_paused = true)]
async fn a_stored_expired_access_token_is_renewed_with_the_stored_refresh_token() {
    let auth = FakeAuth::pear_like();
    *auth.0.valid_refresh.lock().unwrap() = Some("stored-refresh".into());
    let store = owned_by(&auth, tokens("old", Some("stored-refresh"), WALL_START - 5));
    let session = Session::builder(auth.clone())
        .token_store(store)
        .wall_clock(paused_wall_clock())
        .build();
    assert_eq!(token(&session).await, "access-1");
    assert_eq!((auth.0.logins(), auth.0.refreshes()), (0, 1));
}

#[tokio::test(start_paused = true)]
async fn a_stored_dead_refresh_token_leads_to_a_login() {
    let auth = FakeAuth::pear_like();
    let store = owned_by(&auth, tokens("old", Some("dead"), WALL_START - 5));
    let session = Session::builder(auth.clone())
        .token_store(store)
        .wall_clock(paused_wall_clock())
        .build();
    assert_eq!(token(&session).await, "access-1");
    assert_eq!((auth.0.logins(), auth.0.refreshes()), (1, 1));
}

#[tokio::test(start_paused = true)]
async fn logout_removes_the_token_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let auth = FakeAuth::pear_like();
    let session = Session::builder(auth.clone())
        .token_store(FileStore::new(&path))
        .build();
    token(&session).await;
    assert!(path.exists());
    session.logout().await.unwrap();
    assert!(!path.exists());
}

#[tokio::test(start_paused = true)]
async fn logout_of_a_fresh_process_revokes_the_stored_session() {
    let auth = FakeAuth::pear_like();
    let store = Arc::new(owned_by(
        &auth,
        tokens("stored-access", Some("stored-refresh"), WALL_START + 600),
    ));
    let session = Session::builder(auth.clone())
        .token_store(Arc::clone(&store))
        .wall_clock(paused_wall_clock())
        .build();
    session.logout().await.unwrap();
    assert_eq!(
        *auth.0.logged_out.lock().unwrap(),
        [(
            "stored-access".to_owned(),
            Some("stored-refresh".to_owned())
        )]
    );
    assert!(store.load().await.unwrap().is_none());
}

/// A store whose operations fail on demand.
#[derive(Debug, Default)]
struct FlakyStore {
    inner: MemoryStore,
    fail_load: AtomicBool,
    fail_save: AtomicBool,
    fail_clear: AtomicBool,
}

#[async_trait]
impl TokenStore for FlakyStore {
    async fn load(&self) -> Result<Option<StoredTokens>, StoreError> {
        if self.fail_load.load(Ordering::SeqCst) {
            return Err(broken());
        }
        self.inner.load().await
    }
    async fn save(&self, tokens: &StoredTokens) -> Result<(), StoreError> {
        if self.fail_save.load(Ordering::SeqCst) {
            return Err(broken());
        }
        self.inner.save(tokens).await
    }
    async fn clear(&self) -> Result<(), StoreError> {
        if self.fail_clear.load(Ordering::SeqCst) {
            return Err(broken());
        }
        self.inner.clear().await
    }
}

fn broken() -> StoreError {
    StoreError::other("disk on fire")
}

#[tokio::test(start_paused = true)]
async fn a_failing_save_keeps_the_fresh_tokens() {
    let auth = FakeAuth::pear_like();
    let store = Arc::new(FlakyStore::default());
    store.fail_save.store(true, Ordering::SeqCst);
    let session = Session::builder(auth.clone())
        .token_store(Arc::clone(&store))
        .refresh_jitter(Duration::ZERO)
        .build();
    assert_eq!(token(&session).await, "access-1");
    assert_eq!(token(&session).await, "access-1");
    tokio::time::advance(896 * SECOND).await;
    assert_eq!(token(&session).await, "access-2");
    assert_eq!((auth.0.logins(), auth.0.refreshes()), (1, 1));
    assert!(store.inner.load().await.unwrap().is_none());
}

#[tokio::test(start_paused = true)]
async fn a_failing_load_means_a_login() {
    let auth = FakeAuth::pear_like();
    let store = FlakyStore::default();
    store.fail_load.store(true, Ordering::SeqCst);
    let session = Session::builder(auth.clone()).token_store(store).build();
    assert_eq!(token(&session).await, "access-1");
    assert_eq!(auth.0.logins(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_failing_clear_at_logout_is_reported_and_memory_is_cleared() {
    let auth = FakeAuth::pear_like();
    let store = Arc::new(FlakyStore::default());
    let session = Session::builder(auth.clone())
        .token_store(Arc::clone(&store))
        .build();
    token(&session).await;
    store.fail_clear.store(true, Ordering::SeqCst);
    let error = session.logout().await.unwrap_err();
    assert!(matches!(error, SessionError::Store { .. }), "{error:?}");
    assert_eq!(auth.0.logouts(), 1);
    // Memory was cleared: the next call logs in, and does not reload the stale store.
    assert_eq!(token(&session).await, "access-2");
    assert_eq!(auth.0.logins(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_failing_save_after_a_refresh_clears_the_spent_refresh_token() {
    let auth = FakeAuth::pear_like();
    let store = Arc::new(FlakyStore::default());
    let session = Session::builder(auth.clone())
        .token_store(Arc::clone(&store))
        .build();
    assert_eq!(token(&session).await, "access-1");
    assert!(store.inner.load().await.unwrap().is_some());
    store.fail_save.store(true, Ordering::SeqCst);
    tokio::time::advance(901 * SECOND).await;
    assert_eq!(token(&session).await, "access-2");
    assert!(
        store.inner.load().await.unwrap().is_none(),
        "refresh-1 is spent: a restart must not present it"
    );
}

/// A Pear-like session of `identity` over the file at `path`.
fn session_on_file(auth: &FakeAuth, path: &std::path::Path) -> Session<FakeAuth> {
    Session::builder(auth.clone())
        .token_store(FileStore::new(path))
        .wall_clock(paused_wall_clock())
        .build()
}

fn pear(account: &str, client_id: &str, base_url: &str) -> Identity {
    Identity::new("pear", base_url)
        .with_account(account)
        .with_client_id(client_id)
}

#[tokio::test(start_paused = true)]
async fn stored_tokens_of_another_identity_are_never_presented() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let owner = pear("0xA", "client", "https://pear.test");
    let first = FakeAuth::with_identity(owner.clone());
    assert_eq!(token(&session_on_file(&first, &path)).await, "access-1");

    let others = [
        pear("0xB", "client", "https://pear.test"), // another wallet
        pear("0xA", "other", "https://pear.test"),  // another client id
        pear("0xA", "client", "https://other.test"), // another server
        Identity::new("pump.fun", "https://pear.test").with_account("0xA"), // another provider
    ];
    for identity in others {
        // Each stranger's server would accept the stored refresh token, if it were sent.
        let stranger = FakeAuth::with_identity(identity.clone());
        *stranger.0.valid_refresh.lock().unwrap() = Some("refresh-1".into());
        let session = session_on_file(&stranger, &path);
        assert_eq!(
            token(&session).await,
            "access-1",
            "its own login, not the stored token"
        );
        assert!(
            stranger.0.presented.lock().unwrap().is_empty(),
            "{identity}"
        );
        assert_eq!(stranger.0.logins(), 1, "{identity}");
        session.logout().await.unwrap();
        assert_eq!(
            *stranger.0.logged_out.lock().unwrap(),
            [("access-1".to_owned(), Some("refresh-1".to_owned()))],
            "only its own tokens were revoked"
        );
        // Restore the owner's entry for the next stranger.
        let again = FakeAuth::with_identity(owner.clone());
        assert_eq!(token(&session_on_file(&again, &path)).await, "access-1");
    }
    // The owner itself resumes from its file.
    let resumed = FakeAuth::with_identity(owner);
    assert_eq!(token(&session_on_file(&resumed, &path)).await, "access-1");
    assert_eq!(resumed.0.logins(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_file_written_before_identities_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    std::fs::write(
        &path,
        format!(
            r#"{{"version":1,"access_token":"old-access","refresh_token":"old-refresh","expires_at":{}}}"#,
            WALL_START + 600
        ),
    )
    .unwrap();
    let auth = FakeAuth::pear_like();
    *auth.0.valid_refresh.lock().unwrap() = Some("old-refresh".into());
    let session = session_on_file(&auth, &path);
    assert_eq!(token(&session).await, "access-1");
    assert!(auth.0.presented.lock().unwrap().is_empty());
    session.logout().await.unwrap();
    assert_eq!(auth.0.logged_out.lock().unwrap()[0].0, "access-1");
}
