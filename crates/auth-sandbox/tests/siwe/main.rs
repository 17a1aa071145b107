//! The SIWE (EIP-4361) backend of the sandbox over real HTTP: cookie and token modes,
//! refusals, malformed input, its settings and counts.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

#[path = "../common/mod.rs"]
mod common;
#[path = "../siwx_common/mod.rs"]
mod siwx;

use std::time::Duration;

use auth_sandbox::{Sandbox, SandboxConfig, SiweApi};
use auth_signing::ethereum::LocalEthSigner;
use auth_test_support::keys::eth_signer;
use serde_json::json;

use crate::common::post;
use crate::siwx::{Wallet, authority, count, message, signed, token_nonce};

/// An Ethereum wallet signing with `personal_sign`.
struct Eth(LocalEthSigner);

impl Wallet for Eth {
    fn address(&self) -> String {
        self.0.address().to_checksum()
    }
    fn chain(&self) -> &'static str {
        "Ethereum"
    }
    fn chain_id(&self) -> &'static str {
        "1"
    }
    fn sign(&self, text: &str) -> String {
        self.0
            .sign_personal_message(text.as_bytes())
            .unwrap()
            .to_string()
    }
}

async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig::default()).await.unwrap()
}

#[tokio::test]
async fn cookie_login_personal_information_and_logout() {
    let sb = sandbox().await;
    let wallet = Eth(eth_signer(1));
    siwx::cookie_flow(&sb.siwe_url(), &wallet, &wallet.address()).await;
    let counts = sb.api_counts(SiweApi::NAME);
    assert_eq!(count(&counts, "cookie_logins"), 1);
    assert_eq!(count(&counts, "logouts"), 1);
    assert_eq!(count(&counts, "authorized"), 1);
}

#[tokio::test]
async fn token_login_me_rotating_refresh_and_logout() {
    let sb = sandbox().await;
    let wallet = Eth(eth_signer(2));
    siwx::token_flow(&sb.siwe_url(), &wallet, &wallet.address()).await;
    let counts = sb.api_counts(SiweApi::NAME);
    assert_eq!(count(&counts, "token_logins"), 1);
    assert_eq!(count(&counts, "refreshes"), 1);
    assert_eq!(count(&counts, "refresh_reuses"), 1);
    assert_eq!(count(&counts, "logouts"), 1);
}

#[tokio::test]
async fn a_lowercase_address_logs_in_and_is_answered_checksummed() {
    struct Lower(Eth);
    impl Wallet for Lower {
        fn address(&self) -> String {
            self.0.address().to_lowercase()
        }
        fn chain(&self) -> &'static str {
            "Ethereum"
        }
        fn chain_id(&self) -> &'static str {
            "1"
        }
        fn sign(&self, text: &str) -> String {
            self.0.sign(text)
        }
    }
    let sb = sandbox().await;
    let wallet = Lower(Eth(eth_signer(3)));
    let canonical = wallet.0.address();
    siwx::token_flow(&sb.siwe_url(), &wallet, &canonical).await;
}

#[tokio::test]
async fn refusals_are_401_with_a_reason() {
    let sb = sandbox().await;
    siwx::refusals(&sb.siwe_url(), &Eth(eth_signer(4)), &Eth(eth_signer(5))).await;
    let counts = sb.api_counts(SiweApi::NAME);
    assert_eq!(count(&counts, "refused"), 11);
    assert_eq!(count(&counts, "refused_signature"), 2);
    assert_eq!(count(&counts, "refused_nonce"), 4);
    assert_eq!(count(&counts, "refused_message"), 5);
}

#[tokio::test]
async fn malformed_input_is_422_and_garbage_never_500() {
    let sb = sandbox().await;
    siwx::malformed(&sb.siwe_url(), &Eth(eth_signer(6))).await;
}

#[tokio::test]
async fn a_signature_in_another_encoding_is_422_and_a_bad_v_401() {
    let sb = sandbox().await;
    let base = sb.siwe_url();
    let wallet = Eth(eth_signer(7));
    let text = message(&wallet, authority(&base), &token_nonce(&base).await);
    let signature = wallet.sign(&text);
    let url = format!("{base}/auth/login");
    for bad in [&signature[2..], &signature[..130], "0x"] {
        let reply = post(&url, &json!({"message": text, "signature": bad}), &[]).await;
        assert_eq!(reply.status, 422, "{}", reply.text);
        assert!(
            reply.body["message"]
                .as_str()
                .unwrap()
                .contains("0x followed by 130 hex")
        );
    }
    let bad_v = format!("{}1d", &signature[..130]);
    let reply = post(&url, &json!({"message": text, "signature": bad_v}), &[]).await;
    assert_eq!(reply.status, 401);
    // v as 0/1 is accepted as well as 27/28.
    let v = u8::from_str_radix(&signature[130..], 16).unwrap() - 27;
    let low_v = format!("{}{v:02x}", &signature[..130]);
    let reply = post(&url, &json!({"message": text, "signature": low_v}), &[]).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[tokio::test]
async fn domain_and_chain_id_are_configurable_and_a_nonce_expires() {
    let sb = Sandbox::builder(SandboxConfig::default())
        .api(
            SiweApi::default()
                .domain("example.com")
                .chain_id(5)
                .nonce_ttl(Duration::from_millis(400)),
        )
        .start()
        .await
        .unwrap();
    let base = sb.siwe_url();
    assert_eq!(sb.siws_url(), "");
    let wallet = Eth(eth_signer(8));
    let url = format!("{base}/auth/login");
    // The default chain (1) is now refused, and so is the listen authority as domain.
    let text = message(&wallet, "example.com", &token_nonce(&base).await);
    let reply = post(&url, &signed(&wallet, &text), &[]).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.body["message"], "Chain ID must be 5");
    let nonce = token_nonce(&base).await;
    let text = message(&wallet, authority(&base), &nonce).replace("Chain ID: 1", "Chain ID: 5");
    let reply = post(&url, &signed(&wallet, &text), &[]).await;
    assert_eq!(reply.status, 401);
    let text = message(&wallet, "example.com", &nonce).replace("Chain ID: 1", "Chain ID: 5");
    let reply = post(&url, &signed(&wallet, &text), &[]).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    // An expired nonce, with a message issued just now.
    let nonce = token_nonce(&base).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let text = message(&wallet, "example.com", &nonce).replace("Chain ID: 1", "Chain ID: 5");
    let reply = post(&url, &signed(&wallet, &text), &[]).await;
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.body["message"],
        "Nonce has expired; ask for a new one"
    );
}

#[tokio::test]
async fn revoke_ends_a_cookie_or_token_session() {
    let sb = sandbox().await;
    let base = sb.siwe_url();
    let wallet = Eth(eth_signer(9));
    let login = siwx::token_login(&base, &wallet).await;
    let access = login.body["accessToken"].as_str().unwrap();
    let refresh = login.body["refreshToken"].clone();
    assert!(sb.revoke(access));
    let reply = post(
        &format!("{base}/auth/refresh"),
        &json!({"refreshToken": refresh}),
        &[],
    )
    .await;
    assert_eq!(reply.status, 401, "the refresh token died with its session");
    assert!(!sb.revoke(access));
}

#[tokio::test]
async fn a_cookie_session_ends_with_the_message() {
    let sb = sandbox().await;
    let base = sb.siwe_url();
    let wallet = Eth(eth_signer(10));
    let nonce = siwx::cookie_nonce(&base).await;
    let tail = format!("\nExpiration Time: {}", siwx::iso(siwx::now_ms() + 20_000));
    let text = siwx::message_at(&wallet, authority(&base), &nonce, siwx::now_ms(), &tail);
    let login = post(&format!("{base}/verify"), &signed(&wallet, &text), &[]).await;
    assert_eq!(login.status, 200, "{}", login.text);
    let cookie = login.headers["set-cookie"].to_str().unwrap();
    let max_age: u64 = cookie.rsplit("Max-Age=").next().unwrap().parse().unwrap();
    assert!((19..=20).contains(&max_age), "{cookie}");
}
