//! The Redis store against a real `redis-server` (started by each test on a port it
//! picks, killed at its end): the entry, the lease, sessions sharing one Redis, passwords,
//! and a server that stops. Needs `redis-server` on PATH (`cargo xtask test` installs it).
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use auth_session::{
    EntryProblem, Identity, RedisStore, Session, StoreEntry, StoreError, StoredTokens, TokenStore,
};
use auth_test_support::redis::RedisServer;
use auth_types::{AccessToken, RefreshToken};
use support::{FakeAuth, renew_in_turns, token};

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
async fn an_entry_round_trips_with_its_identity_and_generation() {
    let server = RedisServer::start();
    let store = store(&server);
    assert!(store.load_entry().await.unwrap().is_none());
    store.save_entry(&entry(7)).await.unwrap();
    // Another store (another machine) reads it.
    let loaded = self::store(&server).load_entry().await.unwrap().unwrap();
    assert_eq!(loaded.identity, entry(7).identity);
    assert_eq!(loaded.generation, 7);
    assert_eq!(loaded.tokens.access_token.expose_secret(), "access-stored");
    assert_eq!(
        loaded.tokens.refresh_token.unwrap().expose_secret(),
        "refresh-stored"
    );
    assert_eq!(loaded.tokens.expires_at, entry(7).tokens.expires_at);
    // The same content a token file holds.
    let raw = server.command(&[b"GET", KEY.as_bytes()]);
    let text = String::from_utf8_lossy(&raw);
    assert!(text.contains("\"version\": 1"), "{text}");
    assert!(text.contains("\"generation\": 7"), "{text}");
    // `load` and `save` without identity.
    assert_eq!(
        store
            .load()
            .await
            .unwrap()
            .unwrap()
            .access_token
            .expose_secret(),
        "access-stored"
    );
    store.clear().await.unwrap();
    assert!(store.load_entry().await.unwrap().is_none());
    // Clearing an empty store succeeds.
    store.clear().await.unwrap();
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
async fn the_lease_is_exclusive_across_stores_and_a_waiter_wakes_on_release() {
    let server = RedisServer::start();
    let (a, b) = (store(&server), store(&server));
    let held = a
        .lease(Duration::from_secs(1), Duration::from_secs(60))
        .await
        .unwrap()
        .unwrap();
    let error = b
        .lease(Duration::from_millis(100), Duration::from_secs(60))
        .await
        .unwrap_err();
    assert!(
        matches!(error, StoreError::LeaseTimeout { .. }),
        "{error:?}"
    );
    // A waiter with a long wait gets it once the holder gives it back (long before the
    // holder's 60 s ran out).
    let waiter = tokio::spawn(async move {
        b.lease(Duration::from_secs(30), Duration::from_secs(60))
            .await
            .map(|lease| lease.is_some())
    });
    // Let the waiter start waiting (subscribed or polling; either way it must get it).
    tokio::time::sleep(Duration::from_millis(50)).await;
    held.release().await.unwrap();
    assert!(waiter.await.unwrap().unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lease_is_released_only_by_its_holder_and_ends_by_its_ttl() {
    let server = RedisServer::start();
    // `a` stops keeping its leases alive at once, as a holder that vanished would.
    let a = store(&server).lease_time_limit(Duration::ZERO);
    let (b, c) = (store(&server), store(&server));
    // A holder that vanishes (never releases, nothing dropped): its lease runs out, and
    // a waiter gets it then.
    let vanished = a
        .lease(Duration::from_secs(1), Duration::from_millis(200))
        .await
        .unwrap()
        .unwrap();
    std::mem::forget(vanished);
    let second = b
        .lease(Duration::from_secs(30), Duration::from_secs(60))
        .await
        .unwrap()
        .unwrap();
    let error = c
        .lease(Duration::from_millis(100), Duration::from_secs(60))
        .await
        .unwrap_err();
    assert!(
        matches!(error, StoreError::LeaseTimeout { .. }),
        "{error:?}"
    );
    // Directly: a lease whose time ran out and was taken by another is not released by
    // its old holder.
    second.release().await.unwrap();
    let short = a
        .lease(Duration::from_secs(1), Duration::from_millis(100))
        .await
        .unwrap()
        .unwrap();
    let taker = c
        .lease(Duration::from_secs(30), Duration::from_secs(60))
        .await
        .unwrap()
        .unwrap();
    let error = short.release().await.unwrap_err();
    assert!(matches!(error, StoreError::LeaseLost { .. }), "{error:?}");
    // `taker` still holds it.
    let error = b
        .lease(Duration::from_millis(100), Duration::from_secs(60))
        .await
        .unwrap_err();
    assert!(
        matches!(error, StoreError::LeaseTimeout { .. }),
        "{error:?}"
    );
    // A lease dropped unreleased is given back by a spawned task.
    drop(taker);
    let again = b
        .lease(Duration::from_secs(30), Duration::from_secs(60))
        .await
        .unwrap();
    assert!(again.is_some());
}

#[tokio::test]
async fn a_password_url_works_and_a_wrong_password_is_a_clear_error_without_it() {
    let server = RedisServer::start_with_password("right-horse-battery");
    let good = RedisStore::new(&server.url(), KEY).unwrap();
    good.save_entry(&entry(1)).await.unwrap();
    assert_eq!(good.load_entry().await.unwrap().unwrap().generation, 1);
    assert!(!format!("{good:?}").contains("right-horse"), "{good:?}");
    assert!(!good.url().contains("right-horse"));

    let url = format!("redis://:wrong-staple-guess@127.0.0.1:{}/0", server.port());
    let bad = RedisStore::new(&url, KEY).unwrap();
    let error = bad.load_entry().await.unwrap_err();
    let (text, debug) = (error.to_string(), format!("{error:?}"));
    assert!(matches!(error, StoreError::Unavailable { .. }), "{debug}");
    for shown in [&text, &debug] {
        assert!(!shown.contains("wrong-staple"), "{shown}");
        assert!(!shown.contains("right-horse"), "{shown}");
    }
    assert!(
        text.contains(&format!("redis://127.0.0.1:{}/0", server.port())),
        "{text}"
    );
    assert!(text.to_ascii_lowercase().contains("pass"), "{text}");

    // No password at all where one is needed.
    let none = RedisStore::new(&format!("redis://127.0.0.1:{}/0", server.port()), KEY).unwrap();
    let error = none.load_entry().await.unwrap_err();
    assert!(matches!(error, StoreError::Unavailable { .. }), "{error:?}");
}

#[tokio::test]
async fn urls_are_checked_and_never_quoted() {
    let store = RedisStore::new("rediss://user:tls-secret-pw@redis.example:6380/2", KEY).unwrap();
    assert_eq!(store.url(), "rediss://user@redis.example:6380/2");
    assert!(!format!("{store:?}").contains("tls-secret"));
    assert_eq!(store.key(), KEY);
    assert_eq!(store.lease_key(), "auth:fake:test:lease");
    assert_eq!(store.events_channel(), "auth:fake:test:events");
    for url in [
        "http://:pw-in-http@example.com",
        "redis//:pw-no-scheme@host",
        "",
        "redis://:pw-bad-port@host:notaport",
    ] {
        let error = RedisStore::new(url, KEY).unwrap_err();
        assert!(
            matches!(error, StoreError::InvalidSettings { .. }),
            "{error:?}"
        );
        assert!(!error.to_string().contains("pw-"), "{error}");
    }
    let error = RedisStore::new("redis://127.0.0.1:1/0", "").unwrap_err();
    assert!(matches!(error, StoreError::InvalidSettings { .. }));
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

#[test]
fn the_store_is_send_sync_clone_and_debug() {
    fn assert_traits<T: Send + Sync + Clone + std::fmt::Debug + 'static>() {}
    assert_traits::<RedisStore>();
    let _: Arc<dyn TokenStore> = Arc::new(RedisStore::new("redis://127.0.0.1:1/0", KEY).unwrap());
}
