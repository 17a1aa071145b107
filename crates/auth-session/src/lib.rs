#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod authenticator;
mod clock;
mod error;
mod jwt;
mod session;
mod store;
mod tokens;

pub use authenticator::{AuthError, Authenticator, FailureKind};
pub use clock::{SystemClock, WallClock};
pub use error::SessionError;
pub use session::{Session, SessionBuilder};
pub use store::{FileStore, MemoryStore, StoreError, StoredTokens, TokenStore};
pub use tokens::Tokens;
