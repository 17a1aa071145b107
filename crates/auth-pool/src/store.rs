//! [`StoreFactory`]: where each identity's tokens are kept, so that processes serving
//! the same wallets share them.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use auth_store::{FileStore, Identity, MemoryStore, StoreError, TokenStore};

/// The custom form: a store for an identity.
type MakeStore = dyn Fn(&Identity) -> Result<Arc<dyn TokenStore>, StoreError> + Send + Sync;

/// How the pool opens each session's token store, from the session's
/// [`Identity`](auth_store::Identity) (the authenticator's, so the provider, server and
/// account all name the store, whatever the pool's key type).
///
/// A store shared by processes (a directory on one machine, Redis across machines) makes
/// them share each wallet's tokens: a wallet 16 processes serve logs in once, and its
/// renewals follow the session's renewal protocol (one process renews, the others adopt).
#[derive(Clone)]
pub struct StoreFactory {
    kind: Kind,
}

#[derive(Clone)]
enum Kind {
    Private,
    Directory(PathBuf),
    #[cfg(feature = "redis")]
    Redis {
        /// May hold a password: never printed.
        url: Arc<str>,
        prefix: String,
    },
    Custom(Arc<MakeStore>),
}

impl StoreFactory {
    /// Each session keeps its tokens in memory, to itself (the default): nothing survives
    /// the process, and no other process shares them.
    pub fn private() -> Self {
        StoreFactory {
            kind: Kind::Private,
        }
    }

    /// One [`FileStore`] per identity in `dir` (created, private to the user, on first
    /// use), named by [`store_name`]: the names `authctl` gives its token files, so a pool
    /// and `authctl … token --store` on the same file share its tokens.
    pub fn directory(dir: impl Into<PathBuf>) -> Self {
        StoreFactory {
            kind: Kind::Directory(dir.into()),
        }
    }

    /// One [`RedisStore`](auth_store::RedisStore) per identity on the server at `url`,
    /// at the key `{prefix}{store_name without .json}`. The URL (which may hold a
    /// password) is never printed.
    #[cfg(feature = "redis")]
    pub fn redis(url: impl Into<String>, prefix: impl Into<String>) -> Self {
        StoreFactory {
            kind: Kind::Redis {
                url: Arc::from(url.into()),
                prefix: prefix.into(),
            },
        }
    }

    /// Any store: `make` is called once per session, when the session is made.
    pub fn custom(
        make: impl Fn(&Identity) -> Result<Arc<dyn TokenStore>, StoreError> + Send + Sync + 'static,
    ) -> Self {
        StoreFactory {
            kind: Kind::Custom(Arc::new(make)),
        }
    }

    /// The store of `identity`.
    ///
    /// # Errors
    ///
    /// What opening it returned: [`StoreError::Write`] for a directory that cannot be
    /// created, [`StoreError::InvalidSettings`] for a bad Redis URL, or the custom
    /// factory's error.
    pub fn open(&self, identity: &Identity) -> Result<Arc<dyn TokenStore>, StoreError> {
        match &self.kind {
            Kind::Private => Ok(Arc::new(MemoryStore::private())),
            Kind::Directory(dir) => {
                create_private_dir(dir)?;
                Ok(Arc::new(FileStore::new(dir.join(store_name(identity)))))
            }
            #[cfg(feature = "redis")]
            Kind::Redis { url, prefix } => {
                let name = store_name(identity);
                let key = format!("{prefix}{}", name.trim_end_matches(".json"));
                Ok(Arc::new(auth_store::RedisStore::new(url, key)?))
            }
            Kind::Custom(make) => make(identity),
        }
    }
}

impl Default for StoreFactory {
    fn default() -> Self {
        StoreFactory::private()
    }
}

impl fmt::Debug for StoreFactory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Private => f.write_str("StoreFactory::Private"),
            Kind::Directory(dir) => f.debug_tuple("StoreFactory::Directory").field(dir).finish(),
            #[cfg(feature = "redis")]
            Kind::Redis { prefix, .. } => f
                .debug_struct("StoreFactory::Redis")
                .field("prefix", prefix)
                .finish_non_exhaustive(),
            Kind::Custom(_) => f.write_str("StoreFactory::Custom"),
        }
    }
}

/// Creates `dir` (and its parents) if missing, private to the user on Unix.
fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|source| StoreError::Write {
        path: dir.to_owned(),
        source,
    })
}

/// The file name of `identity`'s tokens: `{provider}_{server}_{account}_{client id}.json`
/// (the server without its scheme, `-` for a missing part), with anything but ASCII
/// letters, digits, `.` and `-` replaced by `_`, at most 200 characters before `.json`.
/// Never a path: no `/`, whatever the identity holds. The same names as `authctl`'s token
/// files.
///
/// ```
/// use auth_pool::store_name;
/// use auth_store::Identity;
///
/// let pump = Identity::new("pump.fun", "http://127.0.0.1:8080").with_account("../x");
/// assert_eq!(store_name(&pump), "pump.fun_127.0.0.1_8080_.._x_-.json");
/// ```
pub fn store_name(identity: &Identity) -> String {
    let server = identity
        .base_url()
        .split_once("://")
        .map_or(identity.base_url(), |(_, rest)| rest);
    let parts = [
        identity.provider(),
        server,
        identity.account().unwrap_or("-"),
        identity.client_id().unwrap_or("-"),
    ];
    let name: String = parts
        .join("_")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(200)
        .collect();
    format!("{name}.json")
}
