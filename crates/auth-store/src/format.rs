//! The stored entry's content, shared by the stores that keep bytes (the token file, the
//! Redis value): JSON with a format version, the tokens, the expiry in unix seconds, the
//! identity and the generation. Pure functions, no I/O; errors carry positions and
//! numbers only, never content.

use std::path::Path;
use std::time::{Duration, SystemTime};

use auth_types::{AccessToken, RefreshToken};

use crate::entry::{StoreEntry, StoredTokens};
use crate::error::{EntryProblem, StoreError};
use crate::identity::Identity;

/// The format version written.
pub(crate) const VERSION: u64 = 1;

/// The largest content read or written (1 MiB): an entry holds a few kilobytes, so
/// anything larger is not one, and is refused rather than parsed.
pub(crate) const MAX_BYTES: usize = 1 << 20;

/// Why content could not be read or written. Positions and numbers only.
#[derive(Debug)]
pub(crate) enum FormatError {
    /// Larger than [`MAX_BYTES`].
    TooLarge,
    /// Not JSON of the expected shape, at this line and column (from 1).
    Malformed { line: usize, column: usize },
    /// Another format version.
    UnsupportedVersion { version: u64 },
    /// The entry could not be serialized (cannot happen with JSON text in practice).
    Encode(serde_json::Error),
    /// A problem of sealing (see [`EntryProblem`]).
    Sealing(EntryProblem),
}

/// Where content came from or goes to, for errors.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Place<'a> {
    /// A token file.
    #[cfg_attr(not(feature = "file"), allow(dead_code))]
    File(&'a Path),
    /// Another store, by name (a URL without its password).
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    Named(&'a str),
}

impl FormatError {
    /// The store error for content at `place`.
    pub(crate) fn at(self, place: Place<'_>) -> StoreError {
        match place {
            Place::File(path) => match self {
                FormatError::TooLarge => StoreError::TooLarge {
                    path: path.to_owned(),
                    limit: MAX_BYTES,
                },
                FormatError::Malformed { line, column } => StoreError::Malformed {
                    path: path.to_owned(),
                    line,
                    column,
                },
                FormatError::UnsupportedVersion { version } => StoreError::UnsupportedVersion {
                    path: path.to_owned(),
                    version,
                },
                FormatError::Encode(e) => StoreError::Write {
                    path: path.to_owned(),
                    source: std::io::Error::other(e),
                },
                FormatError::Sealing(problem) => StoreError::InvalidEntry {
                    store: path.display().to_string(),
                    problem,
                },
            },
            Place::Named(store) => {
                let problem = match self {
                    FormatError::TooLarge => EntryProblem::TooLarge { limit: MAX_BYTES },
                    FormatError::Malformed { line, column } => {
                        EntryProblem::Malformed { line, column }
                    }
                    FormatError::UnsupportedVersion { version } => {
                        EntryProblem::UnsupportedVersion { version }
                    }
                    FormatError::Encode(e) => {
                        return StoreError::Other {
                            source: Box::new(e),
                        };
                    }
                    FormatError::Sealing(problem) => problem,
                };
                StoreError::InvalidEntry {
                    store: store.to_owned(),
                    problem,
                }
            }
        }
    }
}

/// The content, as written.
#[derive(serde::Serialize)]
struct EntryOut<'a> {
    version: u64,
    access_token: &'a str,
    refresh_token: Option<&'a str>,
    expires_at: u64,
    identity: Option<IdentityOut<'a>>,
    generation: u64,
}

/// An identity, as written.
#[derive(serde::Serialize)]
struct IdentityOut<'a> {
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

/// The content, as read.
#[derive(serde::Deserialize)]
struct EntryIn {
    access_token: AccessToken,
    refresh_token: Option<RefreshToken>,
    expires_at: u64,
    #[serde(default)]
    identity: Option<IdentityIn>,
    #[serde(default)]
    generation: u64,
}

/// The version, read first so a future format is reported as such.
#[derive(serde::Deserialize)]
struct Header {
    version: u64,
}

/// The content for `entry` (pretty JSON; the tokens in clear).
pub(crate) fn encode(entry: &StoreEntry) -> Result<Vec<u8>, FormatError> {
    let (tokens, identity) = (&entry.tokens, entry.identity.as_ref());
    let content = EntryOut {
        generation: entry.generation,
        version: VERSION,
        access_token: tokens.access_token.expose_secret(),
        refresh_token: tokens.refresh_token.as_ref().map(|t| t.expose_secret()),
        expires_at: tokens
            .expires_at
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        identity: identity.map(|identity| IdentityOut {
            provider: identity.provider(),
            base_url: identity.base_url(),
            account: identity.account(),
            client_id: identity.client_id(),
        }),
    };
    let bytes = serde_json::to_vec_pretty(&content).map_err(FormatError::Encode)?;
    if bytes.len() > MAX_BYTES {
        return Err(FormatError::TooLarge);
    }
    Ok(bytes)
}

/// Only the field that tells a sealed entry.
#[derive(serde::Deserialize)]
pub(crate) struct SealedField {
    pub(crate) sealed: Option<String>,
}

/// The entry in `bytes`, in clear.
pub(crate) fn decode(bytes: &[u8]) -> Result<StoreEntry, FormatError> {
    check_version(bytes)?;
    let content: EntryIn = serde_json::from_slice(bytes).map_err(|e| {
        // A sealed entry read without a key: say so rather than where it stops parsing.
        match serde_json::from_slice::<SealedField>(bytes) {
            Ok(SealedField { sealed: Some(_) }) => {
                FormatError::Sealing(EntryProblem::SealedWithoutKey)
            }
            _ => malformed(e),
        }
    })?;
    Ok(StoreEntry {
        generation: content.generation,
        identity: content.identity.map(Identity::from),
        tokens: StoredTokens {
            access_token: content.access_token,
            refresh_token: content.refresh_token,
            expires_at: SystemTime::UNIX_EPOCH
                .checked_add(Duration::from_secs(content.expires_at))
                .unwrap_or(SystemTime::UNIX_EPOCH),
        },
    })
}

/// Checks the size and the format version of `bytes`.
pub(crate) fn check_version(bytes: &[u8]) -> Result<(), FormatError> {
    if bytes.len() > MAX_BYTES {
        return Err(FormatError::TooLarge);
    }
    let header: Header = serde_json::from_slice(bytes).map_err(malformed)?;
    if header.version != VERSION {
        return Err(FormatError::UnsupportedVersion {
            version: header.version,
        });
    }
    Ok(())
}

/// The position of a JSON error (its message may quote content, so it is dropped).
pub(crate) fn malformed(e: serde_json::Error) -> FormatError {
    FormatError::Malformed {
        line: e.line(),
        column: e.column(),
    }
}
