//! Sign In With Solana: agreement with `@solana/wallet-standard-util` on a corpus of its
//! answers (`tests/data/siws/`), checked messages, ed25519 signing, fixed points.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod corpus;
mod messages;
mod properties;
