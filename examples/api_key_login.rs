//! A bot that signs with its wallet once, creates an API key, and logs in with the key
//! from then on (the wallet can go back in the vault). Runs against the embedded sandbox.
//!
//! ```text
//! cargo run --example api_key_login
//! ```

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_signing::ethereum::LocalEthSigner;
use pear_auth::{PearAuthenticator, PearClient, PearSession};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start(SandboxConfig::default()).await?;
    let client = PearClient::builder().base_url(sandbox.pear_url()).build()?;

    // Once, interactively: the wallet signs.
    let wallet = LocalEthSigner::from_hex(&"77".repeat(32))?;
    let tokens = client.login_eip712(&wallet).await?;
    let key = client
        .create_api_key(&tokens.access_token, Some("trading bot"))
        .await?;
    client.logout(&tokens.refresh_token).await?;
    println!(
        "created an API key for {} (store it as a secret)",
        wallet.address()
    );

    // From then on: the key alone.
    let session = PearSession::new(PearAuthenticator::api_key(
        client.clone(),
        wallet.address(),
        key.api_key,
    ));
    let _token = session.access_token().await?;
    let keys = client.list_api_keys(&session.access_token().await?).await?;
    println!(
        "logged in with the key; the account has {} key(s)",
        keys.len()
    );
    session.logout().await?;
    sandbox.shutdown().await;
    Ok(())
}
