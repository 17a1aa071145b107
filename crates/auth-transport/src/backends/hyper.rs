//! The hyper 1 backend.

use std::fmt;

use async_trait::async_trait;
use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use super::{CappedBody, connect_error, debug_backend, host_of, io_error, send_within, tls};
use crate::config::TransportConfig;
use crate::error::TransportError;
use crate::transport::HttpTransport;

/// The hyper client type [`HyperTransport`] drives: hyper-util's pooled client over
/// hyper-rustls, sending `Full<Bytes>` bodies.
pub type HyperClient = Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>;

/// An [`HttpTransport`] over hyper 1 and hyper-util (feature `hyper`).
///
/// [`HyperTransport::new`] builds a pooled client with rustls (ring, Mozilla roots), the
/// [`TransportConfig`] connect timeout and HTTP/1.1. hyper never follows redirects.
/// [`HyperTransport::from_client`] wraps a client you built yourself.
#[derive(Clone)]
pub struct HyperTransport {
    client: HyperClient,
    config: TransportConfig,
}

impl HyperTransport {
    /// A transport with the default [`TransportConfig`].
    pub fn new() -> Result<Self, TransportError> {
        Self::with_config(TransportConfig::default())
    }

    /// A transport with the given limits.
    pub fn with_config(config: TransportConfig) -> Result<Self, TransportError> {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(config.connect_timeout));
        http.set_nodelay(true);
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls::client_config()?)
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client = Client::builder(TokioExecutor::new()).build(https);
        Ok(HyperTransport { client, config })
    }

    /// Wraps a client you built yourself; `config`'s body cap, whole-request timeout and
    /// `User-Agent` still apply.
    pub fn from_client(client: HyperClient, config: TransportConfig) -> Self {
        HyperTransport { client, config }
    }

    /// The limits in force.
    pub fn config(&self) -> &TransportConfig {
        &self.config
    }

    async fn exchange(&self, request: Request<Bytes>) -> Result<Response<Bytes>, TransportError> {
        let host = host_of(request.uri());
        let response = self
            .client
            .request(request.map(Full::new))
            .await
            .map_err(|e| {
                if e.is_connect() {
                    connect_error(&host, e)
                } else {
                    io_error(e)
                }
            })?;
        let (parts, mut incoming) = response.into_parts();
        let mut body = CappedBody::new(&parts.headers, &self.config)?;
        while let Some(frame) = incoming.frame().await {
            if let Ok(data) = frame.map_err(io_error)?.into_data() {
                body.push(&data)?;
            }
        }
        Ok(Response::from_parts(parts, body.into_bytes()))
    }
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_backend(f, "HyperTransport", &self.config)
    }
}

#[async_trait]
impl HttpTransport for HyperTransport {
    async fn send(&self, request: Request<Bytes>) -> Result<Response<Bytes>, TransportError> {
        send_within(&self.config, request, |request| self.exchange(request)).await
    }
}
