//! Where tokens wait between runs, so a restarted program resumes without signing again.

mod file;
mod format;
mod memory;
#[cfg(feature = "redis")]
mod redis;
mod seal;
#[cfg(feature = "sealing")]
mod sealing_key;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use async_trait::async_trait;
use auth_types::{AccessToken, RefreshToken};

use crate::identity::Identity;

pub use file::FileStore;
pub use format::EntryProblem;
pub use memory::MemoryStore;
#[cfg(feature = "redis")]
pub use redis::RedisStore;
#[cfg(feature = "sealing")]
pub use sealing_key::{SealingKey, SealingKeyError};

/// Tokens as they are stored. `Debug` shows no token text.
#[derive(Debug, Clone)]
pub struct StoredTokens {
    /// The access token.
    pub access_token: AccessToken,
    /// The refresh token, if the provider has refresh.
    pub refresh_token: Option<RefreshToken>,
    /// When the access token expires, on the wall clock (monotonic instants do not survive
    /// a restart).
    pub expires_at: SystemTime,
}

/// Stored tokens with the identity they belong to.
#[derive(Debug, Clone)]
pub struct StoreEntry {
    /// Who the tokens belong to; `None` when unknown (an entry written before identities
    /// existed, or by a store that does not keep them). A session uses only entries of
    /// its own identity.
    pub identity: Option<Identity>,
    /// The tokens.
    pub tokens: StoredTokens,
    /// Counts the entry's versions: every save by a session sharing the store adds one, so
    /// a session that re-reads the entry under the lease sees whether another renewed
    /// meanwhile. `0` for a store that does not keep it.
    pub generation: u64,
}

impl StoreEntry {
    /// An entry of generation 0.
    pub fn new(identity: Option<Identity>, tokens: StoredTokens) -> Self {
        StoreEntry {
            identity,
            tokens,
            generation: 0,
        }
    }
}

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
        wait: std::time::Duration,
        ttl: std::time::Duration,
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
        wait: std::time::Duration,
        ttl: std::time::Duration,
    ) -> Result<Option<Box<dyn Lease>>, StoreError> {
        (**self).lease(wait, ttl).await
    }
}

/// Why a token store could not load, save or clear. Never quotes token text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The token file could not be read.
    #[error("could not read the token file {}: {source}; check its permissions", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The token file could not be written.
    #[error(
        "could not write the token file {}: {source}; check that its directory exists and is writable",
        path.display()
    )]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The token file could not be removed.
    #[error("could not remove the token file {}: {source}; delete it by hand", path.display())]
    Remove {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The token file is not in the expected JSON shape. Only the position is reported,
    /// never the content.
    #[error(
        "the token file {} is not a valid token file (line {line}, column {column}); delete it to sign in again",
        path.display()
    )]
    Malformed {
        /// The file.
        path: PathBuf,
        /// Line of the problem, from 1.
        line: usize,
        /// Column of the problem, from 1.
        column: usize,
    },
    /// The token file can be read or written by other users: its tokens are not used (they
    /// may have been read), and its mode is left as it is (the store changes no file it did
    /// not create). The next save replaces it with a private file (see
    /// [`FileStore`](crate::FileStore)).
    #[error(
        "the token file {} can be read or written by other users (mode {mode:o}), so its tokens are not used; run `chmod 600` on it (or delete it), and log out to revoke its tokens if others had access",
        path.display()
    )]
    Permissions {
        /// The file.
        path: PathBuf,
        /// The file's permission bits, as found.
        mode: u32,
    },
    /// The token file is larger than any token file (`limit` bytes); it was not read.
    #[error(
        "the token file {} is larger than {limit} bytes, so it is not a token file; delete it to sign in again",
        path.display()
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The largest token file, in bytes.
        limit: usize,
    },
    /// The token file was written in a format version this library does not read.
    #[error(
        "the token file {} has format version {version}, which this version cannot read; delete it to sign in again",
        path.display()
    )]
    UnsupportedVersion {
        /// The file.
        path: PathBuf,
        /// The version found.
        version: u64,
    },
    /// Another session has held the store's renewal lease longer than this session waits;
    /// nothing was renewed.
    #[error(
        "another process has held the token store's renewal lease for over {waited:?}; try again, or look for a process stuck while renewing"
    )]
    LeaseTimeout {
        /// How long this session waited.
        waited: std::time::Duration,
    },
    /// The store cannot be reached (a server down, a connection refused or timed out).
    #[error("the token store {store} cannot be reached: {source}")]
    Unavailable {
        /// Which store (a URL without its password, or a path).
        store: String,
        /// What failed.
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// A stored entry cannot be used: from a store other than a file, not a valid entry
    /// (for files see [`StoreError::Malformed`] and its neighbours); from any store, a
    /// sealing problem (sealed without a key here, in clear where sealed entries are
    /// expected, another key or altered). A session ignores it and logs in; the next
    /// save replaces it.
    #[error(
        "the token store {store} holds an entry that cannot be used: {problem}; it is ignored and replaced at the next save"
    )]
    InvalidEntry {
        /// Which store (a URL without its password, or a file's path).
        store: String,
        /// What is wrong, by position and number only.
        problem: EntryProblem,
    },
    /// The renewal lease ended (its time ran out) before its holder gave it back, so
    /// another session may have taken it meanwhile.
    #[error(
        "the renewal lease of the token store {store} ran out before it was given back; renewals may have overlapped, consider a longer lease"
    )]
    LeaseLost {
        /// Which store (a URL without its password).
        store: String,
    },
    /// A store's settings cannot be used (a URL that is not a Redis URL, an empty key).
    /// Never quotes the URL, which may hold a password.
    #[error("the token store's settings cannot be used: {reason}")]
    InvalidSettings {
        /// What is wrong.
        reason: String,
    },
    /// A write under the renewal lease was refused because the stored entry is no longer
    /// what this session read (another session wrote it meanwhile, or it was cleared):
    /// nothing was written, so that a later renewal is never undone.
    #[error(
        "the token store {store} changed since this session read it; nothing was written, so as not to undo another session's renewal"
    )]
    Conflict {
        /// Which store (a URL without its password, or a path).
        store: String,
    },
    /// The token file or its lock file is a symbolic link. The store does not follow
    /// links (one could point it at another file, whose mode or content would change).
    #[error(
        "{} is a symbolic link; the token store does not follow links: remove it, or point the store at the real file",
        path.display()
    )]
    SymbolicLink {
        /// The link.
        path: PathBuf,
    },
    /// Any other failure of a custom store.
    #[error("the token store failed: {source}")]
    Other {
        /// The underlying error. It must not contain token text.
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
}

impl StoreError {
    /// Wraps any error of a custom store.
    pub fn other(source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>) -> Self {
        StoreError::Other {
            source: source.into(),
        }
    }
}
