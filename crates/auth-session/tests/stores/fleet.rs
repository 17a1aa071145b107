//! Sessions sharing one store (issue 16): the renewal lease, adoption of what another
//! session saved, the refresh token taken out of the store before it is presented, and a
//! store that fails. Several processes are in `authctl`'s fleet tests; here the sessions
//! share a process, with real files and real file locks.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use auth_session::{
    FileStore, Lease, MemoryStore, Session, SessionError, StoreEntry, StoreError, StoredTokens,
    TokenStore,
};

use crate::support::{FakeAuth, renew_in_turns, token};

/// Two sessions of one account (one fake server) over `store`.
fn pair(auth: &FakeAuth, store: Arc<dyn TokenStore>) -> (Session<FakeAuth>, Session<FakeAuth>) {
    let session = |store: Arc<dyn TokenStore>| {
        Session::builder(auth.clone())
            .token_store(store)
            .wait_timeout(Duration::from_secs(5))
            .build()
    };
    (session(store.clone()), session(store))
}

#[tokio::test]
async fn two_sessions_on_one_shared_memory_store_renew_once_each_time() {
    let auth = FakeAuth::pear_like();
    let (a, b) = pair(&auth, Arc::new(MemoryStore::new()));
    renew_in_turns(&auth, &a, &b).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_file_stores_on_one_file_renew_once_each_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let auth = FakeAuth::pear_like();
    // Two stores, as two processes would open the file.
    let a = Session::builder(auth.clone())
        .token_store(FileStore::new(&path))
        .build();
    let b = Session::builder(auth.clone())
        .token_store(FileStore::new(&path))
        .build();
    renew_in_turns(&auth, &a, &b).await;
    assert!(FileStore::new(&path).lock_path().exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_sessions_racing_on_one_file_log_in_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let auth = FakeAuth::pear_like();
    let sessions: Vec<_> = (0..8)
        .map(|_| {
            Arc::new(
                Session::builder(auth.clone())
                    .token_store(FileStore::new(&path))
                    .build(),
            )
        })
        .collect();
    let tokens: Vec<String> = futures_join(sessions.iter().map(|s| {
        let s = Arc::clone(s);
        async move { token(&s).await }
    }))
    .await;
    assert!(tokens.windows(2).all(|w| w[0] == w[1]), "{tokens:?}");
    assert_eq!(auth.state().logins(), 1);
    let renewed: Vec<String> = futures_join(sessions.iter().map(|s| {
        let s = Arc::clone(s);
        async move { s.refresh_now().await.unwrap().expose_secret().to_owned() }
    }))
    .await;
    // However the forced renewals interleave, no refresh token is presented twice.
    auth.state().assert_each_refresh_token_presented_once();
    assert!(renewed.iter().all(|t| t != &tokens[0]));
}

/// Runs the futures on tasks of their own, in parallel; their results in order.
async fn futures_join<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_refresh_token_leaves_the_store_before_it_is_presented() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let auth = FakeAuth::pear_like();
    let session = Arc::new(
        Session::builder(auth.clone())
            .token_store(FileStore::new(&path))
            .build(),
    );
    token(&session).await;
    let stored = FileStore::new(&path).load_entry().await.unwrap().unwrap();
    assert!(stored.tokens.refresh_token.is_some());
    // Hold the refresh at the server, as a process killed mid-refresh would leave it.
    *auth.0.gated.lock().unwrap() = true;
    let renewing = tokio::spawn({
        let session = Arc::clone(&session);
        async move { session.refresh_now().await }
    });
    while auth.state().refreshes() == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // While the refresh token is out at the server, the file does not hold it: a process
    // that took over now would log in, never present it again.
    let during = FileStore::new(&path).load_entry().await.unwrap().unwrap();
    assert!(during.tokens.refresh_token.is_none());
    assert!(during.generation > stored.generation);
    // And the lease is held.
    let err = FileStore::new(&path)
        .lease(Duration::from_millis(50), Duration::from_secs(60))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::LeaseTimeout { .. }), "{err:?}");
    auth.0.gate.notify_one();
    renewing.await.unwrap().unwrap();
    let after = FileStore::new(&path).load_entry().await.unwrap().unwrap();
    assert!(after.tokens.refresh_token.is_some());
    assert!(after.generation > during.generation);
    // Released: another can take it now.
    let lease = FileStore::new(&path)
        .lease(Duration::from_secs(1), Duration::from_secs(60))
        .await
        .unwrap()
        .unwrap();
    lease.release().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lease_held_too_long_is_a_transient_error_not_a_second_renewal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let holder = FileStore::new(&path)
        .lease(Duration::from_secs(1), Duration::from_secs(60))
        .await
        .unwrap()
        .unwrap();
    let auth = FakeAuth::pear_like();
    let session = Session::builder(auth.clone())
        .token_store(FileStore::new(&path))
        .wait_timeout(Duration::from_millis(500))
        .build();
    let err = session.access_token().await.unwrap_err();
    match &err {
        SessionError::Store { source } => {
            assert!(
                matches!(**source, StoreError::LeaseTimeout { .. }),
                "{err:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(err.is_transient());
    assert_eq!(auth.state().logins(), 0);
    holder.release().await.unwrap();
    token(&session).await;
    assert_eq!(auth.state().logins(), 1);
}

/// A shared store whose server is down: every call fails at once.
#[derive(Debug)]
struct Down;

fn down() -> StoreError {
    StoreError::Unavailable {
        store: "redis://127.0.0.1:1".to_owned(),
        source: "connection refused".into(),
    }
}

#[async_trait]
impl TokenStore for Down {
    async fn load(&self) -> Result<Option<StoredTokens>, StoreError> {
        Err(down())
    }
    async fn save(&self, _: &StoredTokens) -> Result<(), StoreError> {
        Err(down())
    }
    async fn clear(&self) -> Result<(), StoreError> {
        Err(down())
    }
    async fn save_entry(&self, _: &StoreEntry) -> Result<(), StoreError> {
        Err(down())
    }
    async fn lease(&self, _: Duration, _: Duration) -> Result<Option<Box<dyn Lease>>, StoreError> {
        Err(down())
    }
}

#[tokio::test]
async fn a_store_that_is_down_leaves_the_session_working_in_memory() {
    let auth = FakeAuth::pear_like();
    let session = Session::builder(auth.clone()).token_store(Down).build();
    let first = token(&session).await;
    let renewed = session.refresh_now().await.unwrap();
    assert_ne!(renewed.expose_secret(), first);
    assert_eq!(auth.state().logins(), 1);
    assert_eq!(auth.state().refreshes(), 1);
}

#[tokio::test]
async fn a_corrupt_or_foreign_entry_is_ignored_under_the_lease() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    std::fs::write(&path, b"{ not a token file").unwrap();
    let auth = FakeAuth::pear_like();
    let session = Session::builder(auth.clone())
        .token_store(FileStore::new(&path))
        .build();
    token(&session).await;
    assert_eq!(auth.state().logins(), 1);
    // Another account's entry appears: never adopted, never presented.
    let foreign = StoreEntry {
        identity: Some(auth_session::Identity::new("fake", "http://other.test")),
        tokens: StoredTokens {
            access_token: auth_types::AccessToken::new("foreign-access"),
            refresh_token: Some(auth_types::RefreshToken::new("foreign-refresh")),
            expires_at: std::time::SystemTime::now() + Duration::from_secs(900),
        },
        generation: 99,
    };
    FileStore::new(&path).save_entry(&foreign).await.unwrap();
    let renewed = session.refresh_now().await.unwrap();
    assert_ne!(renewed.expose_secret(), "foreign-access");
    let presented = auth.state().presented.lock().unwrap().clone();
    assert!(
        !presented.iter().any(|p| p == "foreign-refresh"),
        "{presented:?}"
    );
}
