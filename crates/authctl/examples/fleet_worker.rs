//! One process of a fleet behind one wallet, for the fleet tests and benchmark
//! (`crates/authctl/tests/fleet.rs`): a Pear session over a shared token store that hands
//! out a token every 50 ms for a while and checks each one against the server at once.
//!
//! Settings come from the environment (the key never from an argument):
//! `FLEET_PEAR_URL` (a sandbox's Pear URL), `FLEET_STORE` (a token file path or a
//! `redis://` URL),
//! `FLEET_SECONDS` (how long), `FLEET_KEY` (the wallet's private key, hex). It prints
//! one JSON line: `{"tokens", "invalid", "errors", "logins", "refreshes", "adopted"}`,
//! where `invalid` counts tokens the server refused at the moment they were handed out.
//!
//! ```sh
//! cargo run -p authctl --example fleet_worker   # with the variables above set
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use auth_session::{FileStore, RedisStore, TokenStore};
use auth_signing::ethereum::LocalEthSigner;
use auth_transport::{HttpTransport as _, ReqwestTransport};
use pear_auth::{PearAuthenticator, PearClient, PearSession};

fn setting(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set"))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = setting("FLEET_PEAR_URL")?;
    let store = setting("FLEET_STORE")?;
    let seconds: u64 = setting("FLEET_SECONDS")?.parse()?;
    let key = LocalEthSigner::from_hex(&setting("FLEET_KEY")?)?;
    let client = PearClient::builder().base_url(&url).build()?;
    let store: Arc<dyn TokenStore> = if store.starts_with("redis://") {
        Arc::new(RedisStore::new(&store, "fleet:pear")?)
    } else {
        Arc::new(FileStore::new(store))
    };
    let session = PearSession::builder(PearAuthenticator::wallet(client, Arc::new(key)))
        .token_store(store)
        .build();
    let http = Arc::new(ReqwestTransport::new()?);
    // Each token is checked on a task of its own, so a slow server never stops this loop
    // from asking for tokens (and so from renewing them).
    let mut checks = tokio::task::JoinSet::new();
    let (mut tokens, mut errors) = (0u64, 0u64);
    let until = Instant::now() + Duration::from_secs(seconds);
    while Instant::now() < until {
        match session.access_token().await {
            Ok(token) => {
                tokens += 1;
                let request = http::Request::get(format!("{url}/sandbox/whoami"))
                    .header("authorization", format!("Bearer {}", token.expose_secret()))
                    .body(bytes::Bytes::new())?;
                let http = Arc::clone(&http);
                checks.spawn(async move { http.send(request).await.map(|a| a.status()) });
            }
            Err(error) => {
                eprintln!("fleet_worker: no token: {error}");
                errors += 1;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut invalid = 0u64;
    while let Some(check) = checks.join_next().await {
        match check {
            Ok(Ok(status)) if status == 200 => {}
            Ok(Ok(_)) => invalid += 1,
            _ => errors += 1,
        }
    }
    session.wait_for_renewal().await;
    let stats = session.stats();
    println!(
        "{}",
        serde_json::json!({
            "tokens": tokens,
            "invalid": invalid,
            "errors": errors,
            "logins": stats.logins,
            "refreshes": stats.refreshes,
            "adopted": stats.adopted,
        })
    );
    Ok(())
}
