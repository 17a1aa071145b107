//! Quickstart: both login flows end to end, against the embedded sandbox (no network).
//!
//! Run with `cargo run --example quickstart`.
//!
//! The sandbox (`auth-sandbox`) serves Pear Protocol's and pump.fun's auth APIs on
//! 127.0.0.1, verifying signatures and issuing real JWTs. Every step below is what a bot
//! does against the real services; only the base URLs differ.
//!
//! Pear Protocol: fetch the EIP-712 message, check it, sign it, log in, call a protected
//! endpoint, refresh (the refresh token rotates), call it again, log out, and see the old
//! token refused. pump.fun: sign the sign-in message, log in, read the profile, log out.
//!
//! Keys are throwaway keys made for this run. Secrets are printed only as short redacted
//! previews. The process exits 0 only if every step did what it should.

use std::hash::{BuildHasher, RandomState};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use auth_examples::{Steps, redact};
use auth_sandbox::{Sandbox, SandboxConfig};
use auth_signing::ethereum::LocalEthSigner;
use auth_signing::keccak256;
use auth_signing::solana::SolanaKeypair;
use auth_transport::{HttpTransport, ReqwestTransport};
use auth_types::{AccessToken, SecretBytes32};
use pear_auth::PearClient;
use pump_auth::PumpClient;

/// 32 unpredictable bytes for a throwaway key, from the standard library's per-process
/// random hasher keys. Good enough for a demo that never holds funds.
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

/// Calls the sandbox's protected Pear endpoint with a token; returns the status.
async fn whoami(base: &str, token: &AccessToken) -> Result<u16, String> {
    let mut request = http::Request::get(format!("{base}/sandbox/whoami"))
        .body(bytes::Bytes::new())
        .map_err(|e| e.to_string())?;
    pear_auth::authorize(&mut request, token).map_err(|e| e.to_string())?;
    let transport = ReqwestTransport::new().map_err(|e| e.to_string())?;
    let response = transport.send(request).await.map_err(|e| e.to_string())?;
    Ok(response.status().as_u16())
}

fn expect_status(got: Result<u16, String>, want: u16) -> Result<u16, String> {
    match got {
        Ok(s) if s == want => Ok(s),
        Ok(s) => Err(format!("expected HTTP {want}, got {s}")),
        Err(e) => Err(e),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut steps = Steps::new();
    let Some(sandbox) = steps.step(
        "start the sandbox",
        Sandbox::start(SandboxConfig::default()).await,
        |s| format!("Pear at {}, pump.fun at {}", s.pear_url(), s.pump_url()),
    ) else {
        return steps.finish();
    };

    // ---- Pear Protocol: EIP-712 over secp256k1 ----
    let Some(wallet) = steps.step(
        "make a throwaway Ethereum key",
        LocalEthSigner::from_secret(throwaway_secret("eth")),
        |w| format!("address {}", w.address()),
    ) else {
        return steps.finish();
    };
    let Some(pear) = steps.step(
        "make a Pear client",
        PearClient::builder().base_url(sandbox.pear_url()).build(),
        |c| format!("client id {}", c.client_id()),
    ) else {
        return steps.finish();
    };
    let Some(message) = steps.step(
        "fetch and check the login message",
        pear.eip712_message(&wallet.address()).await,
        |m| {
            format!(
                "{} for {}, timestamp {}",
                m.typed_data().primary_type(),
                m.typed_data()
                    .message_field("address")
                    .and_then(|v| v.as_address())
                    .map_or_else(|| "?".to_owned(), |a| a.to_string()),
                m.timestamp()
            )
        },
    ) else {
        return steps.finish();
    };
    let Some(signature) = steps.step(
        "sign it",
        wallet.sign_typed_data(message.typed_data()),
        |s| format!("{}…", &s.to_string()[..18]),
    ) else {
        return steps.finish();
    };
    let login = pear
        .login_eip712_signed(&wallet.address(), &message, &signature)
        .await;
    let Some(tokens) = steps.step("log in", login, |t| {
        format!(
            "access {}, refresh {}, expires in {}s",
            redact(t.access_token.expose_secret()),
            redact(t.refresh_token.expose_secret()),
            t.expires_in.as_secs()
        )
    }) else {
        return steps.finish();
    };
    let pear_url = sandbox.pear_url();
    steps.step(
        "call the protected endpoint",
        expect_status(whoami(&pear_url, &tokens.access_token).await, 200),
        |s| format!("HTTP {s}"),
    );
    let Some(rotated) = steps.step("refresh", pear.refresh(&tokens.refresh_token).await, |t| {
        format!("new access {}", redact(t.access_token.expose_secret()))
    }) else {
        return steps.finish();
    };
    steps.step(
        "the old refresh token is spent",
        match pear.refresh(&tokens.refresh_token).await {
            Err(e) => Ok(e.to_string()),
            Ok(_) => Err("a refresh token worked twice"),
        },
        |e| format!("refused: {e}"),
    );
    steps.step(
        "call it again with the new token",
        expect_status(whoami(&pear_url, &rotated.access_token).await, 200),
        |s| format!("HTTP {s}"),
    );
    steps.step("log out", pear.logout(&rotated.refresh_token).await, |()| {
        "session ended".to_owned()
    });
    steps.step(
        "the old access token is refused",
        expect_status(whoami(&pear_url, &rotated.access_token).await, 401),
        |s| format!("HTTP {s}"),
    );

    // ---- pump.fun: ed25519 over the sign-in text ----
    let keypair = SolanaKeypair::from_seed(&throwaway_secret("sol"));
    println!("        Solana wallet {}", keypair.pubkey());
    let Some(pump) = steps.step(
        "make a pump.fun client",
        PumpClient::builder().base_url(sandbox.pump_url()).build(),
        |_| "Origin: https://pump.fun".to_owned(),
    ) else {
        return steps.finish();
    };
    let Some(login) = steps.step("sign in", pump.login(&keypair).await, |l| {
        format!(
            "token {}, expires in {}s",
            redact(l.token.expose_secret()),
            l.expires_in.map_or(0, |d| d.as_secs())
        )
    }) else {
        return steps.finish();
    };
    steps.step("read the profile", pump.profile(&login.token).await, |u| {
        format!("wallet {}", u.wallet)
    });
    steps.step("log out", pump.logout(&login.token).await, |()| {
        "token revoked".to_owned()
    });
    steps.step(
        "the token is refused afterwards",
        match pump.profile(&login.token).await {
            Err(e) if e.status().map(|s| s.as_u16()) == Some(401) => Ok(e.to_string()),
            Err(e) => Err(e.to_string()),
            Ok(_) => Err("a logged-out token still works".to_owned()),
        },
        |e| e.clone(),
    );

    let counters = sandbox.counters();
    println!(
        "        sandbox saw {} Pear login(s), {} refresh(es), {} refused reuse(s), {} pump.fun login(s)",
        counters.pear_logins,
        counters.pear_refreshes,
        counters.refused_reuses,
        counters.pump_logins
    );
    sandbox.shutdown().await;
    steps.finish()
}
