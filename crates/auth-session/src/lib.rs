#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod authenticator;
mod error;
mod jwt;
mod session;
mod store;
mod tokens;

pub use auth_types::{Clock, SystemClock};
pub use authenticator::{AuthError, Authenticator, FailureKind};
pub use error::SessionError;
pub use jwt::jwt_expiry;
pub use session::{Session, SessionBuilder};
pub use store::{FileStore, MemoryStore, StoreError, StoredTokens, TokenStore};
pub use tokens::Tokens;
