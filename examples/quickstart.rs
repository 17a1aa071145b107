//! Quickstart: what a Pear Protocol login signs, end to end, with no network.
//!
//! Run with `cargo run --example quickstart`.
//!
//! 1. Build the `Authentication` typed data exactly as Pear's `GET /auth/eip712-message`
//!    returns it (no `EIP712Domain` in `types`, a top-level `timestamp`).
//! 2. Check it is a login message for our address before signing anything.
//! 3. Sign it with a throwaway key made for this run, and recover the signer.
//! 4. Sign the pump.fun sign-in text with a throwaway Solana key and verify it.
//!
//! The full login flows against the embedded sandbox server arrive with the provider
//! crates; this walkthrough shows the signing layer they stand on.

use std::hash::{BuildHasher, RandomState};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use auth_examples::{Steps, redact};
use auth_signing::eip712::TypedData;
use auth_signing::ethereum::{LocalEthSigner, recover_address};
use auth_signing::keccak256;
use auth_signing::solana::{SolanaKeypair, verify};
use auth_types::SecretBytes32;

/// 32 unpredictable bytes for a throwaway key, from the standard library's per-process
/// random hasher keys. Good enough for a demo that never holds funds; use a real wallet or
/// a CSPRNG for anything else.
fn throwaway_secret(label: &str) -> SecretBytes32 {
    let state = RandomState::new();
    let mut material = Vec::new();
    for i in 0..4u64 {
        material.extend_from_slice(&state.hash_one((label, i)).to_le_bytes());
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    material.extend_from_slice(&now.to_le_bytes());
    SecretBytes32::new(keccak256(&material))
}

fn main() -> ExitCode {
    let mut steps = Steps::new();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);

    // Pear Protocol: EIP-712 over secp256k1.
    let Some(signer) = steps.step(
        "make a throwaway Ethereum key",
        LocalEthSigner::from_secret(throwaway_secret("eth")),
        |s| format!("address {}", s.address()),
    ) else {
        return steps.finish();
    };
    let address = signer.address();

    let server_reply = serde_json::json!({
        "domain": {
            "name": "Pear Protocol",
            "version": "1",
            "chainId": 42161,
            "verifyingContract": "0x0000000000000000000000000000000000000001"
        },
        "types": {
            "Authentication": [
                {"name": "address", "type": "address"},
                {"name": "clientId", "type": "string"},
                {"name": "timestamp", "type": "uint256"},
                {"name": "action", "type": "string"}
            ]
        },
        "primaryType": "Authentication",
        "message": {
            "address": address.to_lowercase_hex(),
            "clientId": "APITRADER",
            "timestamp": now,
            "action": "authenticate"
        },
        "timestamp": now
    });
    let Some(typed) = steps.step(
        "parse the Authentication typed data",
        TypedData::from_json_value(server_reply),
        |t| {
            format!(
                "primary type {}, {} fields",
                t.primary_type(),
                t.message().as_object().map_or(0, |m| m.len())
            )
        },
    ) else {
        return steps.finish();
    };

    steps.step(
        "check it is a login for our address",
        check_login(&typed, &address, now),
        |s| (*s).to_owned(),
    );

    let hashes = typed.hashes();
    println!(
        "        signing hash 0x{}",
        hex::encode(hashes.signing_hash)
    );

    let Some(signature) = steps.step("sign it", signer.sign_typed_data(&typed), |s| s.to_string())
    else {
        return steps.finish();
    };

    let recovered = recover_address(&hashes.signing_hash, &signature)
        .map_err(|e| e.to_string())
        .and_then(|a| {
            if a == address {
                Ok(a)
            } else {
                Err(format!("recovered {a}, expected {address}"))
            }
        });
    steps.step("recover the signer from the signature", recovered, |a| {
        format!("{a} (matches)")
    });

    // pump.fun: ed25519 over the UTF-8 sign-in text.
    let keypair = SolanaKeypair::from_seed(&throwaway_secret("sol"));
    let message = format!("Sign in to pump.fun: {}", now * 1000);
    let signature = keypair.sign(message.as_bytes());
    println!(
        "        wallet {}, message {message:?}, signature {}",
        keypair.pubkey(),
        redact(&signature.to_base58())
    );
    steps.step(
        "verify the pump.fun sign-in signature",
        verify(&keypair.pubkey(), message.as_bytes(), &signature),
        |()| "valid".to_owned(),
    );
    let forged = match verify(&keypair.pubkey(), b"Sign in to pump.fun: 0", &signature) {
        Err(_) => Ok("refused"),
        Ok(()) => Err("a signature verified for a message it was not made for"),
    };
    steps.step("the same signature on another message", forged, |s| {
        (*s).to_owned()
    });

    steps.finish()
}

/// What a client must check before signing a login message from a server: a hostile
/// server could send a token approval instead.
fn check_login(
    typed: &TypedData,
    address: &auth_types::EvmAddress,
    now: u64,
) -> Result<&'static str, String> {
    if typed.primary_type() != "Authentication" {
        return Err(format!("primary type is {}", typed.primary_type()));
    }
    if typed.domain().name.as_deref() != Some("Pear Protocol") {
        return Err("domain is not Pear Protocol".to_owned());
    }
    let message = typed.message();
    if message["action"] != "authenticate" {
        return Err("action is not authenticate".to_owned());
    }
    let claimed: auth_types::EvmAddress = message["address"]
        .as_str()
        .unwrap_or_default()
        .parse()
        .map_err(|e| format!("address: {e}"))?;
    if &claimed != address {
        return Err(format!("message is for {claimed}, not {address}"));
    }
    let ts = message["timestamp"].as_u64().unwrap_or(0);
    if ts.abs_diff(now) > 300 {
        return Err(format!("timestamp {ts} is not within 5 minutes of now"));
    }
    Ok("primary type, domain, action, address and timestamp are as expected")
}
