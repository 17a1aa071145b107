//! Whether a token store can hold the token, checked before a `token` command's session
//! runs.
//!
//! A session goes on without a store it cannot use, in memory, which suits a long-running
//! program; a one-shot command would then log in on every call, behind the back of the
//! fleet the store was named for. So before the session runs, the store must be readable
//! and writable, or the command stops with one line saying what is wrong:
//!
//! - a file: the path is not a directory, its directory exists and takes new files (one is
//!   created and removed there, as every save does), its lock file `{path}.lock` opens
//!   and locks (given back at once; a lock another process holds shows it works), and the
//!   file reads;
//! - Redis: the entry reads (the server answers, the password is right); when it holds no
//!   unexpired token of this identity, so that the command will log in, the lease is
//!   taken and given back too (a server that refuses writes, like a replica, is caught).
//!   A good stored token costs no request beyond the one read.
//!
//! An entry the store holds but the session cannot use (corrupt, of another identity, of
//! another format version) is no reason to stop: the session ignores it and the next save
//! replaces it.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use auth_session::{FileStore, Identity, StoreEntry, StoreError, TokenStore};

use super::Failure;

/// The lease of a Redis store ends by itself after this if this process dies holding it.
const LEASE_TTL: Duration = Duration::from_secs(2);

/// Checks that `store` can hold the tokens of `identity`; `file` is the store's
/// [`FileStore`], for a file store.
pub(super) async fn usable(
    store: &dyn TokenStore,
    file: Option<&FileStore>,
    identity: &Identity,
) -> Result<(), Failure> {
    if let Some(file) = file {
        // Plain system calls on this thread: cheaper than the store's lease, whose every
        // step is a hop to a blocking thread (this runs on every call, a good stored token
        // or not).
        writable_place(file.path())?;
        lock_works(&file.lock_path())?;
    }
    let entry = load(store).await?;
    if file.is_none() && !holds_unexpired_token(entry.as_ref(), identity) {
        lease(store).await?;
    }
    Ok(())
}

/// The stored entry, or `None` when there is none or it cannot be used (the session
/// replaces it); an error when the store cannot be read at all.
async fn load(store: &dyn TokenStore) -> Result<Option<StoreEntry>, Failure> {
    match store.load_entry().await {
        Ok(entry) => Ok(entry),
        Err(
            StoreError::Malformed { .. }
            | StoreError::TooLarge { .. }
            | StoreError::UnsupportedVersion { .. }
            | StoreError::InvalidEntry { .. },
        ) => Ok(None),
        Err(error) => Err(refused(&error)),
    }
}

/// Whether `entry` holds an access token of `identity` that has not expired: the command
/// will then most likely print it without writing.
fn holds_unexpired_token(entry: Option<&StoreEntry>, identity: &Identity) -> bool {
    entry.is_some_and(|entry| {
        entry.identity.as_ref() == Some(identity) && entry.tokens.expires_at > SystemTime::now()
    })
}

/// Takes the store's lease without waiting and gives it back (Redis: a write).
async fn lease(store: &dyn TokenStore) -> Result<(), Failure> {
    match store.lease(Duration::ZERO, LEASE_TTL).await {
        Ok(Some(lease)) => lease.release().await.map_err(|e| refused(&e)),
        // Not a shared store, or another process holds the lease: it works.
        Ok(None) | Err(StoreError::LeaseTimeout { .. }) => Ok(()),
        Err(error) => Err(refused(&error)),
    }
}

/// The lock file of a file store ([`FileStore::lock_path`]) opens, created private if
/// missing as the store creates it, and takes an exclusive lock, which is given back at
/// once. A lock another process holds shows that it works.
fn lock_works(path: &Path) -> Result<(), Failure> {
    let failed = |e: io::Error| {
        Failure::new(format!(
            "cannot open and lock {}, the token store's lock file: {e}; \
             remove what is in its place or fix its permissions",
            path.display()
        ))
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let file = options.open(path).map_err(failed)?;
    match file.try_lock() {
        Ok(()) => file.unlock().map_err(failed),
        Err(std::fs::TryLockError::WouldBlock) => Ok(()),
        Err(std::fs::TryLockError::Error(e)) => Err(failed(e)),
    }
}

fn refused(error: &StoreError) -> Failure {
    Failure::new(format!("{error}; not logging in without the token store"))
}

/// The token file at `path` can be created or replaced: it is not a directory, and its
/// directory exists and takes new files (a save writes a temporary file there and renames
/// it over the token file).
fn writable_place(path: &Path) -> Result<(), Failure> {
    let shown = path.display();
    if path.is_dir() {
        return Err(Failure::new(format!(
            "the token store {shown} is a directory; name a file, like {}",
            path.join("tokens.json").display()
        )));
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            return Err(Failure::new(format!(
                "the token store {shown} cannot be created: {} is not a directory",
                dir.display()
            )));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(Failure::new(format!(
                "the token store {shown} cannot be created: its directory {} does not exist; \
                 create it (mkdir -p) or name a file in an existing directory",
                dir.display()
            )));
        }
        Err(e) => {
            return Err(Failure::new(format!(
                "the token store {shown} cannot be created: cannot look at its directory {}: {e}",
                dir.display()
            )));
        }
    }
    create_and_remove_a_file_in(dir, path).map_err(|e| {
        Failure::new(format!(
            "the token store {shown} cannot be saved: no file can be created in {}: {e}; \
             make the directory writable or name a file in another",
            dir.display()
        ))
    })
}

/// Creates an empty file next to `path` in `dir`, and removes it.
fn create_and_remove_a_file_in(dir: &Path, path: &Path) -> io::Result<()> {
    let name = path
        .file_name()
        .map_or_else(|| "tokens".into(), |n| n.to_string_lossy());
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let probe: PathBuf = dir.join(format!(
        ".{name}.authctl-check-{}-{nanos}",
        std::process::id()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    drop(options.open(&probe)?);
    std::fs::remove_file(&probe)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_directory_and_a_directory_are_named() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let missing = dir.path().join("missing").join("t.json");
        let text = writable_place(&missing).expect_err("missing").to_string();
        assert!(text.contains("does not exist"), "{text}");
        assert!(text.contains(&dir.path().join("missing").display().to_string()));
        let text = writable_place(dir.path())
            .expect_err("a directory")
            .to_string();
        assert!(text.contains("is a directory"), "{text}");
        let file = dir.path().join("plain");
        std::fs::write(&file, "").expect("a file");
        let text = writable_place(&file.join("t.json"))
            .expect_err("under a file")
            .to_string();
        assert!(text.contains("is not a directory"), "{text}");
    }

    #[test]
    fn a_writable_directory_passes_and_is_left_as_it_was() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        writable_place(&dir.path().join("t.json")).expect("writable");
        assert_eq!(std::fs::read_dir(dir.path()).expect("listed").count(), 0);
    }
}
