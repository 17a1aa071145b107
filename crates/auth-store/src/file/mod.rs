//! A JSON file of tokens, private to the user and replaced atomically: the store here,
//! its lease (an operating-system lock, fenced writes) in `lease.rs`, the file operations
//! (no links followed, private modes, atomic replace, crash leftovers) in `io.rs`.

mod io;
mod lease;

use std::path::{Path, PathBuf};
use std::time::Duration;

use async_trait::async_trait;

use crate::entry::{StoreEntry, StoredTokens};
use crate::error::StoreError;
use crate::format::{self, Place};
use crate::seal::Sealer;
use crate::token_store::{Lease, TokenStore};
use io::{interpret, read_raw, remove, write_atomically};

/// The largest token file read (1 MiB): a token file holds a few kilobytes, so anything
/// larger is not one, and is refused unread rather than loaded into memory.
const MAX_FILE_BYTES: usize = format::MAX_BYTES;

/// Keeps tokens in a JSON file, so a restarted program resumes without signing again.
///
/// - On unix the file is created with mode `0600` (owner read and write only). An existing
///   file that other users can read or write (any group or other permission bit) is not
///   used: the load fails with [`StoreError::Permissions`], which names the path and the
///   mode, never the content, and says to `chmod 600` it (the tokens in it may have been
///   read: consider logging out to revoke them). The store never changes the mode of a
///   file it did not create; a session then logs in, and its save replaces the file with
///   a new private one.
/// - The token file and its lock file must not be symbolic links: the store opens them
///   without following links and refuses a link ([`StoreError::SymbolicLink`]), so a
///   link cannot make it read, write or change the mode of another file.
/// - Every save writes a temporary file in the same directory (named
///   `.{file name}.auth-session-XXXXXX.tmp`), flushes it to disk and renames it over the
///   old one, so a crash leaves the old or the new tokens, never half.
/// - A temporary file of this store (that exact name pattern, next to the token file)
///   left by a crash is removed at the next load or save once it is more than five
///   minutes old (younger ones may be another process's save in progress). No other file
///   is touched.
/// - The expiry is stored as unix seconds (rounded down).
/// - The entry's [`Identity`](crate::Identity) is stored with the tokens. A file without one (written by
///   an older version) reads as of unknown owner, which a session never uses.
/// - A file larger than 1 MiB is not a token file: it is refused unread
///   ([`StoreError::TooLarge`]).
/// - Many processes on one machine can share the file: it is a shared store (see
///   [`TokenStore::lease`]). A session takes an exclusive operating-system lock on
///   `{path}.lock` (created `0600`, never removed) before it logs in or refreshes, re-reads
///   the file and adopts tokens another process saved meanwhile, so a fleet renews once
///   per expiry and never presents a refresh token twice. The lock ends with the process
///   that holds it, even on `kill -9`. Writes under the lock are fenced (see [`Lease`]):
///   a write goes through only if the file still holds what the holder last read or wrote.
/// - The directory must exist; the store does not create it.
/// - With the `sealing` feature, [`sealed`](FileStore::sealed) seals the content with a
///   key (see [`SealingKey`](crate::SealingKey)): the file then holds no token in clear.
/// - `Debug` shows the path only (and whether the store seals).
///
/// The file holds live credentials: keep it out of backups and version control.
#[derive(Debug, Clone)]
pub struct FileStore {
    path: PathBuf,
    sealer: Sealer,
}

impl FileStore {
    /// A store in the file at `path` (which need not exist yet).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        FileStore {
            path: path.into(),
            sealer: Sealer::default(),
        }
    }

    crate::seal::sealing_builders!(
        "the file then holds `{\"version\":1,\"sealed\":\"…\"}`.",
        "Every process sharing the file"
    );

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads a token file's content, as [`load_entry`](TokenStore::load_entry) does once
    /// it has read the file (errors name this store's path, never the content). Pure: no
    /// I/O. For the fuzz target of the file format; not part of the stable API.
    ///
    /// # Errors
    ///
    /// [`StoreError::TooLarge`], [`StoreError::Malformed`] or
    /// [`StoreError::UnsupportedVersion`].
    #[doc(hidden)]
    pub fn decode_entry(&self, bytes: &[u8]) -> Result<StoreEntry, StoreError> {
        decode(&self.path, &self.sealer, bytes)
    }

    /// The content [`save_entry`](TokenStore::save_entry) writes for `entry`. Pure: no
    /// I/O. For the fuzz target of the file format; not part of the stable API. The bytes
    /// hold the tokens in clear.
    ///
    /// # Errors
    ///
    /// [`StoreError::TooLarge`] if the content would be larger than a load accepts.
    #[doc(hidden)]
    pub fn encode_entry(&self, entry: &StoreEntry) -> Result<Vec<u8>, StoreError> {
        encode(&self.path, &self.sealer, entry)
    }

    /// The lock file next to the token file: `{path}.lock`.
    pub fn lock_path(&self) -> PathBuf {
        let mut name = self.path.as_os_str().to_owned();
        name.push(".lock");
        PathBuf::from(name)
    }
}

#[async_trait]
impl TokenStore for FileStore {
    async fn load(&self) -> Result<Option<StoredTokens>, StoreError> {
        Ok(self.load_entry().await?.map(|entry| entry.tokens))
    }

    /// Saves `tokens` with an unknown owner.
    async fn save(&self, tokens: &StoredTokens) -> Result<(), StoreError> {
        self.write(&StoreEntry::new(None, tokens.clone())).await
    }

    async fn load_entry(&self) -> Result<Option<StoreEntry>, StoreError> {
        let (path, sealer) = (self.path.clone(), self.sealer.clone());
        blocking(move || read(&path, &sealer)).await
    }

    async fn save_entry(&self, entry: &StoreEntry) -> Result<(), StoreError> {
        self.write(entry).await
    }

    /// An exclusive lock on the lock file ([`FileStore::lock_path`]) through the
    /// operating system's file locks, so every process on the machine sharing the file
    /// takes turns. The lock ends with its holder's process, so `ttl` is not needed.
    async fn lease(
        &self,
        wait: Duration,
        _ttl: Duration,
    ) -> Result<Option<Box<dyn Lease>>, StoreError> {
        lease::take(self, wait).await
    }

    async fn clear(&self) -> Result<(), StoreError> {
        let path = self.path.clone();
        blocking(move || remove(&path)).await
    }
}

impl FileStore {
    /// Writes `entry` atomically.
    async fn write(&self, entry: &StoreEntry) -> Result<(), StoreError> {
        let bytes = encode(&self.path, &self.sealer, entry)?;
        let path = self.path.clone();
        blocking(move || write_atomically(&path, &bytes)).await
    }
}

/// The file content for `entry` (the file at `path`, for errors).
fn encode(path: &Path, sealer: &Sealer, entry: &StoreEntry) -> Result<Vec<u8>, StoreError> {
    sealer.encode(entry).map_err(|e| e.at(Place::File(path)))
}

/// The stored entry in `bytes`, the content of the file at `path` (for errors).
fn decode(path: &Path, sealer: &Sealer, bytes: &[u8]) -> Result<StoreEntry, StoreError> {
    sealer.decode(bytes).map_err(|e| e.at(Place::File(path)))
}

/// Runs file I/O off the async worker threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| Err(StoreError::other(e)))
}

fn read(path: &Path, sealer: &Sealer) -> Result<Option<StoreEntry>, StoreError> {
    interpret(path, sealer, &read_raw(path)?)
}
