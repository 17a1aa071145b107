//! Shared test support: a scriptable HTTP server on 127.0.0.1 and the conformance suite
//! every backend must pass.

#![allow(dead_code, unreachable_pub)] // each test binary uses a different part; `pub` is for its siblings

pub mod conformance;
pub mod server;
