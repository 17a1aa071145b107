//! The in-memory token store: the default, and handy in tests.

use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;

use super::{StoreError, StoredTokens, TokenStore};

/// Keeps tokens in memory only: nothing survives the process. A session uses it unless
/// told otherwise. Share one between sessions with `Arc<MemoryStore>`.
#[derive(Default)]
pub struct MemoryStore {
    tokens: Mutex<Option<StoredTokens>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryStore::default()
    }

    /// A store that already holds `tokens`.
    pub fn with_tokens(tokens: StoredTokens) -> Self {
        MemoryStore {
            tokens: Mutex::new(Some(tokens)),
        }
    }

    fn slot(&self) -> MutexGuard<'_, Option<StoredTokens>> {
        self.tokens.lock().unwrap_or_else(PoisonError::into_inner)
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
        Ok(self.slot().clone())
    }

    async fn save(&self, tokens: &StoredTokens) -> Result<(), StoreError> {
        *self.slot() = Some(tokens.clone());
        Ok(())
    }

    async fn clear(&self) -> Result<(), StoreError> {
        *self.slot() = None;
        Ok(())
    }
}
