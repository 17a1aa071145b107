//! Sign in to the real pump.fun API with a Solana CLI keypair file, read the profile, log
//! out.
//!
//! ```text
//! cargo run --example pump_login -- ~/.config/solana/id.json   # the default path
//! export PUMP_BASE_URL=https://frontend-api-v3.pump.fun         # optional; the default
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use auth_examples::redact;
use auth_signing::solana::SolanaKeypair;
use pump_auth::PumpClient;

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
    let path = match std::env::args_os().nth(1) {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(std::env::var_os("HOME").ok_or("HOME is not set")?)
            .join(".config/solana/id.json"),
    };
    let file = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let keypair = SolanaKeypair::from_keypair_json(&file)?;
    let mut builder = PumpClient::builder();
    if let Ok(url) = std::env::var("PUMP_BASE_URL") {
        builder = builder.base_url(url);
    }
    let pump = builder.build()?;
    println!("signing in to {} as {}", pump.base_url(), keypair.pubkey());
    let login = pump.login(&keypair).await?;
    println!("token {}", redact(login.token.expose_secret()));
    let me = pump.profile(&login.token).await?;
    println!("profile: {me:?}");
    pump.logout(&login.token).await?;
    println!("logged out");
    Ok(())
}
