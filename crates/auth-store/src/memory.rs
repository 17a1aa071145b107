//! The in-memory token store: for sessions of one process, and handy in tests.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use async_trait::async_trait;

use crate::entry::{StoreEntry, StoredTokens};
use crate::error::StoreError;
use crate::token_store::{Lease, TokenStore};

/// The entry and a count of its writes (the fence of a lease's writes).
#[derive(Default)]
struct Slot {
    entry: Option<StoreEntry>,
    /// Advanced by every write.
    version: u64,
}

/// The part of a [`MemoryStore`] its clones and leases share: the slot.
#[derive(Default)]
struct Shared {
    slot: Mutex<Slot>,
}

impl Shared {
    fn slot(&self) -> MutexGuard<'_, Slot> {
        auth_types::lock(&self.slot)
    }

    fn write(&self, entry: Option<StoreEntry>) -> u64 {
        let mut slot = self.slot();
        slot.entry = entry;
        slot.version = slot.version.wrapping_add(1);
        slot.version
    }
}

/// The lease of a [`MemoryStore`].
struct MemoryLease {
    shared: Arc<Shared>,
    /// The version of the slot this lease last read or wrote.
    seen: Option<u64>,
    /// Held until released or dropped.
    _guard: tokio::sync::OwnedMutexGuard<()>,
}

impl fmt::Debug for MemoryLease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryLease")
            .field("seen", &self.seen)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl Lease for MemoryLease {
    async fn load_entry(&mut self) -> Result<Option<StoreEntry>, StoreError> {
        let slot = self.shared.slot();
        self.seen = Some(slot.version);
        Ok(slot.entry.clone())
    }

    async fn replace(&mut self, entry: Option<&StoreEntry>) -> Result<(), StoreError> {
        let mut slot = self.shared.slot();
        if self.seen != Some(slot.version) {
            return Err(StoreError::Conflict {
                store: "memory".to_owned(),
            });
        }
        slot.entry = entry.cloned();
        slot.version = slot.version.wrapping_add(1);
        self.seen = Some(slot.version);
        Ok(())
    }

    async fn release(self: Box<Self>) -> Result<(), StoreError> {
        Ok(())
    }
}

/// Keeps tokens in memory only: nothing survives the process. A session uses a store of
/// its own like this unless told otherwise.
///
/// Share one between sessions of this process with `Arc<MemoryStore>` (or by cloning
/// the `Arc`): every `MemoryStore` has a renewal lease (see [`TokenStore::lease`]), so
/// sessions sharing one take turns renewing, adopt what another saved, and never present
/// one refresh token twice.
///
/// ```
/// use std::sync::Arc;
/// use auth_store::{MemoryStore, TokenStore};
///
/// let store = Arc::new(MemoryStore::new());
/// let for_a: Arc<dyn TokenStore> = store.clone();
/// let for_b: Arc<dyn TokenStore> = store;
/// // Session::builder(a).token_store(for_a) … Session::builder(b).token_store(for_b)
/// # let _ = (for_a, for_b);
/// ```
pub struct MemoryStore {
    shared: Arc<Shared>,
    /// The renewal lease; `None` only for a session's own default store.
    lease: Option<Arc<tokio::sync::Mutex<()>>>,
}

impl Default for MemoryStore {
    fn default() -> Self {
        MemoryStore::new()
    }
}

impl MemoryStore {
    /// An empty store, which sessions of this process may share.
    pub fn new() -> Self {
        MemoryStore {
            shared: Arc::default(),
            lease: Some(Arc::default()),
        }
    }

    /// An empty store for several sessions of this process. The same as
    /// [`MemoryStore::new`]: every memory store can be shared.
    #[deprecated(note = "every MemoryStore can be shared now: use MemoryStore::new")]
    pub fn shared() -> Self {
        MemoryStore::new()
    }

    /// A store for one session only: it hands out no renewal lease
    /// ([`TokenStore::lease`] answers `None`), so no two sessions may use it (or its
    /// clones). What a session makes for itself when given no store.
    pub fn private() -> Self {
        MemoryStore {
            shared: Arc::default(),
            lease: None,
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
        let store = MemoryStore::new();
        store.shared.write(Some(entry));
        store
    }
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore")
            .field("holds_tokens", &self.shared.slot().entry.is_some())
            .field("shared", &self.lease.is_some())
            .finish()
    }
}

#[async_trait]
impl TokenStore for MemoryStore {
    async fn load(&self) -> Result<Option<StoredTokens>, StoreError> {
        Ok(self
            .shared
            .slot()
            .entry
            .as_ref()
            .map(|entry| entry.tokens.clone()))
    }

    /// Saves `tokens` with an unknown owner.
    async fn save(&self, tokens: &StoredTokens) -> Result<(), StoreError> {
        self.shared.write(Some(StoreEntry {
            generation: 0,
            identity: None,
            tokens: tokens.clone(),
        }));
        Ok(())
    }

    async fn load_entry(&self) -> Result<Option<StoreEntry>, StoreError> {
        Ok(self.shared.slot().entry.clone())
    }

    async fn save_entry(&self, entry: &StoreEntry) -> Result<(), StoreError> {
        self.shared.write(Some(entry.clone()));
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
            Ok(guard) => Ok(Some(Box::new(MemoryLease {
                shared: Arc::clone(&self.shared),
                seen: None,
                _guard: guard,
            }))),
            Err(_) => Err(StoreError::LeaseTimeout { waited: wait }),
        }
    }

    async fn clear(&self) -> Result<(), StoreError> {
        self.shared.write(None);
        Ok(())
    }
}
