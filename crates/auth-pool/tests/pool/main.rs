//! The pool against the sandbox's pump.fun API: many wallets, the bound on logins in
//! flight, idle eviction, stores shared by two pools.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod bound;
mod budget;
mod eviction;
#[cfg(feature = "redis")]
mod redis;
mod shared_store;
mod support;
