//! The token file's operations: opened without following links, read with a size cap
//! and its mode checked, replaced atomically, and this store's crash leftovers removed.

use std::io::{self, Read as _, Write as _};
use std::path::Path;
use std::time::{Duration, SystemTime};

use zeroize::Zeroizing;

use super::{MAX_FILE_BYTES, decode};
use crate::entry::StoreEntry;
use crate::error::StoreError;
use crate::seal::Sealer;

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

/// Opens `path` with `options`, never through a symbolic link (the open fails instead).
pub(super) fn open_no_follow(
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
pub(super) enum OpenError {
    /// It is a symbolic link.
    Link,
    /// Another I/O error.
    Io(io::Error),
}

/// Removes the token file at `path`; an absent file is fine.
pub(super) fn remove(path: &Path) -> Result<(), StoreError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(StoreError::Remove {
            path: path.to_owned(),
            source: e,
        }),
        _ => Ok(()),
    }
}

/// A token file's bytes as found, before they are decoded.
pub(super) struct Raw {
    /// The content, at most one byte more than [`MAX_FILE_BYTES`]; `None`: no file.
    pub(super) bytes: Option<Zeroizing<Vec<u8>>>,
    /// The file's permission bits, if other users may read or write it.
    open_to_others: Option<u32>,
}

/// Reads the token file at `path` (never through a link), at most one byte more than the
/// limit, so that a larger file is refused, never read whole.
pub(super) fn read_raw(path: &Path) -> Result<Raw, StoreError> {
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
pub(super) fn interpret(
    path: &Path,
    sealer: &Sealer,
    raw: &Raw,
) -> Result<Option<StoreEntry>, StoreError> {
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
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
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
