#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod entry;
mod error;
mod file;
mod format;
mod identity;
mod memory;
#[cfg(feature = "redis")]
mod redis;
mod seal;
#[cfg(feature = "sealing")]
mod sealing_key;
mod token_store;

pub use entry::{StoreEntry, StoredTokens};
pub use error::{EntryProblem, StoreError};
pub use file::FileStore;
pub use identity::Identity;
pub use memory::MemoryStore;
#[cfg(feature = "redis")]
pub use redis::RedisStore;
#[cfg(feature = "sealing")]
pub use sealing_key::{SealingKey, SealingKeyError};
pub use token_store::{Lease, TokenStore};
