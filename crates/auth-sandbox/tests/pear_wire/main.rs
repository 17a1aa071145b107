//! The Pear API of the sandbox against `spec/WIRE.md`: what the live service does beyond
//! or unlike the specification text, one test (or more) per row the sandbox serves.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod api_keys;
#[path = "../common/mod.rs"]
mod common;
mod headers;
mod login;
mod message;
mod refresh;

use auth_sandbox::{Sandbox, SandboxConfig};

async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig::default()).await.unwrap()
}
