//! The stores on their own, without a session: the file store, fenced writes under a
//! lease, sealing (feature `sealing`) and Redis (feature `redis`, against a real
//! `redis-server`). Sessions on these stores are tested in `auth-session`.
#![allow(clippy::unwrap_used)]

mod fenced;
#[cfg(feature = "file")]
mod file;
#[cfg(feature = "redis")]
mod redis;
#[cfg(feature = "redis")]
mod redis_rate;
#[cfg(all(feature = "sealing", feature = "file"))]
mod sealed;
