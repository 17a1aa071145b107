//! One process of a fleet serving a farm of Pear wallets through one session pool on a
//! shared Redis, for the farm test (`crates/authctl/tests/fleet/farm.rs`): it hands out a
//! token of each wallet in turn, one every 40 ms, for a while, and checks each against the
//! server at once. Every request (logins, refreshes and the checks) is paced by one rate
//! budget shared through the same Redis, so the fleet together stays under one egress's
//! limit.
//!
//! Settings come from the environment: `FARM_PEAR_URL` (a sandbox's Pear URL),
//! `FARM_REDIS` (a `redis://` URL), `FARM_WALLETS` (how many wallets: wallet `n` has the
//! test key whose 32 bytes are all `n`, from 1), `FARM_SECONDS` (how long), `FARM_RATE`
//! (requests a second the whole fleet may send). It prints one JSON line: `{"tokens",
//! "invalid", "errors", "logins", "refreshes", "sessions"}`, where `invalid` counts tokens
//! the server refused at the moment they were handed out.
//!
//! ```sh
//! cargo run -p authctl --example farm_worker   # with the variables above set
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use auth_pool::{SessionPool, StoreFactory};
use auth_session::RedisRateLimiter;
use auth_signing::ethereum::LocalEthSigner;
use auth_transport::{HttpTransport as _, ReqwestTransport};
use pear_auth::{PearAuthenticator, PearClient, Quota, RateBudget};

/// A request may reach the server up to this much after its slot: added to the shared
/// pace's window (no process sees the others' requests in flight).
const SHARED_MARGIN: Duration = Duration::from_millis(250);

fn setting(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set"))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = setting("FARM_PEAR_URL")?;
    let redis = setting("FARM_REDIS")?;
    let wallets: u8 = setting("FARM_WALLETS")?.parse()?;
    let seconds: u64 = setting("FARM_SECONDS")?.parse()?;
    let rate: u32 = setting("FARM_RATE")?.parse()?;
    let budget = RateBudget::builder("fleet")
        .quota(Quota::per_second(rate))
        .margin(SHARED_MARGIN)
        .shared(Arc::new(RedisRateLimiter::new(&redis, "farm:budget")?))
        .build();
    let host = url.parse::<http::Uri>()?.authority().map(|a| a.to_string());
    let host = host.ok_or("FARM_PEAR_URL has no host")?;
    let client = PearClient::builder()
        .base_url(&url)
        .rate_budget(budget.clone())
        .build()?;
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
    let http = ReqwestTransport::new()?;
    let (mut tokens, mut errors, mut invalid) = (0u64, 0u64, 0u64);
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
                // The check is one of the bot's own calls: it takes a slot of the budget.
                match budget.slot(&host, None).await {
                    Ok(slot) => match http.send(request).await {
                        Ok(answer) => {
                            slot.learn(answer.status(), answer.headers());
                            if answer.status() != 200 {
                                eprintln!(
                                    "farm_worker: wallet {wallet}: whoami {}",
                                    answer.status()
                                );
                                invalid += 1;
                            }
                        }
                        Err(_) => errors += 1,
                    },
                    Err(error) => {
                        eprintln!("farm_worker: no slot for a check: {error}");
                        errors += 1;
                    }
                }
            }
            Err(error) => {
                eprintln!("farm_worker: no token for wallet {wallet}: {error}");
                errors += 1;
            }
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
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
