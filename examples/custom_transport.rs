//! Bring your own HTTP stack: any type that implements `HttpTransport` carries the
//! requests. This one wraps the reqwest backend and logs each exchange (method, path,
//! status, time), never headers or bodies, which hold secrets. Runs against the sandbox.
//!
//! ```text
//! cargo run --example custom_transport
//! ```

use std::time::Instant;

use async_trait::async_trait;
use auth_sandbox::{Sandbox, SandboxConfig};
use auth_signing::ethereum::LocalEthSigner;
use auth_transport::{HttpTransport, ReqwestTransport, TransportError};
use bytes::Bytes;
use pear_auth::PearClient;

/// Logs every exchange of the transport it wraps.
#[derive(Debug)]
struct Logged<T>(T);

#[async_trait]
impl<T: HttpTransport> HttpTransport for Logged<T> {
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let (method, path) = (request.method().clone(), request.uri().path().to_owned());
        let started = Instant::now();
        let result = self.0.send(request).await;
        match &result {
            Ok(r) => println!(
                "{method} {path} -> {} in {:?}",
                r.status(),
                started.elapsed()
            ),
            Err(e) => println!("{method} {path} -> failed: {e}"),
        }
        result
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start(SandboxConfig::default()).await?;
    let pear = PearClient::builder()
        .base_url(sandbox.pear_url())
        .transport(Logged(ReqwestTransport::new()?))
        .build()?;
    let wallet = LocalEthSigner::from_hex(&"31".repeat(32))?;
    let tokens = pear.login_eip712(&wallet).await?;
    let tokens = pear.refresh(&tokens.refresh_token).await?;
    pear.logout(&tokens.refresh_token).await?;
    sandbox.shutdown().await;
    Ok(())
}
