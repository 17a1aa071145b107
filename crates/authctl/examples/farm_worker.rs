//! One process of a fleet serving a farm of Pear wallets through one session pool on a
//! shared Redis, for the farm test (`crates/authctl/tests/fleet/farm.rs`): it hands out a
//! token of each wallet in turn, one every 40 ms, for a while, and checks each against the
//! server at once.
//!
//! Settings come from the environment: `FARM_PEAR_URL` (a sandbox's Pear URL),
//! `FARM_REDIS` (a `redis://` URL), `FARM_WALLETS` (how many wallets: wallet `n` has the
//! test key whose 32 bytes are all `n`, from 1), `FARM_SECONDS` (how long). It prints one
//! JSON line: `{"tokens", "invalid", "errors", "logins", "refreshes", "sessions"}`, where
//! `invalid` counts tokens the server refused at the moment they were handed out.
//!
//! ```sh
//! cargo run -p authctl --example farm_worker   # with the variables above set
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use auth_pool::{SessionPool, StoreFactory};
use auth_signing::ethereum::LocalEthSigner;
use auth_transport::{HttpTransport as _, ReqwestTransport};
use pear_auth::{PearAuthenticator, PearClient};

fn setting(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set"))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = setting("FARM_PEAR_URL")?;
    let redis = setting("FARM_REDIS")?;
    let wallets: u8 = setting("FARM_WALLETS")?.parse()?;
    let seconds: u64 = setting("FARM_SECONDS")?.parse()?;
    let client = PearClient::builder().base_url(&url).build()?;
    let pool = SessionPool::builder(move |wallet: &u8| {
        let key = LocalEthSigner::from_hex(&format!("{wallet:02x}").repeat(32))?;
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(PearAuthenticator::wallet(
            client.clone(),
            Arc::new(key),
        ))
    })
    .stores(StoreFactory::redis(redis, "farm:"))
    // Nothing is logged out when the process ends: the others go on with the tokens.
    .logout_on_evict(false)
    .build();
    let http = Arc::new(ReqwestTransport::new()?);
    let mut checks = tokio::task::JoinSet::new();
    let (mut tokens, mut errors) = (0u64, 0u64);
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut turn = 0u64;
    while Instant::now() < until {
        let wallet = u8::try_from(turn % u64::from(wallets))? + 1;
        turn += 1;
        match pool.access_token(&wallet).await {
            Ok(token) => {
                tokens += 1;
                let request = http::Request::get(format!("{url}/sandbox/whoami"))
                    .header("authorization", format!("Bearer {}", token.expose_secret()))
                    .body(bytes::Bytes::new())?;
                let http = Arc::clone(&http);
                checks.spawn(async move { http.send(request).await.map(|a| a.status()) });
            }
            Err(error) => {
                eprintln!("farm_worker: no token for wallet {wallet}: {error}");
                errors += 1;
            }
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    let mut invalid = 0u64;
    while let Some(check) = checks.join_next().await {
        match check {
            Ok(Ok(status)) if status == 200 => {}
            Ok(Ok(_)) => invalid += 1,
            _ => errors += 1,
        }
    }
    for wallet in 1..=wallets {
        if let Ok(session) = pool.session(&wallet).await {
            session.wait_for_renewal().await;
        }
    }
    let stats = pool.stats();
    println!(
        "{}",
        serde_json::json!({
            "tokens": tokens,
            "invalid": invalid,
            "errors": errors,
            "logins": stats.logins,
            "refreshes": stats.refreshes,
            "sessions": stats.sessions,
        })
    );
    Ok(())
}
