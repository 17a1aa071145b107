//! EIP-4361 messages: spruceid's vectors (the referee), signing with local signers, the
//! EIP-1271 path, and round-trip properties.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod properties;
mod signing;
mod vectors;
