//! Tokens sealed at rest (feature `sealing`): the key's forms, and a sealed file: nothing
//! in clear, a wrong key, altered content, a sealed entry without a key and a clear one
//! where sealed ones are expected are refused.

use std::time::{Duration, SystemTime};

use auth_store::{
    EntryProblem, FileStore, Identity, SealingKey, SealingKeyError, StoreEntry, StoreError,
    StoredTokens, TokenStore,
};
use auth_types::{AccessToken, RefreshToken};
use base64::Engine as _;

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

#[test]
fn a_key_reads_as_hex_or_base64_of_32_bytes_and_never_shows() {
    let bytes: Vec<u8> = (0u8..32).collect();
    let forms = [
        KEY_HEX.to_owned(),
        format!("0x{KEY_HEX}"),
        format!("  {}\n", KEY_HEX.to_uppercase()),
        base64::engine::general_purpose::STANDARD.encode(&bytes),
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(&bytes),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([0xfb; 32]),
    ];
    for form in &forms {
        let key = SealingKey::parse(form).unwrap();
        assert_eq!(format!("{key:?}"), "SealingKey(..)");
    }
    for bad in [
        "",
        "00",
        &KEY_HEX[..62],
        &format!("{KEY_HEX}00"),
        &base64::engine::general_purpose::STANDARD.encode([1u8; 31]),
        &base64::engine::general_purpose::STANDARD.encode([1u8; 33]),
        "zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
    ] {
        let error = SealingKeyError::to_string(&SealingKey::parse(bad).unwrap_err());
        if bad.len() >= 4 {
            assert!(!error.contains(bad), "{error}");
        }
    }
    let missing = SealingKey::from_env("AUTH_SESSION_TEST_NO_SUCH_VARIABLE").unwrap_err();
    assert!(
        matches!(missing, SealingKeyError::Missing { .. }),
        "{missing:?}"
    );
    assert!(
        missing
            .to_string()
            .contains("AUTH_SESSION_TEST_NO_SUCH_VARIABLE")
    );
    // A variable that holds something else: named, its value not shown.
    let path = std::env::var("PATH").unwrap();
    let invalid = SealingKey::from_env("PATH").unwrap_err();
    assert!(
        matches!(invalid, SealingKeyError::Invalid { .. }),
        "{invalid:?}"
    );
    assert!(invalid.to_string().contains("PATH"));
    if path.len() >= 4 {
        assert!(!invalid.to_string().contains(&path));
        assert!(!format!("{invalid:?}").contains(&path));
    }
}

#[tokio::test]
async fn a_sealed_file_holds_no_token_and_opens_only_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let store = FileStore::new(&path).sealed(&key());
    assert!(format!("{store:?}").contains("sealed"));
    store.save_entry(&entry()).await.unwrap();
    let content = std::fs::read(&path).unwrap();
    let text = String::from_utf8_lossy(&content);
    assert!(!text.contains("in-the-clear"), "{text}");
    assert!(!text.contains("0xabc"), "{text}");
    let envelope: serde_json::Value = serde_json::from_slice(&content).unwrap();
    assert_eq!(envelope["version"], 1);
    assert!(envelope["sealed"].is_string());

    // Round trip, with a key read again from its text (as another process would).
    let loaded = FileStore::new(&path)
        .sealed(&SealingKey::parse(KEY_HEX).unwrap())
        .load_entry()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(loaded.identity, entry().identity);
    assert_eq!(loaded.generation, 3);
    assert_eq!(
        loaded.tokens.access_token.expose_secret(),
        "access-in-the-clear-1234"
    );
    // Two saves of one entry differ (a fresh nonce each time).
    store.save_entry(&entry()).await.unwrap();
    assert_ne!(std::fs::read(&path).unwrap(), content);

    // Without the key, with another key, altered, and a clear file where sealed ones are
    // expected: refused, by kind, without content.
    assert_problem(
        FileStore::new(&path).load_entry().await,
        &EntryProblem::SealedWithoutKey,
    );
    assert_problem(
        FileStore::new(&path)
            .sealed(&other_key())
            .load_entry()
            .await,
        &EntryProblem::WrongKeyOrAltered,
    );
    std::fs::write(&path, altered(&std::fs::read(&path).unwrap())).unwrap();
    let error = store.load_entry().await.unwrap_err();
    assert!(
        matches!(
            &error,
            StoreError::InvalidEntry {
                problem: EntryProblem::WrongKeyOrAltered,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("tokens.json"), "{error}");
    FileStore::new(&path).save_entry(&entry()).await.unwrap();
    assert_problem(store.load_entry().await, &EntryProblem::NotSealed);
    // Nothing but a sealed envelope: still refused, never a panic.
    for junk in [
        &br#"{"version":1,"sealed":""}"#[..],
        br#"{"version":1,"sealed":"!!"}"#,
        br#"{"version":1,"sealed":"AAAA"}"#,
        br#"{"version":1,"sealed":7}"#,
        br#"{"version":2,"sealed":"AAAA"}"#,
    ] {
        std::fs::write(&path, junk).unwrap();
        assert!(store.load_entry().await.is_err());
        assert!(FileStore::new(&path).load_entry().await.is_err());
    }
}
