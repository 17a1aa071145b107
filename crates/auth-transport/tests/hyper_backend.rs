//! The conformance suite against the hyper backend.

#![cfg(feature = "hyper")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod support;

use std::sync::Arc;

use auth_transport::{HttpTransport, HyperTransport, TransportConfig};

fn make(config: TransportConfig) -> Arc<dyn HttpTransport> {
    Arc::new(HyperTransport::with_config(config).unwrap())
}

conformance_suite!(make);
