//! The Pear API of the sandbox, endpoint by endpoint, including every refusal.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod api_keys;
mod clock;
#[path = "../common/mod.rs"]
mod common;
mod faults;
mod login;
mod message;
mod tokens;

use auth_sandbox::{Sandbox, SandboxConfig};

async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig::default()).await.unwrap()
}
