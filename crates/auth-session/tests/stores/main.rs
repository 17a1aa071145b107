//! Sessions on token stores: resuming from one, sessions sharing one (memory, files,
//! Redis), sealed stores, and stores that misbehave. The Redis cases (feature `redis`)
//! start a real `redis-server`. The stores on their own are tested in `auth-store`.
#![allow(clippy::unwrap_used)]

#[path = "../support/mod.rs"]
mod support;

#[cfg(feature = "redis")]
mod failures;
mod fleet;
#[cfg(feature = "redis")]
mod redis;
mod resume;
#[cfg(all(feature = "sealing", feature = "redis"))]
mod sealed;
