//! Log in to the real Pear Protocol API with a wallet key, then create nothing and log out.
//!
//! ```text
//! export PEAR_PRIVATE_KEY=0x…                         # the wallet's key (never an argument)
//! export PEAR_BASE_URL=https://hl-v2.pearprotocol.io  # optional; this is the default
//! cargo run --example pear_login
//! ```
//!
//! The EIP-712 message Pear sends is checked before it is signed. Tokens are printed
//! only as redacted previews.

use std::process::ExitCode;

use auth_examples::redact;
use auth_signing::ethereum::LocalEthSigner;
use env_secret::secret_from_env;
use pear_auth::PearClient;

/// Reads a secret from the environment; the variable's content is never printed.
mod env_secret {
    pub(crate) fn secret_from_env(name: &str) -> Result<String, String> {
        std::env::var(name).map_err(|_| format!("set {name} (see the top of this example)"))
    }
}

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
    let key = secret_from_env("PEAR_PRIVATE_KEY")?;
    let wallet = LocalEthSigner::from_hex(&key)?;
    let mut builder = PearClient::builder();
    if let Ok(url) = std::env::var("PEAR_BASE_URL") {
        builder = builder.base_url(url);
    }
    let pear = builder.build()?;
    println!("logging in to {} as {}", pear.base_url(), wallet.address());
    let tokens = pear.login_eip712(&wallet).await?;
    println!(
        "access token {} (expires in {}s), refresh token {}",
        redact(tokens.access_token.expose_secret()),
        tokens.expires_in.as_secs(),
        redact(tokens.refresh_token.expose_secret())
    );
    pear.logout(&tokens.refresh_token).await?;
    println!("logged out");
    Ok(())
}
