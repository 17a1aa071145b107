//! The lease of a [`FileStore`]: an exclusive operating-system lock on `{path}.lock`, its
//! fenced writes compared with the file under the lock.

use std::path::{Path, PathBuf};
use std::time::Duration;

use async_trait::async_trait;
use zeroize::Zeroizing;

use super::io::{OpenError, interpret, open_no_follow, read_raw, remove, write_atomically};
use super::{FileStore, blocking, encode};
use crate::entry::StoreEntry;
use crate::error::StoreError;
use crate::token_store::Lease;

/// The first pause between two tries of a held lock; it doubles up to [`LOCK_POLL_MAX`].
const LOCK_POLL_FIRST: Duration = Duration::from_millis(2);
/// The longest pause between two tries of a held lock.
const LOCK_POLL_MAX: Duration = Duration::from_millis(25);

/// Takes the lock on `store`'s lock file (see [`FileStore::lock_path`]), trying again with
/// growing pauses for at most `wait`.
pub(super) async fn take(
    store: &FileStore,
    wait: Duration,
) -> Result<Option<Box<dyn Lease>>, StoreError> {
    let path = store.lock_path();
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
                    store: store.clone(),
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

/// Opens (or creates, private) the lock file at `path`, never through a link.
pub(super) fn open_lock_file(path: &Path) -> Result<std::fs::File, StoreError> {
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
