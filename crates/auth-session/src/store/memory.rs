//! The in-memory token store: the default, and handy in tests.

use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;

use super::{StoreEntry, StoreError, StoredTokens, TokenStore};

/// Keeps tokens in memory only: nothing survives the process. A session uses it unless
/// told otherwise. Share one between sessions with `Arc<MemoryStore>`.
#[derive(Default)]
pub struct MemoryStore {
    entry: Mutex<Option<StoreEntry>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryStore::default()
    }

    /// A store that already holds `tokens`, of unknown owner: a session does not use them
    /// (see [`with_entry`](MemoryStore::with_entry)).
    pub fn with_tokens(tokens: StoredTokens) -> Self {
        MemoryStore::with_entry(StoreEntry {
            identity: None,
            tokens,
        })
    }

    /// A store that already holds `entry`.
    pub fn with_entry(entry: StoreEntry) -> Self {
        MemoryStore {
            entry: Mutex::new(Some(entry)),
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

    async fn clear(&self) -> Result<(), StoreError> {
        *self.slot() = None;
        Ok(())
    }
}
