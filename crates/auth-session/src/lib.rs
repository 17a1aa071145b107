#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod authenticator;
mod jwt;
mod rt;
mod session;
mod tokens;

pub use auth_types::{Clock, SystemClock};
pub use authenticator::{AuthError, Authenticator, FailureKind};
pub use jwt::jwt_expiry;
pub use session::{
    NewToken, Refusal, Session, SessionBuilder, SessionError, SessionStats, TokenSource,
};
// The stores live in `auth-store`; named here too, so a session's users need one crate.
#[cfg(feature = "file")]
pub use auth_store::FileStore;
pub use auth_store::{
    EntryProblem, Identity, Lease, MemoryStore, StoreEntry, StoreError, StoredTokens, TokenStore,
};
#[cfg(feature = "redis")]
pub use auth_store::{RedisRateLimiter, RedisStore};
#[cfg(feature = "sealing")]
pub use auth_store::{SealingKey, SealingKeyError};
pub use tokens::Tokens;
