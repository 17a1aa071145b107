//! A refresh token is presented once even when the shared store misbehaves (issue 21):
//! a connection killed while a session waits for the lease, a lease attempt that fails,
//! a key of another type, a holder slower than the lease's time, and a stale holder's
//! late save. Real `redis-server`s and real files; the fake server records every refresh
//! token presented.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use auth_session::{
    FileStore, Lease, RedisStore, Session, StoreEntry, StoreError, StoredTokens, TokenStore,
};
use auth_test_support::redis::RedisServer;

use crate::support::{FakeAuth, token};

const KEY: &str = "auth:fake:failures";

fn redis(server: &RedisServer) -> RedisStore {
    RedisStore::new(&server.url(), KEY)
        .unwrap()
        .connect_timeout(Duration::from_millis(500))
        .response_timeout(Duration::from_millis(500))
}

fn session(auth: &FakeAuth, store: impl TokenStore + 'static) -> Arc<Session<FakeAuth>> {
    Arc::new(
        Session::builder(auth.clone())
            .token_store(store)
            .wait_timeout(Duration::from_secs(20))
            .build(),
    )
}

/// Two sessions of one account, each with its own store on `server` (as two machines),
/// and the token the first logged in with and the second adopted.
async fn two_sessions_on(
    auth: &FakeAuth,
    server: &RedisServer,
) -> (Arc<Session<FakeAuth>>, Arc<Session<FakeAuth>>, String) {
    let (a, b) = (session(auth, redis(server)), session(auth, redis(server)));
    let first = token(&a).await;
    assert_eq!(token(&b).await, first);
    (a, b, first)
}

/// Holds every refresh at the fake server until [`open_gate`].
fn close_gate(auth: &FakeAuth) {
    *auth.0.gated.lock().unwrap() = true;
}

fn open_gate(auth: &FakeAuth) {
    *auth.0.gated.lock().unwrap() = false;
    for _ in 0..8 {
        auth.0.gate.notify_one();
    }
}

/// Waits (bounded) until the fake server has seen `n` refreshes.
async fn until_refreshes(auth: &FakeAuth, n: usize) {
    for _ in 0..400 {
        if auth.state().refreshes() >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("no refresh {n} within 2 s");
}

fn presented(auth: &FakeAuth) -> Vec<String> {
    auth.state().presented.lock().unwrap().clone()
}

fn spawn_refresh(
    session: &Arc<Session<FakeAuth>>,
) -> tokio::task::JoinHandle<Result<String, String>> {
    let session = Arc::clone(session);
    tokio::spawn(async move {
        session
            .refresh_now()
            .await
            .map(|t| t.expose_secret().to_owned())
            .map_err(|e| e.to_string())
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_killed_while_waiting_for_the_lease_never_makes_a_second_presentation() {
    let server = RedisServer::start();
    let auth = FakeAuth::pear_like();
    let (a, b, first) = two_sessions_on(&auth, &server).await;
    close_gate(&auth);
    // `a` holds the lease and presents refresh-1 (held at the server).
    let a_renewing = spawn_refresh(&a);
    until_refreshes(&auth, 1).await;
    // `b` waits for the lease.
    let b_renewing = spawn_refresh(&b);
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Every normal client connection is reset, `b`'s among them.
    server.command(&[b"CLIENT", b"KILL", b"TYPE", b"normal"]);
    tokio::time::sleep(Duration::from_millis(700)).await;
    open_gate(&auth);
    let from_a = a_renewing.await.unwrap().unwrap();
    let from_b = b_renewing.await.unwrap().unwrap();
    assert_ne!(from_a, first);
    // `b` adopted what `a` saved once it had the lease.
    assert_eq!(from_b, from_a);
    let presented = presented(&auth);
    auth.state().assert_each_refresh_token_presented_once();
    assert_eq!(presented[0], "refresh-1", "{presented:?}");
}

/// A shared store whose next lease attempt fails once when armed (as a Redis command
/// whose connection was reset does), else the file store it wraps.
#[derive(Debug)]
struct FailsOnce {
    inner: FileStore,
    armed: AtomicBool,
}

#[async_trait]
impl TokenStore for FailsOnce {
    async fn load(&self) -> Result<Option<StoredTokens>, StoreError> {
        self.inner.load().await
    }
    async fn save(&self, tokens: &StoredTokens) -> Result<(), StoreError> {
        self.inner.save(tokens).await
    }
    async fn clear(&self) -> Result<(), StoreError> {
        self.inner.clear().await
    }
    async fn load_entry(&self) -> Result<Option<StoreEntry>, StoreError> {
        self.inner.load_entry().await
    }
    async fn save_entry(&self, entry: &StoreEntry) -> Result<(), StoreError> {
        self.inner.save_entry(entry).await
    }
    async fn lease(
        &self,
        wait: Duration,
        ttl: Duration,
    ) -> Result<Option<Box<dyn Lease>>, StoreError> {
        if self.armed.swap(false, Ordering::SeqCst) {
            return Err(StoreError::Unavailable {
                store: "flaky".to_owned(),
                source: "connection reset by peer".into(),
            });
        }
        self.inner.lease(wait, ttl).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lease_attempt_that_fails_never_makes_a_second_presentation() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let auth = FakeAuth::pear_like();
    let a = session(&auth, FileStore::new(&path));
    let flaky = Arc::new(FailsOnce {
        inner: FileStore::new(&path),
        armed: AtomicBool::new(false),
    });
    let b = session(&auth, Arc::clone(&flaky));
    let first = token(&a).await;
    assert_eq!(token(&b).await, first);
    close_gate(&auth);
    let a_renewing = spawn_refresh(&a);
    until_refreshes(&auth, 1).await;
    flaky.armed.store(true, Ordering::SeqCst);
    let b_renewing = spawn_refresh(&b);
    tokio::time::sleep(Duration::from_millis(300)).await;
    open_gate(&auth);
    a_renewing.await.unwrap().unwrap();
    b_renewing.await.unwrap().unwrap();
    auth.state().assert_each_refresh_token_presented_once();
    // `b` logged in instead of presenting what the store knew.
    assert_eq!(b.stats().logins, 1, "{:?}", b.stats());
    assert_eq!(b.stats().refreshes, 0, "{:?}", b.stats());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_of_another_type_never_makes_a_second_presentation() {
    let server = RedisServer::start();
    let auth = FakeAuth::pear_like();
    let (a, b, first) = two_sessions_on(&auth, &server).await;
    // Someone writes a hash where the entry was, and again after each renewal.
    let hash = || {
        server.command(&[b"DEL", KEY.as_bytes()]);
        server.command(&[b"HSET", KEY.as_bytes(), b"field", b"value"]);
    };
    hash();
    let from_a = a.refresh_now().await.unwrap();
    hash();
    let from_b = b.refresh_now().await.unwrap();
    assert_ne!(from_a.expose_secret(), first);
    assert_ne!(from_b.expose_secret(), first);
    auth.state().assert_each_refresh_token_presented_once();
    // Neither presented the refresh token the store had known: both logged in, and the
    // hash was replaced by an entry.
    assert_eq!(a.stats().refreshes + b.stats().refreshes, 0);
    let kind = server.command(&[b"TYPE", KEY.as_bytes()]);
    assert_eq!(
        String::from_utf8_lossy(&kind)
            .trim()
            .trim_start_matches('+'),
        "string"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_slower_than_the_lease_time_keeps_the_lease_and_the_fleet_logs_in_once() {
    let server = RedisServer::start();
    let auth = FakeAuth::pear_like();
    // Each login takes longer than a lease lasts unless kept alive (10 s).
    *auth.0.latency.lock().unwrap() = Duration::from_secs(12);
    let sessions: Vec<_> = (0..3).map(|_| session(&auth, redis(&server))).collect();
    let first = tokio::spawn({
        let a = Arc::clone(&sessions[0]);
        async move { token(&a).await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let others: Vec<_> = sessions[1..]
        .iter()
        .map(|s| {
            let s = Arc::clone(s);
            tokio::spawn(async move { token(&s).await })
        })
        .collect();
    let first = first.await.unwrap();
    for other in others {
        assert_eq!(other.await.unwrap(), first);
    }
    assert_eq!(auth.state().logins(), 1);
}

/// A holder's stalled refresh outlives its lease (its store stops keeping leases alive at
/// once, as a process cut off from Redis would); another session renews meanwhile and a
/// third adopts that. The stalled holder's late save must not take the store back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_save_of_a_holder_that_lost_its_lease_is_refused() {
    let server = RedisServer::start();
    // Tokens short enough that the one left in the entry has expired when the stalled
    // holder's lease runs out (10 s).
    let auth = FakeAuth::new(Duration::from_secs(9), true);
    let stalled = session(&auth, redis(&server).lease_time_limit(Duration::ZERO));
    let b = session(&auth, redis(&server));
    let d = session(&auth, redis(&server));
    let first = token(&stalled).await;
    assert_eq!(token(&b).await, first);
    assert_eq!(token(&d).await, first);
    close_gate(&auth);
    // The stalled holder presents refresh-1; the server holds the answer past 10 s.
    let late = spawn_refresh(&stalled);
    until_refreshes(&auth, 1).await;
    // Once its lease ran out, `b` takes it over: the entry has no refresh token (written
    // ahead) and its access token has expired, so it logs in.
    *auth.0.gated.lock().unwrap() = false;
    let from_b = b.refresh_now().await.unwrap();
    assert_eq!(b.stats().logins, 1, "{:?}", b.stats());
    assert_eq!(d.refresh_now().await.unwrap(), from_b);
    // The stalled refresh answers now; its save is refused.
    auth.0.gate.notify_one();
    let _ = late.await.unwrap();
    let stored = redis(&server).load_entry().await.unwrap().unwrap();
    assert_eq!(
        stored.tokens.access_token.expose_secret(),
        from_b.expose_secret()
    );
    // `d` renews from what `b` saved: a refresh token presented for the first time.
    let from_d = d.refresh_now().await.unwrap();
    assert_ne!(from_d, from_b);
    auth.state().assert_each_refresh_token_presented_once();
}
