//! A long-running bot's session: many calls, tokens that expire every two seconds, and
//! the session refreshing on its own (one refresh at a time, the single-use refresh token
//! never replayed). Runs against the embedded sandbox.
//!
//! ```text
//! cargo run --example long_running_session            # 6 seconds
//! cargo run --example long_running_session -- 30      # 30 seconds
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use auth_examples::redact;
use auth_sandbox::{Sandbox, SandboxConfig};
use auth_signing::ethereum::LocalEthSigner;
use pear_auth::{PearAuthenticator, PearClient, PearSession};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seconds: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(6);
    let sandbox =
        Sandbox::start(SandboxConfig::default().with_access_token_ttl(Duration::from_secs(2)))
            .await?;
    let client = PearClient::builder().base_url(sandbox.pear_url()).build()?;
    let wallet = Arc::new(LocalEthSigner::from_hex(&"5a".repeat(32))?);
    let session = PearSession::new(PearAuthenticator::wallet(client, wallet));

    // Four workers share one session, as a bot's tasks would.
    let started = Instant::now();
    let workers: Vec<_> = (0..4)
        .map(|worker| {
            let session = session.clone();
            tokio::spawn(async move {
                let mut last = String::new();
                let mut calls = 0u32;
                while started.elapsed() < Duration::from_secs(seconds) {
                    let token = session.access_token().await?;
                    if token.expose_secret() != last {
                        last = token.expose_secret().to_owned();
                        println!(
                            "[{:>5.1}s] worker {worker} sees token {}",
                            started.elapsed().as_secs_f64(),
                            redact(&last)
                        );
                    }
                    calls += 1;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Ok::<u32, auth_session_error::Error>(calls)
            })
        })
        .collect();
    let mut calls = 0;
    for w in workers {
        calls += w.await??;
    }
    let c = sandbox.counters();
    println!(
        "{calls} calls in {seconds}s: {} login, {} refreshes, {} refresh tokens replayed",
        c.pear_logins, c.pear_refreshes, c.refused_reuses
    );
    session.logout().await?;
    sandbox.shutdown().await;
    Ok(())
}

/// The session's error type for this authenticator.
mod auth_session_error {
    pub(crate) type Error = pear_auth::auth_session::SessionError<pear_auth::PearError>;
}
