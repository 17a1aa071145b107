//! Sessions on a real `redis-server` (started by each test on a port it picks, killed at
//! its end): sharing one Redis, a corrupt value, and a server that stops or was never
//! there. Needs `redis-server` on PATH (`cargo xtask test` installs it).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use auth_session::{
    EntryProblem, Identity, RedisStore, Session, StoreEntry, StoreError, StoredTokens, TokenStore,
};
use auth_test_support::redis::RedisServer;
use auth_types::{AccessToken, RefreshToken};

use crate::support::{FakeAuth, renew_in_turns, token};

const KEY: &str = "auth:fake:test";

fn store(server: &RedisServer) -> RedisStore {
    RedisStore::new(&server.url(), KEY).unwrap()
}

fn entry(generation: u64) -> StoreEntry {
    StoreEntry {
        identity: Some(
            Identity::new("fake", "http://fake.test")
                .with_account("0xabc")
                .with_client_id("bot"),
        ),
        tokens: StoredTokens {
            access_token: AccessToken::new("access-stored"),
            refresh_token: Some(RefreshToken::new("refresh-stored")),
            expires_at: SystemTime::UNIX_EPOCH + Duration::from_secs(1_900_000_000),
        },
        generation,
    }
}

/// Two sessions of one account (one fake server), each with its own store on `server`,
/// as two machines would have.
fn pair(auth: &FakeAuth, server: &RedisServer) -> (Session<FakeAuth>, Session<FakeAuth>) {
    let session = || {
        Session::builder(auth.clone())
            .token_store(store(server))
            .wait_timeout(Duration::from_secs(5))
            .build()
    };
    (session(), session())
}

#[tokio::test]
async fn a_corrupt_value_is_an_error_without_its_content_and_the_session_logs_in() {
    let server = RedisServer::start();
    let answer = server.command(&[b"SET", KEY.as_bytes(), b"{ \"access_token\": \"leaked-1234"]);
    assert!(answer.starts_with(b"+OK"));
    let error = store(&server).load_entry().await.unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::InvalidEntry {
                problem: EntryProblem::Malformed { .. },
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!error.to_string().contains("leaked"), "{error}");
    assert!(!format!("{error:?}").contains("leaked"), "{error:?}");
    // A future version.
    server.command(&[b"SET", KEY.as_bytes(), b"{\"version\": 9}"]);
    let error = store(&server).load_entry().await.unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::InvalidEntry {
                problem: EntryProblem::UnsupportedVersion { version: 9 },
                ..
            }
        ),
        "{error:?}"
    );
    // Larger than any entry: refused.
    let huge = vec![b' '; (1 << 20) + 10];
    server.command(&[b"SET", KEY.as_bytes(), &huge]);
    let error = store(&server).load_entry().await.unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::InvalidEntry {
                problem: EntryProblem::TooLarge { .. },
                ..
            }
        ),
        "{error:?}"
    );
    // A value of another type: a server error, not a panic.
    server.command(&[b"DEL", KEY.as_bytes()]);
    server.command(&[b"HSET", KEY.as_bytes(), b"a", b"b"]);
    assert!(store(&server).load_entry().await.is_err());
    // The session ignores what it cannot read and logs in, then saves over it.
    server.command(&[b"DEL", KEY.as_bytes()]);
    server.command(&[b"SET", KEY.as_bytes(), b"not json at all"]);
    let auth = FakeAuth::pear_like();
    let session = Session::builder(auth.clone())
        .token_store(store(&server))
        .build();
    let first = token(&session).await;
    assert_eq!(auth.state().logins(), 1);
    let saved = store(&server).load_entry().await.unwrap().unwrap();
    assert_eq!(saved.tokens.access_token.expose_secret(), first);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_sessions_on_one_redis_renew_once_each_time() {
    let server = RedisServer::start();
    let auth = FakeAuth::pear_like();
    let (a, b) = pair(&auth, &server);
    renew_in_turns(&auth, &a, &b).await;
    // The lease is free again.
    let lease = store(&server)
        .lease(Duration::from_secs(1), Duration::from_secs(60))
        .await
        .unwrap()
        .unwrap();
    lease.release().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_sessions_racing_on_one_redis_log_in_once_and_present_no_token_twice() {
    let server = RedisServer::start();
    let auth = FakeAuth::pear_like();
    let sessions: Vec<_> = (0..8)
        .map(|_| {
            Arc::new(
                Session::builder(auth.clone())
                    .token_store(store(&server))
                    .wait_timeout(Duration::from_secs(10))
                    .build(),
            )
        })
        .collect();
    let handles: Vec<_> = sessions
        .iter()
        .map(|s| {
            let s = Arc::clone(s);
            tokio::spawn(async move { token(&s).await })
        })
        .collect();
    let mut tokens = Vec::new();
    for handle in handles {
        tokens.push(handle.await.unwrap());
    }
    assert!(tokens.windows(2).all(|w| w[0] == w[1]), "{tokens:?}");
    assert_eq!(auth.state().logins(), 1);
    let handles: Vec<_> = sessions
        .iter()
        .map(|s| {
            let s = Arc::clone(s);
            tokio::spawn(async move { s.refresh_now().await.unwrap() })
        })
        .collect();
    for handle in handles {
        handle.await.unwrap();
    }
    auth.state().assert_each_refresh_token_presented_once();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_stops_leaves_the_sessions_working_in_memory() {
    let mut server = RedisServer::start();
    let auth = FakeAuth::pear_like();
    let (a, b) = pair(&auth, &server);
    let first = token(&a).await;
    assert_eq!(token(&b).await, first);
    server.stop();
    // Every call fails, fast and bounded; the sessions renew on their own, in memory.
    let error = store(&server).load_entry().await.unwrap_err();
    assert!(matches!(error, StoreError::Unavailable { .. }), "{error:?}");
    let renewed = a.refresh_now().await.unwrap();
    assert_ne!(renewed.expose_secret(), first);
    assert_eq!(token(&a).await, renewed.expose_secret());
    // `b` cannot hear of `a`'s renewal while the store is down (the refresh token it holds
    // is spent; the server refuses it and `b` logs in): it still gets a live token.
    let other = b.refresh_now().await.unwrap();
    assert_ne!(other.expose_secret(), first);
    let lease = store(&server)
        .lease(Duration::from_secs(1), Duration::from_secs(60))
        .await;
    assert!(matches!(lease, Err(StoreError::Unavailable { .. })));
}

#[tokio::test]
async fn a_server_that_was_never_there_fails_every_call_fast() {
    // A port nothing listens on: refused at once.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let store = RedisStore::new(&format!("redis://:pw-nowhere@127.0.0.1:{port}/0"), KEY)
        .unwrap()
        .connect_timeout(Duration::from_millis(500))
        .response_timeout(Duration::from_millis(500));
    for result in [
        store.load_entry().await.map(|_| ()),
        store.save_entry(&entry(1)).await,
        store.clear().await,
        store
            .lease(Duration::from_secs(1), Duration::from_secs(60))
            .await
            .map(|_| ()),
    ] {
        let error = result.unwrap_err();
        assert!(matches!(error, StoreError::Unavailable { .. }), "{error:?}");
        assert!(!format!("{error} {error:?}").contains("pw-nowhere"));
    }
    let auth = FakeAuth::pear_like();
    let session = Session::builder(auth.clone()).token_store(store).build();
    token(&session).await;
    assert!(session.refresh_now().await.is_ok());
    assert_eq!(auth.state().logins(), 1);
}
