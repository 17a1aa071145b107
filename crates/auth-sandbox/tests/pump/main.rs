//! The pump.fun API of the sandbox: the three login formats, profile, logout, and
//! refusals.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

#[path = "../common/mod.rs"]
mod common;
mod headers;
mod login;
mod profile;
mod registration;

use std::time::{SystemTime, UNIX_EPOCH};

use auth_sandbox::PUMP_ORIGIN;
use auth_signing::solana::SolanaKeypair;
use base64::Engine as _;
use serde_json::json;

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

fn documented_login(kp: &SolanaKeypair, millis: u64) -> serde_json::Value {
    let message = format!("Sign in to pump.fun: {millis}");
    json!({
        "wallet": kp.pubkey().to_string(),
        "signature": kp.sign(message.as_bytes()).to_string(),
        "message": message,
    })
}

const ORIGIN: (&str, &str) = ("origin", PUMP_ORIGIN);

/// A body of the live formats, `{address, signature, timestamp}`.
fn live_login(kp: &SolanaKeypair, millis: u64) -> serde_json::Value {
    let message = format!("Sign in to pump.fun: {millis}");
    json!({
        "address": kp.pubkey().to_string(),
        "signature": kp.sign(message.as_bytes()).to_string(),
        "timestamp": millis,
    })
}

/// The claims of a JWT, read without checking it.
fn jwt_claims(token: &str) -> serde_json::Value {
    let payload = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}
