//! A JSON file of tokens, private to the user and replaced atomically.

use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use auth_types::{AccessToken, RefreshToken};

use super::{StoreEntry, StoreError, StoredTokens, TokenStore};
use crate::identity::Identity;

/// The format version written into the file.
const VERSION: u64 = 1;

/// Keeps tokens in a JSON file, so a restarted program resumes without signing again.
///
/// - On unix the file is created with mode `0600` (owner read and write only).
/// - Every save writes a temporary file in the same directory, flushes it to disk and
///   renames it over the old one, so a crash leaves the old or the new tokens, never half.
/// - The expiry is stored as unix seconds (rounded down).
/// - The entry's [`Identity`] is stored with the tokens. A file without one (written by
///   an older version) reads as of unknown owner, which a session never uses.
/// - The directory must exist; the store does not create it.
/// - `Debug` shows the path only.
///
/// The file holds live credentials: keep it out of backups and version control.
#[derive(Debug, Clone)]
pub struct FileStore {
    path: PathBuf,
}

impl FileStore {
    /// A store in the file at `path` (which need not exist yet).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        FileStore { path: path.into() }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The file's content, as written.
#[derive(serde::Serialize)]
struct FileOut<'a> {
    version: u64,
    access_token: &'a str,
    refresh_token: Option<&'a str>,
    expires_at: u64,
    identity: Option<IdentityFile<'a>>,
}

/// An identity, as written.
#[derive(serde::Serialize)]
struct IdentityFile<'a> {
    provider: &'a str,
    base_url: &'a str,
    account: Option<&'a str>,
    client_id: Option<&'a str>,
}

/// An identity, as read.
#[derive(serde::Deserialize)]
struct IdentityIn {
    provider: String,
    base_url: String,
    account: Option<String>,
    client_id: Option<String>,
}

impl From<IdentityIn> for Identity {
    fn from(read: IdentityIn) -> Self {
        let mut identity = Identity::new(read.provider, read.base_url);
        if let Some(account) = read.account {
            identity = identity.with_account(account);
        }
        if let Some(client_id) = read.client_id {
            identity = identity.with_client_id(client_id);
        }
        identity
    }
}

/// The file's content, as read.
#[derive(serde::Deserialize)]
struct FileIn {
    access_token: AccessToken,
    refresh_token: Option<RefreshToken>,
    expires_at: u64,
    #[serde(default)]
    identity: Option<IdentityIn>,
}

/// The version, read first so a future format is reported as such.
#[derive(serde::Deserialize)]
struct Header {
    version: u64,
}

#[async_trait]
impl TokenStore for FileStore {
    async fn load(&self) -> Result<Option<StoredTokens>, StoreError> {
        Ok(self.load_entry().await?.map(|entry| entry.tokens))
    }

    /// Saves `tokens` with an unknown owner.
    async fn save(&self, tokens: &StoredTokens) -> Result<(), StoreError> {
        self.write(tokens, None).await
    }

    async fn load_entry(&self) -> Result<Option<StoreEntry>, StoreError> {
        let path = self.path.clone();
        blocking(move || read(&path)).await
    }

    async fn save_entry(&self, entry: &StoreEntry) -> Result<(), StoreError> {
        self.write(&entry.tokens, entry.identity.as_ref()).await
    }

    async fn clear(&self) -> Result<(), StoreError> {
        let path = self.path.clone();
        blocking(move || match std::fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                Err(StoreError::Remove { path, source: e })
            }
            _ => Ok(()),
        })
        .await
    }
}

impl FileStore {
    /// Writes `tokens` owned by `identity` atomically.
    async fn write(
        &self,
        tokens: &StoredTokens,
        identity: Option<&Identity>,
    ) -> Result<(), StoreError> {
        let content = FileOut {
            version: VERSION,
            access_token: tokens.access_token.expose_secret(),
            refresh_token: tokens.refresh_token.as_ref().map(|t| t.expose_secret()),
            expires_at: tokens
                .expires_at
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            identity: identity.map(|identity| IdentityFile {
                provider: identity.provider(),
                base_url: identity.base_url(),
                account: identity.account(),
                client_id: identity.client_id(),
            }),
        };
        let path = self.path.clone();
        let bytes = serde_json::to_vec_pretty(&content).map_err(|e| StoreError::Write {
            path: path.clone(),
            source: io::Error::other(e),
        })?;
        blocking(move || write_atomically(&path, &bytes)).await
    }
}

/// Runs file I/O off the async worker threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| Err(StoreError::other(e)))
}

fn read(path: &Path) -> Result<Option<StoreEntry>, StoreError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(StoreError::Read {
                path: path.to_owned(),
                source: e,
            });
        }
    };
    let malformed = |e: serde_json::Error| StoreError::Malformed {
        path: path.to_owned(),
        line: e.line(),
        column: e.column(),
    };
    let header: Header = serde_json::from_slice(&bytes).map_err(malformed)?;
    if header.version != VERSION {
        return Err(StoreError::UnsupportedVersion {
            path: path.to_owned(),
            version: header.version,
        });
    }
    let content: FileIn = serde_json::from_slice(&bytes).map_err(malformed)?;
    Ok(Some(StoreEntry {
        identity: content.identity.map(Identity::from),
        tokens: StoredTokens {
            access_token: content.access_token,
            refresh_token: content.refresh_token,
            expires_at: SystemTime::UNIX_EPOCH
                .checked_add(Duration::from_secs(content.expires_at))
                .unwrap_or(SystemTime::UNIX_EPOCH),
        },
    }))
}

/// Writes a private temporary file next to `path`, syncs it and renames it over `path`.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let failed = |source: io::Error| StoreError::Write {
        path: path.to_owned(),
        source,
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".auth-session-").suffix(".tmp");
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
