#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod authenticator;
mod error;
mod identity;
mod jwt;
mod rt;
mod session;
mod store;
mod tokens;

pub use auth_types::{Clock, SystemClock};
pub use authenticator::{AuthError, Authenticator, FailureKind};
pub use error::SessionError;
pub use identity::Identity;
pub use jwt::jwt_expiry;
pub use session::{NewToken, Session, SessionBuilder, SessionStats, TokenSource};
#[cfg(feature = "redis")]
pub use store::RedisStore;
pub use store::{
    EntryProblem, FileStore, Lease, MemoryStore, StoreEntry, StoreError, StoredTokens, TokenStore,
};
#[cfg(feature = "sealing")]
pub use store::{SealingKey, SealingKeyError};
pub use tokens::Tokens;
