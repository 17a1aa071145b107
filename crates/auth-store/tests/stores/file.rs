//! The file store: a private file replaced atomically, refused when others may read it or
//! when it is a link, its format, its temporary files, and errors without content.

use std::time::{Duration, SystemTime};

use auth_store::{
    FileStore, Identity, MemoryStore, StoreEntry, StoreError, StoredTokens, TokenStore,
};
use auth_types::{AccessToken, RefreshToken};

const SECOND: Duration = Duration::from_secs(1);

fn tokens(access: &str, refresh: Option<&str>, expires_at: u64) -> StoredTokens {
    StoredTokens {
        access_token: AccessToken::new(access),
        refresh_token: refresh.map(RefreshToken::new),
        expires_at: SystemTime::UNIX_EPOCH + Duration::from_secs(expires_at),
    }
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

#[tokio::test]
async fn file_store_round_trips_privately_and_leaves_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let store = FileStore::new(&path);
    assert!(store.load().await.unwrap().is_none());

    let first = tokens("a1", Some("r1"), 1_700_000_900);
    store.save(&first).await.unwrap();
    assert_eq!(
        exposed(&store.load().await.unwrap().unwrap()),
        exposed(&first)
    );

    let second = tokens("a2", None, 1_700_001_800);
    store.save(&second).await.unwrap();
    assert_eq!(
        exposed(&store.load().await.unwrap().unwrap()),
        exposed(&second)
    );

    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["tokens.json"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    store.clear().await.unwrap();
    assert!(!path.exists());
    assert!(store.load().await.unwrap().is_none());
    store.clear().await.unwrap();
}

#[cfg(unix)]
#[tokio::test]
async fn file_store_replaces_a_readable_file_with_a_private_one() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    std::fs::write(&path, "{}").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    FileStore::new(&path)
        .save(&tokens("a", None, 1))
        .await
        .unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[cfg(unix)]
#[tokio::test]
async fn file_store_refuses_a_file_others_may_read_and_leaves_its_mode() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let store = FileStore::new(&path);
    let saved = tokens("a", Some("r"), 1_700_000_900);
    for open in [0o644, 0o640, 0o604, 0o666, 0o620] {
        store.save(&saved).await.unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(open)).unwrap();
        let error = store.load().await.unwrap_err();
        assert!(
            matches!(error, StoreError::Permissions { mode, .. } if mode == open),
            "{error:?}"
        );
        let shown = format!("{error} {error:?}");
        assert!(
            !shown.contains("\"r\"") && !shown.contains("access-"),
            "{shown}"
        );
        // The store changes no mode of a file it did not create.
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, open);
    }
    // The next save replaces it with a private file of the store's own.
    store.save(&saved).await.unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(store.load().await.unwrap().is_some());
    // An owner-only mode stricter than 0600 is fine, and left alone.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
    assert!(store.load().await.unwrap().is_some());
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o400);
}

#[cfg(unix)]
#[tokio::test]
async fn file_store_refuses_symbolic_links_and_never_touches_their_targets() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    // A token file that is a link to a user's readable file.
    let target = dir.path().join("notes.txt");
    std::fs::write(&target, "the user's own notes").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::os::unix::fs::symlink(&target, &path).unwrap();
    let store = FileStore::new(&path);
    let error = store.load().await.unwrap_err();
    assert!(
        matches!(error, StoreError::SymbolicLink { .. }),
        "{error:?}"
    );
    let error = store
        .save(&tokens("a", Some("r"), 1_700_000_900))
        .await
        .unwrap_err();
    assert!(
        matches!(error, StoreError::SymbolicLink { .. }),
        "{error:?}"
    );
    assert_eq!(
        std::fs::metadata(&target).unwrap().permissions().mode() & 0o777,
        0o644
    );
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "the user's own notes"
    );
    // A dangling link where the lock file goes: the lease is refused, nothing is created.
    let other = dir.path().join("other.json");
    let store = FileStore::new(&other);
    let made = dir.path().join("made-by-the-link");
    std::os::unix::fs::symlink(&made, store.lock_path()).unwrap();
    let error = store
        .lease(Duration::from_millis(100), Duration::from_secs(10))
        .await
        .unwrap_err();
    assert!(
        matches!(error, StoreError::SymbolicLink { .. }),
        "{error:?}"
    );
    assert!(!made.exists());
    assert!(error.to_string().contains("symbolic link"), "{error}");
}

/// Makes `path` look `age` old.
fn age(path: &std::path::Path, age: Duration) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - age).unwrap();
}

#[tokio::test]
async fn file_store_removes_its_temporary_files_left_by_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let store = FileStore::new(&path);
    let leftover = |name: &str| {
        let file = dir.path().join(name);
        std::fs::write(&file, "half-written tokens").unwrap();
        age(&file, 3600 * SECOND);
        file
    };
    // A crash of this store: removed.
    let crashed = [
        leftover(".tokens.json.auth-session-Ab12Cd.tmp"),
        leftover(".tokens.json.auth-session-zzzzzz.tmp"),
    ];
    // Not this store's: another store's, an older version's (whose owner is unknown), and
    // other files.
    let others = [
        leftover(".other.json.auth-session-Ab12Cd.tmp"),
        leftover(".auth-session-Ab12Cd.tmp"),
        leftover(".tokens.json.auth-session-Ab12Cd.tmp.bak"),
        leftover(".tokens.json.auth-session-Ab.tmp"),
        leftover("tokens.json.tmp"),
        leftover("notes.tmp"),
    ];
    // One of this store's that is new may be another process's write in progress: kept.
    let in_progress = dir.path().join(".tokens.json.auth-session-New123.tmp");
    std::fs::write(&in_progress, "being written").unwrap();

    assert!(store.load().await.unwrap().is_none());
    for file in &crashed {
        assert!(!file.exists(), "{} was left", file.display());
    }
    for file in others.iter().chain([&in_progress]) {
        assert!(file.exists(), "{} was removed", file.display());
    }

    // The same on a save, and the store's own temporary file is gone after it.
    let crashed = leftover(".tokens.json.auth-session-Xy98Zw.tmp");
    store.save(&tokens("a", None, 1)).await.unwrap();
    assert!(!crashed.exists());
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with(".tokens.json.auth-session-"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ".tokens.json.auth-session-Ab.tmp",
            ".tokens.json.auth-session-Ab12Cd.tmp.bak",
            ".tokens.json.auth-session-New123.tmp"
        ]
    );
}

#[tokio::test]
async fn file_store_writes_unix_seconds_and_a_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let mut saved = tokens("a1", Some("r1"), 0);
    saved.expires_at = SystemTime::UNIX_EPOCH + Duration::from_millis(1_700_000_900_999);
    FileStore::new(&path).save(&saved).await.unwrap();
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["expires_at"], 1_700_000_900u64);
    assert_eq!(json["access_token"], "a1");
    assert_eq!(json["refresh_token"], "r1");
}

#[tokio::test]
async fn a_malformed_file_is_reported_without_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    std::fs::write(
        &path,
        r#"{"version":1,"access_token":"tok","refresh_token":null,"expires_at":"SECRET-VALUE"}"#,
    )
    .unwrap();
    let error = FileStore::new(&path).load().await.unwrap_err();
    assert!(
        matches!(error, StoreError::Malformed { line: 1, .. }),
        "{error:?}"
    );
    assert!(!error.to_string().contains("SECRET"), "{error}");
    assert!(!format!("{error:?}").contains("SECRET"));

    std::fs::write(&path, r#"{"version":2,"whatever":true}"#).unwrap();
    let error = FileStore::new(&path).load().await.unwrap_err();
    assert!(matches!(
        error,
        StoreError::UnsupportedVersion { version: 2, .. }
    ));
}

#[tokio::test]
async fn a_file_larger_than_any_token_file_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    // Valid JSON of a token file, padded past 1 MiB with spaces.
    let mut content =
        br#"{"version":1,"access_token":"a","refresh_token":null,"expires_at":0}"#.to_vec();
    content.resize((1 << 20) + 1, b' ');
    std::fs::write(&path, &content).unwrap();
    let store = FileStore::new(&path);
    let error = store.load().await.unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::TooLarge {
                limit: 1_048_576,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("delete it"), "{error}");
    content.truncate(1 << 20);
    std::fs::write(&path, &content).unwrap();
    #[cfg(unix)]
    {
        // Private, as the store makes its files (one others may read is refused).
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    assert!(
        store.load().await.unwrap().is_some(),
        "1 MiB exactly is read"
    );
}

#[test]
fn the_file_format_decodes_what_it_encodes() {
    let store = FileStore::new("tokens.json");
    let entry = StoreEntry {
        generation: 0,
        identity: Some(Identity::new("pear", "https://example.invalid").with_account("0xabc")),
        tokens: tokens("a1", Some("r1"), 1_700_000_900),
    };
    let bytes = store.encode_entry(&entry).unwrap();
    let again = store.decode_entry(&bytes).unwrap();
    assert_eq!(again.identity, entry.identity);
    assert_eq!(exposed(&again.tokens), exposed(&entry.tokens));
    let error = store.decode_entry(b"{").unwrap_err();
    assert!(matches!(error, StoreError::Malformed { .. }), "{error:?}");
}

#[tokio::test]
async fn a_missing_directory_is_a_write_error() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path().join("missing").join("tokens.json"));
    let error = store.save(&tokens("a", None, 1)).await.unwrap_err();
    assert!(matches!(error, StoreError::Write { .. }), "{error:?}");
    assert!(error.to_string().contains("directory"));
}

#[tokio::test]
async fn stored_tokens_never_show_in_debug() {
    let stored = tokens("secret-access", Some("secret-refresh"), 1);
    let store = MemoryStore::with_tokens(stored.clone());
    for debug in [format!("{stored:?}"), format!("{store:?}")] {
        assert!(!debug.contains("secret"), "{debug}");
    }
    assert!(format!("{store:?}").contains("holds_tokens: true"));
}

fn pear(account: &str, client_id: &str, base_url: &str) -> Identity {
    Identity::new("pear", base_url)
        .with_account(account)
        .with_client_id(client_id)
}

#[tokio::test]
async fn file_store_round_trips_the_identity() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path().join("tokens.json"));
    let identity = pear("0xA", "client", "https://pear.test/");
    let entry = StoreEntry {
        generation: 0,
        identity: Some(identity.clone()),
        tokens: tokens("a", Some("r"), 1_700_000_900),
    };
    store.save_entry(&entry).await.unwrap();
    let read = store.load_entry().await.unwrap().unwrap();
    assert_eq!(read.identity, Some(identity));
    assert_eq!(exposed(&read.tokens), exposed(&entry.tokens));
    store.save(&entry.tokens).await.unwrap();
    assert_eq!(store.load_entry().await.unwrap().unwrap().identity, None);
}

#[test]
fn a_permissions_error_says_to_chmod_the_file() {
    let error = StoreError::Permissions {
        path: "/home/bot/tokens.json".into(),
        mode: 0o644,
    };
    let message = error.to_string();
    assert!(message.contains("chmod 600"), "{message}");
    assert!(message.contains("mode 644"), "{message}");
    assert!(message.contains("/home/bot/tokens.json"), "{message}");
}
