//! Sessions on sealed stores (features `sealing` and `redis`): a wrong key means a login
//! that seals over it, a sealed Redis value, processes on different keys, and a key
//! rotated with the previous key. The Redis cases start a real `redis-server`.

use std::time::{Duration, SystemTime};

use auth_session::{
    EntryProblem, FileStore, Identity, RedisStore, SealingKey, Session, StoreEntry, StoreError,
    StoredTokens, TokenStore,
};
use auth_test_support::redis::RedisServer;
use auth_types::{AccessToken, RefreshToken};
use base64::Engine as _;

use crate::support::{FakeAuth, token};

const KEY_HEX: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

fn key() -> SealingKey {
    SealingKey::parse(KEY_HEX).unwrap()
}

fn other_key() -> SealingKey {
    SealingKey::from_bytes([7; 32])
}

fn entry() -> StoreEntry {
    StoreEntry {
        identity: Some(Identity::new("fake", "http://fake.test").with_account("0xabc")),
        tokens: StoredTokens {
            access_token: AccessToken::new("access-in-the-clear-1234"),
            refresh_token: Some(RefreshToken::new("refresh-in-the-clear-5678")),
            expires_at: SystemTime::UNIX_EPOCH + Duration::from_secs(1_900_000_000),
        },
        generation: 3,
    }
}

fn assert_problem(result: Result<Option<StoreEntry>, StoreError>, expected: &EntryProblem) {
    match result {
        Err(StoreError::InvalidEntry { problem, .. }) => assert_eq!(&problem, expected),
        other => panic!("expected {expected:?}, got {other:?}"),
    }
}

/// The sealed content with one character of its ciphertext changed.
fn altered(content: &[u8]) -> Vec<u8> {
    let mut value: serde_json::Value = serde_json::from_slice(content).unwrap();
    let sealed = value["sealed"].as_str().unwrap().to_owned();
    let mut bytes = base64::engine::general_purpose::STANDARD
        .decode(&sealed)
        .unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    value["sealed"] = base64::engine::general_purpose::STANDARD
        .encode(&bytes)
        .into();
    serde_json::to_vec(&value).unwrap()
}

#[tokio::test]
async fn a_session_with_the_wrong_key_logs_in_and_seals_over_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let auth = FakeAuth::pear_like();
    let first = Session::builder(auth.clone())
        .token_store(FileStore::new(&path).sealed(&key()))
        .build();
    let live = token(&first).await;
    // A second session with the same key resumes: no second login.
    let second = Session::builder(auth.clone())
        .token_store(FileStore::new(&path).sealed(&key()))
        .build();
    assert_eq!(token(&second).await, live);
    assert_eq!(auth.state().logins(), 1);
    // One with another key cannot read it: it logs in.
    let stranger = Session::builder(auth.clone())
        .token_store(FileStore::new(&path).sealed(&other_key()))
        .build();
    token(&stranger).await;
    assert_eq!(auth.state().logins(), 2);
    assert!(
        !String::from_utf8_lossy(&std::fs::read(&path).unwrap()).contains("access-"),
        "a token in clear"
    );
}

#[tokio::test]
async fn a_sealed_redis_value_holds_no_token_and_opens_only_with_its_key() {
    let server = RedisServer::start();
    let name = "auth:fake:sealed";
    let store = RedisStore::new(&server.url(), name).unwrap().sealed(&key());
    store.save_entry(&entry()).await.unwrap();
    let raw = server.command(&[b"GET", name.as_bytes()]);
    let text = String::from_utf8_lossy(&raw);
    assert!(!text.contains("in-the-clear"), "{text}");
    assert!(text.contains("\"sealed\""), "{text}");
    let loaded = RedisStore::new(&server.url(), name)
        .unwrap()
        .sealed(&key())
        .load_entry()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        loaded.tokens.refresh_token.unwrap().expose_secret(),
        "refresh-in-the-clear-5678"
    );
    assert_problem(
        RedisStore::new(&server.url(), name)
            .unwrap()
            .load_entry()
            .await,
        &EntryProblem::SealedWithoutKey,
    );
    assert_problem(
        RedisStore::new(&server.url(), name)
            .unwrap()
            .sealed(&other_key())
            .load_entry()
            .await,
        &EntryProblem::WrongKeyOrAltered,
    );
    // The value as stored (a bulk string: `$N\r\n...\r\n`), altered.
    let start = raw.iter().position(|&b| b == b'\n').unwrap() + 1;
    let value = &raw[start..raw.len() - 2];
    server.command(&[b"SET", name.as_bytes(), &altered(value)]);
    assert_problem(store.load_entry().await, &EntryProblem::WrongKeyOrAltered);
    RedisStore::new(&server.url(), name)
        .unwrap()
        .save_entry(&entry())
        .await
        .unwrap();
    assert_problem(store.load_entry().await, &EntryProblem::NotSealed);

    // Sessions sharing the sealed value renew in turns; one with another key logs in.
    store.clear().await.unwrap();
    let auth = FakeAuth::pear_like();
    let session = |key: &SealingKey| {
        Session::builder(auth.clone())
            .token_store(RedisStore::new(&server.url(), name).unwrap().sealed(key))
            .build()
    };
    let (a, b) = (session(&key()), session(&key()));
    let live = token(&a).await;
    assert_eq!(token(&b).await, live);
    let renewed = a.refresh_now().await.unwrap();
    assert_eq!(b.refresh_now().await.unwrap(), renewed);
    assert_eq!(auth.state().logins(), 1);
    assert_eq!(auth.state().refreshes(), 1);
    auth.state().assert_each_refresh_token_presented_once();
    token(&session(&other_key())).await;
    assert_eq!(auth.state().logins(), 2);
}

/// Two processes on the old sealing key and one on a new one, on one file (a rotation
/// done halfway): each finds the others' entries unreadable, and none presents a refresh
/// token it read there (another may have spent it): they log in instead.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processes_on_different_sealing_keys_never_present_a_refresh_token_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let auth = FakeAuth::pear_like();
    let on = |key: &SealingKey| {
        Session::builder(auth.clone())
            .token_store(FileStore::new(&path).sealed(key))
            .wait_timeout(Duration::from_secs(5))
            .build()
    };
    let (old_1, old_2, new) = (on(&key()), on(&key()), on(&other_key()));
    let first = token(&old_1).await;
    assert_eq!(token(&old_2).await, first);
    token(&new).await;
    old_1.refresh_now().await.unwrap();
    new.refresh_now().await.unwrap();
    old_2.refresh_now().await.unwrap();
    auth.state().assert_each_refresh_token_presented_once();
}

/// A rotation done right: processes get the new key with the old one as previous; they
/// read what the old key sealed, write with the new one, and nobody logs in again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sealing_key_rotates_with_the_previous_key_and_no_login() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let auth = FakeAuth::pear_like();
    let old = Session::builder(auth.clone())
        .token_store(FileStore::new(&path).sealed(&key()))
        .build();
    let first = token(&old).await;
    let rotated = || {
        Session::builder(auth.clone())
            .token_store(
                FileStore::new(&path)
                    .sealed(&other_key())
                    .with_previous_key(&key()),
            )
            .build()
    };
    let new_1 = rotated();
    assert_eq!(token(&new_1).await, first);
    let renewed = new_1.refresh_now().await.unwrap();
    // Now sealed with the new key only.
    let error = FileStore::new(&path)
        .sealed(&key())
        .load_entry()
        .await
        .unwrap_err();
    assert!(
        matches!(error, StoreError::InvalidEntry { .. }),
        "{error:?}"
    );
    let read = FileStore::new(&path)
        .sealed(&other_key())
        .load_entry()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        read.tokens.access_token.expose_secret(),
        renewed.expose_secret()
    );
    let new_2 = rotated();
    assert_eq!(token(&new_2).await, renewed.expose_secret());
    assert_eq!(auth.state().logins(), 1);
    assert_eq!(auth.state().refreshes(), 1);
    // The same with Redis.
    let server = RedisServer::start();
    let redis = || RedisStore::new(&server.url(), "auth:fake:rotation").unwrap();
    redis().sealed(&key()).save_entry(&entry()).await.unwrap();
    let read = redis()
        .sealed(&other_key())
        .with_previous_key(&key())
        .load_entry()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.generation, entry().generation);
    assert!(redis().sealed(&other_key()).load_entry().await.is_err());
}
