#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod entry;
mod error;
#[cfg(feature = "file")]
mod file;
// The entry as bytes, in clear or sealed: for the stores that keep bytes.
#[cfg(any(feature = "file", feature = "redis"))]
mod format;
mod identity;
mod memory;
#[cfg(feature = "redis")]
mod redis;
#[cfg(any(feature = "file", feature = "redis"))]
mod seal;
#[cfg(feature = "sealing")]
mod sealing_key;
mod token_store;

pub use entry::{StoreEntry, StoredTokens};
pub use error::{EntryProblem, StoreError};
#[cfg(feature = "file")]
pub use file::FileStore;
pub use identity::Identity;
pub use memory::MemoryStore;
#[cfg(feature = "redis")]
pub use redis::{RedisRateLimiter, RedisStore};
#[cfg(feature = "sealing")]
pub use sealing_key::{SealingKey, SealingKeyError};
pub use token_store::{Lease, TokenStore};
