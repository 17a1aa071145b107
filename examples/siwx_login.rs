//! Sign in to a Sign-In with Ethereum backend and a Sign In With Solana backend (the
//! embedded sandbox's, or yours), keep a session alive through the tower layer, log out.
//!
//! ```text
//! cargo run --example siwx_login                              # against the embedded sandbox
//! SIWE_BASE_URL=https://app.example.com cargo run --example siwx_login   # your SIWE backend
//! ```
//!
//! With your own backend, the key comes from `SIWE_PRIVATE_KEY` (hex) and the backend is
//! assumed to have spruceid's quickstart shape (`GET /nonce`, `POST /verify`, a
//! `connect.sid` cookie).

use std::process::ExitCode;
use std::sync::Arc;

use auth_examples::redact;
use auth_sandbox::{Sandbox, SandboxConfig};
use auth_signing::ethereum::LocalEthSigner;
use auth_signing::solana::SolanaKeypair;
use siwx_auth::{Preset, SiweClient, SiweSession, SiwsClient, SiwxAuthenticator};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let (_sandbox, siwe_url, siws_url, wallet) = match std::env::var("SIWE_BASE_URL") {
        Ok(url) => {
            let key = std::env::var("SIWE_PRIVATE_KEY").map_err(|_| "set SIWE_PRIVATE_KEY")?;
            (None, url, None, LocalEthSigner::from_hex(&key)?)
        }
        Err(_) => {
            let sandbox = Sandbox::start(SandboxConfig::default()).await?;
            let (siwe, siws) = (sandbox.siwe_url(), sandbox.siws_url());
            let wallet = LocalEthSigner::from_hex(&"42".repeat(32))?;
            (Some(sandbox), siwe, Some(siws), wallet)
        }
    };

    // SIWE, cookie mode: one login by hand, its message shown.
    let client = SiweClient::builder(&siwe_url)
        .statement("Sign in with Ethereum to the example")
        .build()?;
    let nonce = client.nonce().await?;
    println!(
        "--- the message {} signs ---\n{}\n---",
        wallet.address(),
        client.message(wallet.address(), &nonce)?
    );
    let login = client.login(&wallet).await?;
    println!(
        "SIWE session cookie {}",
        redact(login.token.expose_secret())
    );

    // A session keeps one alive (renewed on a 401 or after its lifetime).
    let session = SiweSession::new(SiwxAuthenticator::new(client, Arc::new(wallet)));
    let cookie = session.access_token().await?;
    println!("session cookie {}", redact(cookie.expose_secret()));
    session.logout().await?;

    // SIWS, token mode, with rotating refresh.
    if let Some(siws_url) = siws_url {
        let keypair = SolanaKeypair::from_seed_bytes([7; 32]);
        let client = SiwsClient::builder(siws_url)
            .preset(Preset::TokenApi)
            .build()?;
        let login = client.login(&keypair).await?;
        println!(
            "SIWS access token {} for {}",
            redact(login.token.expose_secret()),
            keypair.pubkey()
        );
        let refresh = login
            .refresh_token
            .ok_or("the token API sends a refresh token")?;
        let fresh = client.refresh(&refresh).await?;
        client
            .logout(&fresh.token, fresh.refresh_token.as_ref())
            .await?;
        println!("refreshed and logged out");
    }
    Ok(())
}
