//! Why a store could not load, save or clear, and what is wrong with an entry it holds.

use std::path::PathBuf;

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
    /// `FileStore`).
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
    /// A `rediss://` store needs a rustls crypto provider, and the application has
    /// installed none as the process default. A library does not choose one for the whole
    /// process: the application does, once at start.
    #[error(
        "the token store {store} uses TLS, and no rustls crypto provider is installed; install one at the start of the program, for example `rustls::crypto::ring::default_provider().install_default()`"
    )]
    NoCryptoProvider {
        /// Which store (its URL without the password).
        store: String,
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

/// What is wrong with a stored entry (see [`StoreError::InvalidEntry`]). Positions and
/// numbers only, never content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EntryProblem {
    /// Not JSON of the expected shape.
    #[error("not a valid entry (line {line}, column {column})")]
    Malformed {
        /// Line of the problem, from 1.
        line: usize,
        /// Column of the problem, from 1.
        column: usize,
    },
    /// Written in a format version this library does not read.
    #[error("format version {version}, which this version cannot read")]
    UnsupportedVersion {
        /// The version found.
        version: u64,
    },
    /// Larger than any entry.
    #[error("larger than {limit} bytes")]
    TooLarge {
        /// The largest entry, in bytes.
        limit: usize,
    },
    /// The entry is sealed, and this store has no sealing key.
    #[error(
        "the entry is sealed and this store has no sealing key; give it the key the writers use"
    )]
    SealedWithoutKey,
    /// This store seals its entries, and this one is in clear (written by a store
    /// without the key): not used.
    #[error("the entry is not sealed, but this store expects sealed entries")]
    NotSealed,
    /// The sealed entry does not open with this store's key: another key sealed it, or it
    /// was changed.
    #[error(
        "the sealed entry does not open with this key (another key sealed it, or it was altered)"
    )]
    WrongKeyOrAltered,
    /// The store holds something other than an entry there (a Redis key of another
    /// type).
    #[error("the key holds a value of another type ({found}), not an entry")]
    WrongType {
        /// The type found (for Redis: `hash`, `list`, …).
        found: String,
    },
}
