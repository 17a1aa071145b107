//! The store traits: what a session asks of a place that keeps its tokens, and of a
//! shared store's renewal lease.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use crate::entry::{StoreEntry, StoredTokens};
use crate::error::StoreError;

/// A store's renewal lease: while a session holds it, no other session sharing the
/// store logs in or refreshes. Released by [`release`](Lease::release), or when dropped
/// (best effort), or by the store when the holder dies or the lease's time runs out.
///
/// The holder reads and writes the entry through the lease. A write is *fenced*: it goes
/// through only if the stored entry is still exactly what this lease last read or wrote
/// (and, for a store whose leases can run out, only if no other session has taken the
/// lease meanwhile); otherwise nothing is written and the write fails with
/// [`StoreError::Conflict`] or [`StoreError::LeaseLost`]. So a holder that stalled past
/// its lease never undoes a later holder's renewal.
///
/// A lease that a store ends after a time (Redis) keeps itself alive while it is held,
/// and stops when released or dropped.
#[async_trait]
pub trait Lease: Send + Sync + std::fmt::Debug {
    /// Reads the entry and remembers what it read, for the fence of the next
    /// [`replace`](Lease::replace). An entry that cannot be used (malformed, sealed with
    /// another key, of another type) is an error, but is remembered too: the next write
    /// may replace it.
    async fn load_entry(&mut self) -> Result<Option<StoreEntry>, StoreError>;

    /// Replaces the entry with `entry` (`None`: removes it) if the store still holds
    /// what this lease last read or wrote, and remembers what it wrote.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] if the entry changed (or nothing was read through this
    /// lease yet), [`StoreError::LeaseLost`] if another session holds the lease now;
    /// nothing was written then. Any failure of the store.
    async fn replace(&mut self, entry: Option<&StoreEntry>) -> Result<(), StoreError>;

    /// Gives the lease back, so the next session waiting for it can re-read the entry.
    async fn release(self: Box<Self>) -> Result<(), StoreError>;
}

/// A place to keep a session's tokens. Object safe: a session holds an
/// `Arc<dyn TokenStore>`.
///
/// The session loads once, on its first use ([`load_entry`](TokenStore::load_entry)),
/// saves after each login or refresh ([`save_entry`](TokenStore::save_entry)), and
/// clears at logout. Stored tokens are secrets: an implementation must not log them and
/// its `Debug` must not print them.
///
/// A store that implements only `load`, `save` and `clear` keeps no identity: a session
/// then treats its entries as of unknown owner and never uses them. Implement
/// `load_entry` and `save_entry` too to resume sessions from it.
#[async_trait]
pub trait TokenStore: Send + Sync + std::fmt::Debug {
    /// The stored tokens, or `None` if there are none.
    async fn load(&self) -> Result<Option<StoredTokens>, StoreError>;

    /// Replaces the stored tokens.
    async fn save(&self, tokens: &StoredTokens) -> Result<(), StoreError>;

    /// Forgets the stored tokens. Clearing an empty store succeeds.
    async fn clear(&self) -> Result<(), StoreError>;

    /// The stored tokens with their identity. The default reads [`load`](TokenStore::load)
    /// and reports the identity as unknown.
    async fn load_entry(&self) -> Result<Option<StoreEntry>, StoreError> {
        Ok(self
            .load()
            .await?
            .map(|tokens| StoreEntry::new(None, tokens)))
    }

    /// Replaces the stored tokens and their identity. The default drops the identity and
    /// calls [`save`](TokenStore::save).
    async fn save_entry(&self, entry: &StoreEntry) -> Result<(), StoreError> {
        self.save(&entry.tokens).await
    }

    /// Takes the renewal lease of a store that several sessions (processes, machines)
    /// share, waiting at most `wait` for another holder to give it back; a lease never
    /// given back ends by itself after `ttl` (stores whose leases end with their holder's
    /// process may ignore it). `Ok(None)`: this store is not shared, no lease is needed
    /// (the default).
    ///
    /// With a lease, a session re-reads the entry through it before it renews and adopts
    /// tokens another session saved meanwhile, takes the refresh token out of the entry
    /// before presenting it (so that a holder that dies mid-refresh leaves no spent token
    /// behind), and saves the new pair with the next
    /// [`generation`](StoreEntry::generation), every write fenced (see [`Lease`]). A
    /// session on a shared store never presents a refresh token the store may know of
    /// without the lease and that write: when the lease cannot be had (the store fails),
    /// it logs in instead and writes nothing.
    ///
    /// A store whose server can fail for a moment (a dropped connection) keeps trying
    /// within `wait` before it reports the failure.
    async fn lease(
        &self,
        wait: Duration,
        ttl: Duration,
    ) -> Result<Option<Box<dyn Lease>>, StoreError> {
        let _ = (wait, ttl);
        Ok(None)
    }
}

#[async_trait]
impl<T: TokenStore + ?Sized> TokenStore for Arc<T> {
    async fn load(&self) -> Result<Option<StoredTokens>, StoreError> {
        (**self).load().await
    }

    async fn save(&self, tokens: &StoredTokens) -> Result<(), StoreError> {
        (**self).save(tokens).await
    }

    async fn clear(&self) -> Result<(), StoreError> {
        (**self).clear().await
    }

    async fn load_entry(&self) -> Result<Option<StoreEntry>, StoreError> {
        (**self).load_entry().await
    }

    async fn save_entry(&self, entry: &StoreEntry) -> Result<(), StoreError> {
        (**self).save_entry(entry).await
    }

    async fn lease(
        &self,
        wait: Duration,
        ttl: Duration,
    ) -> Result<Option<Box<dyn Lease>>, StoreError> {
        (**self).lease(wait, ttl).await
    }
}
