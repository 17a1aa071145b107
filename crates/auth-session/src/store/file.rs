//! A JSON file of tokens, private to the user and replaced atomically.

use std::io::{self, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use zeroize::Zeroizing;

use super::format::{self, Place};
use super::seal::Sealer;
use super::{Lease, StoreEntry, StoreError, StoredTokens, TokenStore};

/// The largest token file read (1 MiB): a token file holds a few kilobytes, so anything
/// larger is not one, and is refused unread rather than loaded into memory.
const MAX_FILE_BYTES: usize = format::MAX_BYTES;

/// The part of a temporary file's name after the token file's name: `.{name}` + this +
/// [`TEMP_RANDOM`] random letters and digits + [`TEMP_SUFFIX`].
const TEMP_INFIX: &str = ".auth-session-";
/// How many random characters a temporary file's name has.
const TEMP_RANDOM: usize = 6;
/// The end of a temporary file's name.
const TEMP_SUFFIX: &str = ".tmp";
/// A temporary file of this store older than this was left by a crash (a write in
/// progress, perhaps by another process, takes milliseconds).
const TEMP_STALE_AFTER: Duration = Duration::from_secs(5 * 60);

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

    super::seal::sealing_builders!(
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
        let path = self.lock_path();
        let file = blocking({
            let path = path.clone();
            move || open_lock_file(&path)
        })
        .await?;
        let file = std::sync::Arc::new(file);
        let started = std::time::Instant::now();
        let mut pause = LOCK_POLL_FIRST;
        loop {
            let attempt = {
                let file = std::sync::Arc::clone(&file);
                blocking(move || Ok(file.try_lock())).await?
            };
            match attempt {
                Ok(()) => {
                    return Ok(Some(Box::new(FileLease {
                        file,
                        path,
                        store: self.clone(),
                        seen: None,
                    })));
                }
                Err(std::fs::TryLockError::WouldBlock) => {}
                Err(std::fs::TryLockError::Error(source)) => {
                    return Err(StoreError::Write { path, source });
                }
            }
            let waited = started.elapsed();
            if waited >= wait {
                return Err(StoreError::LeaseTimeout { waited });
            }
            tokio::time::sleep(pause.min(wait - waited)).await;
            pause = (pause * 2).min(LOCK_POLL_MAX);
        }
    }

    async fn clear(&self) -> Result<(), StoreError> {
        let path = self.path.clone();
        blocking(move || remove(&path)).await
    }
}

/// The first pause between two tries of a held lock; it doubles up to [`LOCK_POLL_MAX`].
const LOCK_POLL_FIRST: Duration = Duration::from_millis(2);
/// The longest pause between two tries of a held lock.
const LOCK_POLL_MAX: Duration = Duration::from_millis(25);

/// The lease of a [`FileStore`]: a lock held on its lock file.
struct FileLease {
    file: std::sync::Arc<std::fs::File>,
    path: PathBuf,
    store: FileStore,
    /// What this lease last read or wrote (`Some(None)`: no file); `None` before a read.
    seen: Option<Option<Zeroizing<Vec<u8>>>>,
}

impl std::fmt::Debug for FileLease {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileLease")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl Lease for FileLease {
    async fn load_entry(&mut self) -> Result<Option<StoreEntry>, StoreError> {
        let path = self.store.path.clone();
        let raw = blocking(move || read_raw(&path)).await?;
        self.seen = Some(raw.bytes.clone());
        interpret(&self.store.path, &self.store.sealer, &raw)
    }

    /// Under the lock: compares the file with what this lease saw, then writes.
    async fn replace(&mut self, entry: Option<&StoreEntry>) -> Result<(), StoreError> {
        let Some(seen) = self.seen.clone() else {
            return Err(self.conflict());
        };
        let bytes = entry
            .map(|entry| encode(&self.store.path, &self.store.sealer, entry).map(Zeroizing::new))
            .transpose()?;
        let path = self.store.path.clone();
        let written = bytes.clone();
        let same = blocking(move || {
            let now = read_raw(&path)?;
            if now.bytes != seen {
                return Ok(false);
            }
            match &written {
                Some(bytes) => write_atomically(&path, bytes)?,
                None => remove(&path)?,
            }
            Ok(true)
        })
        .await?;
        if !same {
            self.seen = None;
            return Err(self.conflict());
        }
        self.seen = Some(bytes);
        Ok(())
    }

    async fn release(self: Box<Self>) -> Result<(), StoreError> {
        let FileLease { file, path, .. } = *self;
        blocking(move || {
            file.unlock()
                .map_err(|source| StoreError::Write { path, source })
        })
        .await
    }
}

impl FileLease {
    fn conflict(&self) -> StoreError {
        StoreError::Conflict {
            store: self.store.path.display().to_string(),
        }
    }
}

/// Opens `path` with `options`, never through a symbolic link (the open fails instead).
fn open_no_follow(
    path: &Path,
    options: &mut std::fs::OpenOptions,
) -> Result<std::fs::File, OpenError> {
    // A clear error for a link that is there now; `O_NOFOLLOW` closes the race with one
    // made after this look.
    if std::fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink()) {
        return Err(OpenError::Link);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path).map_err(|error| {
        #[cfg(unix)]
        if error.raw_os_error() == Some(libc::ELOOP) {
            return OpenError::Link;
        }
        OpenError::Io(error)
    })
}

/// Why a file could not be opened.
enum OpenError {
    /// It is a symbolic link.
    Link,
    /// Another I/O error.
    Io(io::Error),
}

/// Opens (or creates, private) the lock file at `path`, never through a link.
fn open_lock_file(path: &Path) -> Result<std::fs::File, StoreError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    open_no_follow(path, &mut options).map_err(|error| match error {
        OpenError::Link => StoreError::SymbolicLink {
            path: path.to_owned(),
        },
        OpenError::Io(source) => StoreError::Write {
            path: path.to_owned(),
            source,
        },
    })
}

/// Removes the token file at `path`; an absent file is fine.
fn remove(path: &Path) -> Result<(), StoreError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(StoreError::Remove {
            path: path.to_owned(),
            source: e,
        }),
        _ => Ok(()),
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

/// A token file's bytes as found, before they are decoded.
struct Raw {
    /// The content, at most one byte more than [`MAX_FILE_BYTES`]; `None`: no file.
    bytes: Option<Zeroizing<Vec<u8>>>,
    /// The file's permission bits, if other users may read or write it.
    open_to_others: Option<u32>,
}

/// Reads the token file at `path` (never through a link), at most one byte more than the
/// limit, so that a larger file is refused, never read whole.
fn read_raw(path: &Path) -> Result<Raw, StoreError> {
    remove_stale_temporary_files(path);
    let failed = |source: io::Error| StoreError::Read {
        path: path.to_owned(),
        source,
    };
    let file = match open_no_follow(path, std::fs::OpenOptions::new().read(true)) {
        Ok(file) => file,
        Err(OpenError::Io(e)) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Raw {
                bytes: None,
                open_to_others: None,
            });
        }
        Err(OpenError::Link) => {
            return Err(StoreError::SymbolicLink {
                path: path.to_owned(),
            });
        }
        Err(OpenError::Io(e)) => return Err(failed(e)),
    };
    let open_to_others = mode_open_to_others(&file).map_err(failed)?;
    let mut bytes = Zeroizing::new(Vec::new());
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(failed)?;
    Ok(Raw {
        bytes: Some(bytes),
        open_to_others,
    })
}

/// The entry in a file read as `raw`.
fn interpret(path: &Path, sealer: &Sealer, raw: &Raw) -> Result<Option<StoreEntry>, StoreError> {
    let Some(bytes) = &raw.bytes else {
        return Ok(None);
    };
    // What is wrong with the content first: only tokens are refused for the mode.
    let entry = decode(path, sealer, bytes)?;
    if let Some(mode) = raw.open_to_others {
        tracing::warn!(
            path = %path.display(),
            mode = format_args!("{mode:o}"),
            "the token file can be read or written by other users; its tokens are not used. \
             If others had access, log out to revoke them"
        );
        return Err(StoreError::Permissions {
            path: path.to_owned(),
            mode,
        });
    }
    Ok(Some(entry))
}

/// The open file's permission bits if other users may read or write it (any group or
/// other bit); `None` for a private file, and on systems without unix modes.
fn mode_open_to_others(file: &std::fs::File) -> io::Result<Option<u32>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = file.metadata()?.permissions().mode() & 0o7777;
        Ok((mode & 0o077 != 0).then_some(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        Ok(None)
    }
}

/// Whether `name` is the name of one of the temporary files of the token file `file_name`.
fn is_own_temporary_file(name: &str, file_name: &str) -> bool {
    let Some(rest) = name
        .strip_prefix('.')
        .and_then(|rest| rest.strip_prefix(file_name))
        .and_then(|rest| rest.strip_prefix(TEMP_INFIX))
        .and_then(|rest| rest.strip_suffix(TEMP_SUFFIX))
    else {
        return false;
    };
    rest.len() == TEMP_RANDOM && rest.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Removes the temporary files of the token file at `path` that a crash left behind
/// (those older than [`TEMP_STALE_AFTER`]). Best effort: a failure is logged at debug
/// level and changes nothing else.
fn remove_stale_temporary_files(path: &Path) {
    let Some(file_name) = path.file_name().and_then(|name| name.to_str()) else {
        return;
    };
    let dir = directory_of(path);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name
            .to_str()
            .is_some_and(|name| is_own_temporary_file(name, file_name))
        {
            continue;
        }
        // `DirEntry::metadata` does not follow symbolic links: only regular files go.
        let Ok(metadata) = entry.metadata() else {
            continue;
        };
        let stale = metadata.modified().is_ok_and(|modified| {
            now.duration_since(modified)
                .is_ok_and(|age| age >= TEMP_STALE_AFTER)
        });
        if metadata.is_file()
            && stale
            && let Err(error) = std::fs::remove_file(entry.path())
        {
            tracing::debug!(
                path = %entry.path().display(),
                %error,
                "could not remove a temporary token file left by a crash"
            );
        }
    }
}

/// The directory of the file at `path`.
fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Writes a private temporary file next to `path`, syncs it and renames it over `path`.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    if std::fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink()) {
        return Err(StoreError::SymbolicLink {
            path: path.to_owned(),
        });
    }
    remove_stale_temporary_files(path);
    let failed = |source: io::Error| StoreError::Write {
        path: path.to_owned(),
        source,
    };
    let dir = directory_of(path);
    let prefix = format!(
        ".{}{TEMP_INFIX}",
        path.file_name()
            .and_then(|name| name.to_str())
            .unwrap_or_default()
    );
    let mut builder = tempfile::Builder::new();
    builder
        .prefix(&prefix)
        .suffix(TEMP_SUFFIX)
        .rand_bytes(TEMP_RANDOM);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o600));
    }
    let mut file = builder.tempfile_in(dir).map_err(failed)?;
    file.write_all(bytes).map_err(failed)?;
    file.as_file().sync_all().map_err(failed)?;
    file.persist(path).map_err(|e| failed(e.error))?;
    // Make the rename itself durable; a failure here loses nothing that was promised.
    #[cfg(unix)]
    if let Ok(dir) = std::fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}
