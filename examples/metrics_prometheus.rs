//! A session's metrics served to Prometheus: the `metrics` feature of `auth-session` with
//! `metrics-exporter-prometheus`, against the embedded sandbox's Pear API with 4-second
//! tokens, so the refresh counter, the expiry gauge and the renewal histogram move while
//! it runs. Scrape `http://127.0.0.1:9000/metrics` meanwhile (or set `METRICS_ADDR`); at
//! the end it prints the session's lines of one scrape.
//!
//! ```text
//! cargo run --example metrics_prometheus            # 10 seconds
//! cargo run --example metrics_prometheus -- 60      # a minute
//! ```

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_signing::ethereum::LocalEthSigner;
use metrics_exporter_prometheus::PrometheusBuilder;
use pear_auth::{PearAuthenticator, PearClient, PearSession};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seconds: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let addr: SocketAddr = std::env::var("METRICS_ADDR")
        .unwrap_or_else(|_| "127.0.0.1:9000".to_owned())
        .parse()?;
    // Every session of the process reports to the recorder installed here.
    PrometheusBuilder::new()
        .with_http_listener(addr)
        .install()?;
    println!("scrape http://{addr}/metrics");

    let sandbox =
        Sandbox::start(SandboxConfig::default().with_access_token_ttl(Duration::from_secs(4)))
            .await?;
    let client = PearClient::builder().base_url(sandbox.pear_url()).build()?;
    let wallet = Arc::new(LocalEthSigner::from_hex(&"5b".repeat(32))?);
    let session = PearSession::new(PearAuthenticator::wallet(client, wallet));
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(seconds) {
        session.access_token().await?;
        tokio::time::sleep(Duration::from_millis(250)).await;
    }

    let mut stream = TcpStream::connect(addr)?;
    write!(
        stream,
        "GET /metrics HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut page = String::new();
    stream.read_to_string(&mut page)?;
    for line in page.lines().filter(|l| l.starts_with("auth_session_")) {
        println!("{line}");
    }
    let stats = session.stats();
    println!(
        "session: {} login(s), {} refresh(es)",
        stats.logins, stats.refreshes
    );
    session.logout().await?;
    Ok(())
}
