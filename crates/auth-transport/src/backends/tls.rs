//! The TLS set-up both backends use: rustls with the ring provider, TLS 1.2 and 1.3, and
//! Mozilla's root certificates compiled in (no dependence on the machine's store).

use std::sync::Arc;

use crate::error::TransportError;

/// A rustls client configuration with safe defaults.
pub(crate) fn client_config() -> Result<rustls::ClientConfig, TransportError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TransportError::other("could not set up TLS", false, e))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(config)
}
