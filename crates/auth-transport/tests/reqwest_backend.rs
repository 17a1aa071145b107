//! The conformance suite against the reqwest backend.

#![cfg(feature = "reqwest")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod support;

use std::sync::Arc;

use auth_transport::{HttpTransport, ReqwestTransport, TransportConfig};

fn make(config: TransportConfig) -> Arc<dyn HttpTransport> {
    Arc::new(ReqwestTransport::with_config(config).unwrap())
}

conformance_suite!(make);

#[tokio::test]
async fn a_users_own_client_still_gets_the_body_cap() {
    let server = support::server::TestServer::start().await;
    let config = TransportConfig::default().with_max_body_bytes(10);
    let client = ReqwestTransport::client_builder(&config)
        .unwrap()
        .pool_max_idle_per_host(1)
        .build()
        .unwrap();
    let t = ReqwestTransport::from_client(client, config);
    let request = http::Request::get(server.url("/big/11"))
        .body(bytes::Bytes::new())
        .unwrap();
    assert!(matches!(
        t.send(request).await,
        Err(auth_transport::TransportError::BodyTooLarge { limit: 10 })
    ));
}
