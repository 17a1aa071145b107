//! The SIWS (Sign In With Solana) backend of the sandbox over real HTTP: cookie and token
//! modes, refusals, malformed input, its settings and counts.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

#[path = "../common/mod.rs"]
mod common;
#[path = "../siwx_common/mod.rs"]
mod siwx;

use std::time::Duration;

use auth_sandbox::{Sandbox, SandboxConfig, SiwsApi};
use auth_signing::solana::SolanaKeypair;
use auth_test_support::keys::solana_keypair;
use serde_json::json;

use crate::common::post;
use crate::siwx::{Wallet, authority, count, message, now_ms, signed, token_nonce};

/// A Solana wallet signing the message's UTF-8 bytes with ed25519.
struct Sol(SolanaKeypair);

impl Wallet for Sol {
    fn address(&self) -> String {
        self.0.pubkey().to_string()
    }
    fn chain(&self) -> &'static str {
        "Solana"
    }
    fn chain_id(&self) -> &'static str {
        "mainnet"
    }
    fn sign(&self, text: &str) -> String {
        self.0.sign(text.as_bytes()).to_string()
    }
}

async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig::default()).await.unwrap()
}

#[tokio::test]
async fn cookie_login_personal_information_and_logout() {
    let sb = sandbox().await;
    let wallet = Sol(solana_keypair(1));
    siwx::cookie_flow(&sb.siws_url(), &wallet, &wallet.address()).await;
    let counts = sb.api_counts(SiwsApi::NAME);
    assert_eq!(count(&counts, "cookie_logins"), 1);
    assert_eq!(count(&counts, "logins"), 1);
    assert_eq!(count(&counts, "nonces_issued"), 1);
    assert_eq!(count(&counts, "unauthorized"), 3);
}

#[tokio::test]
async fn token_login_me_rotating_refresh_and_logout() {
    let sb = sandbox().await;
    let wallet = Sol(solana_keypair(2));
    siwx::token_flow(&sb.siws_url(), &wallet, &wallet.address()).await;
    let counts = sb.api_counts(SiwsApi::NAME);
    assert_eq!(count(&counts, "refresh_reuses"), 1);
    assert_eq!(count(&counts, "authorized"), 2);
}

#[tokio::test]
async fn refusals_are_401_with_a_reason() {
    let sb = sandbox().await;
    let (wallet, stranger) = (Sol(solana_keypair(3)), Sol(solana_keypair(4)));
    siwx::refusals(&sb.siws_url(), &wallet, &stranger).await;
    assert_eq!(count(&sb.api_counts(SiwsApi::NAME), "refused"), 11);
}

#[tokio::test]
async fn malformed_input_is_422_and_garbage_never_500() {
    let sb = sandbox().await;
    siwx::malformed(&sb.siws_url(), &Sol(solana_keypair(5))).await;
}

#[tokio::test]
async fn a_hex_signature_is_422_and_says_base58_only() {
    let sb = sandbox().await;
    let base = sb.siws_url();
    let wallet = Sol(solana_keypair(6));
    let text = message(&wallet, authority(&base), &token_nonce(&base).await);
    let bytes = bs58::decode(wallet.sign(&text)).into_vec().unwrap();
    let url = format!("{base}/auth/login");
    for bad in [
        hex::encode(&bytes),
        format!("0x{}", hex::encode(&bytes)),
        "0OIl".to_owned(),
    ] {
        let reply = post(&url, &json!({"message": text, "signature": bad}), &[]).await;
        assert_eq!(reply.status, 422, "{}", reply.text);
        assert_eq!(
            reply.body["message"],
            "signature must be base58 of 64 bytes (hex is not accepted)"
        );
    }
    assert_eq!(post(&url, &signed(&wallet, &text), &[]).await.status, 200);
}

#[tokio::test]
async fn chain_ids_and_optional_fields() {
    let sb = sandbox().await;
    let base = sb.siws_url();
    let wallet = Sol(solana_keypair(7));
    let url = format!("{base}/auth/login");
    for (chain, status) in [("solana:mainnet", 200), ("mainnet", 200), ("devnet", 401)] {
        let text = message(&wallet, authority(&base), &token_nonce(&base).await)
            .replace("Chain ID: mainnet", &format!("Chain ID: {chain}"));
        let reply = post(&url, &signed(&wallet, &text), &[]).await;
        assert_eq!(reply.status, status, "{chain}: {}", reply.text);
    }
    // The shortest message: no statement, only a nonce.
    let text = format!(
        "{} wants you to sign in with your Solana account:\n{}\n\nNonce: {}",
        authority(&base),
        wallet.address(),
        token_nonce(&base).await
    );
    let reply = post(&url, &signed(&wallet, &text), &[]).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    // Without a nonce: 422.
    let text = format!(
        "{} wants you to sign in with your Solana account:\n{}\n\nIssued At: {}",
        authority(&base),
        wallet.address(),
        siwx::iso(now_ms())
    );
    let reply = post(&url, &signed(&wallet, &text), &[]).await;
    assert_eq!(reply.status, 422);
    assert_eq!(
        reply.body["message"],
        "Invalid message: the 'Nonce:' line is missing"
    );
}

#[tokio::test]
async fn an_expired_nonce_is_refused() {
    let sb = Sandbox::builder(SandboxConfig::default())
        .api(SiwsApi::default().nonce_ttl(Duration::from_millis(300)))
        .start()
        .await
        .unwrap();
    let base = sb.siws_url();
    let wallet = Sol(solana_keypair(8));
    let nonce = siwx::cookie_nonce(&base).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let text = message(&wallet, authority(&base), &nonce);
    let reply = post(&format!("{base}/verify"), &signed(&wallet, &text), &[]).await;
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.body["message"],
        "Nonce has expired; ask for a new one"
    );
}

#[tokio::test]
async fn a_siwe_token_is_refused_here() {
    let sb = sandbox().await;
    let wallet = Sol(solana_keypair(9));
    let login = siwx::token_login(&sb.siws_url(), &wallet).await;
    let access = login.body["accessToken"].as_str().unwrap();
    let auth = format!("Bearer {access}");
    let me = crate::common::get(
        &format!("{}/me", sb.siwe_url()),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(me.status, 401, "a SIWS token on the SIWE backend");
    let me = crate::common::get(
        &format!("{}/me", sb.siws_url()),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(me.status, 200);
}
