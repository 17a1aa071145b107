//! Writes under a lease are fenced: another writer in between makes a write a conflict,
//! and nothing is written (files and memory here; Redis in `redis.rs`).

use std::sync::Arc;
use std::time::Duration;

use auth_store::{StoreEntry, StoreError, StoredTokens, TokenStore};

pub(crate) fn entry(generation: u64, access: &str) -> StoreEntry {
    StoreEntry {
        identity: Some(auth_store::Identity::new("fake", "http://fake.test")),
        tokens: StoredTokens {
            access_token: auth_types::AccessToken::new(access),
            refresh_token: Some(auth_types::RefreshToken::new(format!("{access}-refresh"))),
            expires_at: std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_900_000_000),
        },
        generation,
    }
}

/// A write under a lease goes through only while the entry is what the lease read or
/// wrote: another writer in between makes it a conflict, and nothing is written.
pub(crate) async fn writes_under_a_lease_are_fenced(
    store: &dyn TokenStore,
    other: &dyn TokenStore,
) {
    store.save_entry(&entry(1, "first")).await.unwrap();
    let mut lease = store
        .lease(Duration::from_secs(1), Duration::from_secs(10))
        .await
        .unwrap()
        .unwrap();
    // Nothing read yet: refused.
    let error = lease.replace(Some(&entry(2, "blind"))).await.unwrap_err();
    assert!(matches!(error, StoreError::Conflict { .. }), "{error:?}");
    assert_eq!(lease.load_entry().await.unwrap().unwrap().generation, 1);
    lease.replace(Some(&entry(2, "second"))).await.unwrap();
    // What it wrote is what it saw: it may write again.
    lease.replace(Some(&entry(3, "third"))).await.unwrap();
    // Another writer (one that ignores the lease) changes the entry meanwhile.
    other.save_entry(&entry(9, "other")).await.unwrap();
    let error = lease.replace(Some(&entry(4, "stale"))).await.unwrap_err();
    assert!(matches!(error, StoreError::Conflict { .. }), "{error:?}");
    let error = lease.replace(None).await.unwrap_err();
    assert!(matches!(error, StoreError::Conflict { .. }), "{error:?}");
    let now = other.load_entry().await.unwrap().unwrap();
    assert_eq!(now.generation, 9);
    // Read again, then a removal goes through; a write over nothing too.
    assert_eq!(lease.load_entry().await.unwrap().unwrap().generation, 9);
    lease.replace(None).await.unwrap();
    assert!(other.load_entry().await.unwrap().is_none());
    lease.replace(Some(&entry(10, "fresh"))).await.unwrap();
    assert_eq!(other.load_entry().await.unwrap().unwrap().generation, 10);
    // A cleared entry is a change too.
    other.clear().await.unwrap();
    let error = lease.replace(Some(&entry(11, "late"))).await.unwrap_err();
    assert!(matches!(error, StoreError::Conflict { .. }), "{error:?}");
    assert!(other.load_entry().await.unwrap().is_none());
    lease.release().await.unwrap();
}

#[cfg(feature = "file")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_under_a_file_lease_are_fenced() {
    use auth_store::FileStore;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    writes_under_a_lease_are_fenced(&FileStore::new(&path), &FileStore::new(&path)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_under_a_memory_lease_are_fenced() {
    let store = Arc::new(auth_store::MemoryStore::new());
    writes_under_a_lease_are_fenced(&store, &store).await;
}
