//! The Redis store against a real `redis-server` (started by each test on a port it
//! picks, killed at its end): the entry, the lease, passwords and URLs. Needs
//! `redis-server` on PATH (`cargo xtask test` installs it).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use auth_store::{Identity, RedisStore, StoreEntry, StoreError, StoredTokens, TokenStore};
use auth_test_support::redis::RedisServer;
use auth_types::{AccessToken, RefreshToken};

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
    // The test is the application: it chooses the process's crypto provider for TLS.
    let _ = rustls::crypto::ring::default_provider().install_default();
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

#[test]
fn the_store_is_send_sync_clone_and_debug() {
    fn assert_traits<T: Send + Sync + Clone + std::fmt::Debug + 'static>() {}
    assert_traits::<RedisStore>();
    let _: Arc<dyn TokenStore> = Arc::new(RedisStore::new("redis://127.0.0.1:1/0", KEY).unwrap());
}

fn redis(server: &RedisServer) -> RedisStore {
    RedisStore::new(&server.url(), KEY)
        .unwrap()
        .connect_timeout(Duration::from_millis(500))
        .response_timeout(Duration::from_millis(500))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_of_another_type_reads_as_an_invalid_entry_not_a_store_that_is_down() {
    let server = RedisServer::start();
    server.command(&[b"HSET", KEY.as_bytes(), b"field", b"value"]);
    let error = redis(&server).load_entry().await.unwrap_err();
    assert!(
        matches!(
            &error,
            StoreError::InvalidEntry {
                problem: auth_store::EntryProblem::WrongType { .. },
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_under_a_redis_lease_are_fenced_and_refused_once_another_holds_it() {
    let server = RedisServer::start();
    crate::fenced::writes_under_a_lease_are_fenced(&redis(&server), &redis(&server)).await;
    // A holder whose lease ran out, and was taken by another, writes nothing.
    let mut stale = redis(&server)
        .lease_time_limit(Duration::ZERO)
        .lease(Duration::from_secs(1), Duration::from_millis(200))
        .await
        .unwrap()
        .unwrap();
    stale.load_entry().await.unwrap();
    let taker = redis(&server)
        .lease(Duration::from_secs(5), Duration::from_secs(10))
        .await
        .unwrap()
        .unwrap();
    let error = stale
        .replace(Some(&crate::fenced::entry(20, "stale")))
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::LeaseLost { .. }), "{error:?}");
    assert!(redis(&server).load_entry().await.unwrap().is_none());
    taker.release().await.unwrap();
    // A lease kept alive outlives its ttl many times over.
    let mut kept = redis(&server)
        .lease(Duration::from_secs(1), Duration::from_secs(1))
        .await
        .unwrap()
        .unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let error = redis(&server)
        .lease(Duration::from_millis(100), Duration::from_secs(10))
        .await
        .unwrap_err();
    assert!(
        matches!(error, StoreError::LeaseTimeout { .. }),
        "{error:?}"
    );
    kept.load_entry().await.unwrap();
    kept.replace(Some(&crate::fenced::entry(21, "kept")))
        .await
        .unwrap();
    kept.release().await.unwrap();
}
