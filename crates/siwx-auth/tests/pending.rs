//! Signing in with a key that signs elsewhere (a browser or hardware wallet), in two
//! steps against the sandbox: `begin` fetches the nonce and writes the message,
//! `finish` checks the signature and logs in with the nonce's cookies.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use auth_sandbox::{Sandbox, SandboxConfig, SiweApi, SiwsApi};
use auth_signing::siwe::SiweMessage;
use auth_signing::siws::SiwsMessage;
use auth_test_support::keys::{eth_signer, solana_keypair};
use siwx_auth::{Failure as _, Preset, SiweClient, SiwsClient, SiwxFailure};

fn logins(sb: &Sandbox, api: &str) -> u64 {
    sb.api_counts(api)
        .into_iter()
        .find(|(name, _)| *name == "logins")
        .map(|(_, n)| n)
        .unwrap()
}

#[tokio::test]
async fn siwe_in_two_steps_against_a_cookie_backend() {
    // spruceid's quickstart shape: the nonce's answer may set a session cookie, which
    // `finish` sends back with the login.
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let client = SiweClient::builder(sb.siwe_url()).build().unwrap();
    let wallet = eth_signer(41);
    let pending = client.begin(wallet.address()).await.unwrap();
    // The wallet signs the exact text (personal_sign).
    let message = SiweMessage::parse(pending.message()).unwrap();
    assert_eq!(message.address(), wallet.address());
    let signature = message.sign(&wallet).await.unwrap();
    let login = pending.finish(&signature.to_string()).await.unwrap();
    assert!(!login.token.expose_secret().is_empty());
    assert_eq!(logins(&sb, SiweApi::NAME), 1);

    // Another account's signature is refused before anything is sent.
    let pending = client.begin(wallet.address()).await.unwrap();
    let text = pending.message().to_owned();
    let other = SiweMessage::parse(&text)
        .unwrap()
        .sign(&eth_signer(42))
        .await;
    // The library refuses to sign for another address: sign the hash by hand instead.
    assert!(other.is_err());
    let forged = eth_signer(42)
        .sign_hash(&SiweMessage::parse(&text).unwrap().signing_hash())
        .unwrap();
    let error = pending.finish(&forged.to_string()).await.unwrap_err();
    assert!(
        matches!(
            error.provider_failure(),
            Some(SiwxFailure::SignatureMismatch { .. })
        ),
        "{error:?}"
    );
    assert!(!error.may_have_reached_server());
    assert_eq!(logins(&sb, SiweApi::NAME), 1);
}

#[tokio::test]
async fn siws_in_two_steps_against_a_token_backend() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let client = SiwsClient::builder(sb.siws_url())
        .preset(Preset::TokenApi)
        .build()
        .unwrap();
    let wallet = solana_keypair(43);
    let pending = client.begin(wallet.pubkey()).await.unwrap();
    let message = SiwsMessage::parse(pending.message()).unwrap();
    let signature = message.sign(&wallet).await.unwrap();
    let login = pending.finish(&signature.to_base58()).await.unwrap();
    assert!(login.refresh_token.is_some());
    assert_eq!(logins(&sb, SiwsApi::NAME), 1);
}
