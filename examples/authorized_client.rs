//! A bot calling a protected endpoint through the authorized client: a `tower` layer
//! (`auth_http::AuthorizeLayer`) over hyper's client puts the session's token on every
//! request. Midway, the server revokes the token (as an operator or a security system
//! ending a session early would); the next calls get a 401, the layer reports the token to
//! the session, which logs in again once, and sends each refused request once more. Every
//! call succeeds, and the bot never touches a token. Runs against the embedded sandbox.
//!
//! ```text
//! cargo run --example authorized_client          # 40 calls, 4 tasks
//! cargo run --example authorized_client -- 400   # 400 calls
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use auth_http::AuthorizeLayer;
use auth_sandbox::{Sandbox, SandboxConfig};
use auth_signing::ethereum::LocalEthSigner;
use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use pear_auth::{PearAuthenticator, PearClient, PearSession};
use tower::{Layer, ServiceExt};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let calls: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(40);
    let sandbox = Arc::new(Sandbox::start(SandboxConfig::default()).await?);
    let pear = PearClient::builder().base_url(sandbox.pear_url()).build()?;
    let wallet = Arc::new(LocalEthSigner::from_hex(&"5b".repeat(32))?);
    let session = PearSession::new(PearAuthenticator::wallet(pear, wallet));

    // The bot's HTTP client: hyper, behind the layer. Nothing else knows about tokens.
    let hyper = Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>();
    let client = AuthorizeLayer::new(session.clone()).layer(hyper);
    let whoami = format!("{}/sandbox/whoami", sandbox.pear_url());

    // Four tasks share the client; the server revokes the token when half the calls are done.
    let done = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..4)
        .map(|task| {
            let (client, whoami, done) = (client.clone(), whoami.clone(), done.clone());
            let (sandbox, session) = (sandbox.clone(), session.clone());
            tokio::spawn(async move {
                let mut ok = 0;
                loop {
                    let call = done.fetch_add(1, Ordering::SeqCst);
                    if call >= calls {
                        break;
                    }
                    if call == calls / 2 {
                        let token = session.access_token().await?;
                        sandbox.revoke(token.expose_secret());
                        println!("task {task}: the server revokes the session's token");
                    }
                    let request = http::Request::get(&whoami).body(Empty::new())?;
                    let response = client.clone().oneshot(request).await?;
                    let status = response.status();
                    let body = response.into_body().collect().await?.to_bytes();
                    if !status.is_success() {
                        return Err(format!("task {task}: {status}").into());
                    }
                    ok += 1;
                    if ok == 1 {
                        println!("task {task}: {status} {}", String::from_utf8_lossy(&body));
                    }
                }
                Ok::<usize, Box<dyn std::error::Error + Send + Sync>>(ok)
            })
        })
        .collect();
    let mut succeeded = 0;
    for task in tasks {
        succeeded += task.await??;
    }
    let c = sandbox.counters();
    println!(
        "{succeeded} of {calls} calls succeeded; {} refused with 401 and sent again; {} logins (the first and one renewal)",
        c.protected_refused, c.pear_logins
    );
    if succeeded != calls {
        return Err("a call failed".into());
    }
    session.logout().await?;
    Ok(())
}
