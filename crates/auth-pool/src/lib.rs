#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod authenticator;
mod builder;
mod egress;
mod error;
mod pool;
mod shared;
mod stats;
mod store;
mod sweep;

pub use authenticator::{PooledAuthenticator, PooledSession};
pub use builder::{
    DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_IN_FLIGHT, DEFAULT_REFRESH_JITTER, DEFAULT_SWEEP_CONCURRENCY,
    PoolBuilder, REFRESH_BUFFER,
};
pub use egress::DEFAULT_EGRESS;
pub use error::{FactoryError, PoolError};
pub use pool::SessionPool;
pub use stats::PoolStats;
pub use store::{StoreFactory, store_name};
