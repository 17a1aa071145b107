//! The in-memory token store: the default, and handy in tests.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use async_trait::async_trait;

use super::{Lease, StoreEntry, StoreError, StoredTokens, TokenStore};

/// The lease of a shared [`MemoryStore`].
#[derive(Debug)]
struct MemoryLease {
    /// Held until released or dropped.
    _guard: tokio::sync::OwnedMutexGuard<()>,
}

#[async_trait]
impl Lease for MemoryLease {
    async fn release(self: Box<Self>) -> Result<(), StoreError> {
        Ok(())
    }
}

/// Keeps tokens in memory only: nothing survives the process. A session uses it unless
/// told otherwise. Share one between sessions with `Arc<MemoryStore>`.
///
/// [`MemoryStore::shared`] makes one for several sessions of one process: it has a renewal
/// lease (see [`TokenStore::lease`]), so they renew once between them and never present
/// one refresh token twice.
#[derive(Default)]
pub struct MemoryStore {
    entry: Mutex<Option<StoreEntry>>,
    /// The renewal lease, for a store shared by sessions.
    lease: Option<Arc<tokio::sync::Mutex<()>>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryStore::default()
    }

    /// An empty store for several sessions of this process (share it with `Arc`): they
    /// take turns renewing, and each adopts what another saved.
    pub fn shared() -> Self {
        MemoryStore {
            entry: Mutex::default(),
            lease: Some(Arc::default()),
        }
    }

    /// A store that already holds `tokens`, of unknown owner: a session does not use them
    /// (see [`with_entry`](MemoryStore::with_entry)).
    pub fn with_tokens(tokens: StoredTokens) -> Self {
        MemoryStore::with_entry(StoreEntry {
            generation: 0,
            identity: None,
            tokens,
        })
    }

    /// A store that already holds `entry`.
    pub fn with_entry(entry: StoreEntry) -> Self {
        MemoryStore {
            entry: Mutex::new(Some(entry)),
            lease: None,
        }
    }

    fn slot(&self) -> MutexGuard<'_, Option<StoreEntry>> {
        self.entry.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore")
            .field("holds_tokens", &self.slot().is_some())
            .field("shared", &self.lease.is_some())
            .finish()
    }
}

#[async_trait]
impl TokenStore for MemoryStore {
    async fn load(&self) -> Result<Option<StoredTokens>, StoreError> {
        Ok(self.slot().as_ref().map(|entry| entry.tokens.clone()))
    }

    /// Saves `tokens` with an unknown owner.
    async fn save(&self, tokens: &StoredTokens) -> Result<(), StoreError> {
        *self.slot() = Some(StoreEntry {
            generation: 0,
            identity: None,
            tokens: tokens.clone(),
        });
        Ok(())
    }

    async fn load_entry(&self) -> Result<Option<StoreEntry>, StoreError> {
        Ok(self.slot().clone())
    }

    async fn save_entry(&self, entry: &StoreEntry) -> Result<(), StoreError> {
        *self.slot() = Some(entry.clone());
        Ok(())
    }

    async fn lease(
        &self,
        wait: Duration,
        _ttl: Duration,
    ) -> Result<Option<Box<dyn Lease>>, StoreError> {
        let Some(lease) = &self.lease else {
            return Ok(None);
        };
        match tokio::time::timeout(wait, Arc::clone(lease).lock_owned()).await {
            Ok(guard) => Ok(Some(Box::new(MemoryLease { _guard: guard }))),
            Err(_) => Err(StoreError::LeaseTimeout { waited: wait }),
        }
    }

    async fn clear(&self) -> Result<(), StoreError> {
        *self.slot() = None;
        Ok(())
    }
}
