//! The reqwest backend.

use std::fmt;

use async_trait::async_trait;
use bytes::Bytes;
use http::{Request, Response};

use super::{CappedBody, connect_error, debug_backend, host_of, io_error, send_within, tls};
use crate::config::TransportConfig;
use crate::error::TransportError;
use crate::transport::HttpTransport;

/// An [`HttpTransport`] over [`reqwest`] (feature `reqwest`, on by default).
///
/// [`ReqwestTransport::new`] builds a client with rustls (ring, Mozilla roots), the
/// [`TransportConfig`] timeouts, no redirects and no proxy.
/// [`ReqwestTransport::from_client`] wraps a client you configured yourself (proxies,
/// custom roots), best started from [`ReqwestTransport::client_builder`]; the body cap
/// and whole-request timeout still apply, but make sure your client does not follow
/// redirects (`redirect::Policy::none()`).
///
/// ```no_run
/// use auth_transport::{HttpTransport, ReqwestTransport};
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let transport = ReqwestTransport::new()?;
/// let request = http::Request::get("https://hl-v2.pearprotocol.io/").body(bytes::Bytes::new())?;
/// let response = transport.send(request).await?;
/// println!("{}", response.status());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    config: TransportConfig,
}

impl ReqwestTransport {
    /// A transport with the default [`TransportConfig`].
    pub fn new() -> Result<Self, TransportError> {
        Self::with_config(TransportConfig::default())
    }

    /// A transport with the given limits.
    pub fn with_config(config: TransportConfig) -> Result<Self, TransportError> {
        let client = Self::client_builder(&config)?
            .no_proxy()
            .build()
            .map_err(|e| {
                TransportError::other("could not build the reqwest client", false, e.without_url())
            })?;
        Ok(ReqwestTransport { client, config })
    }

    /// A reqwest client builder with this crate's TLS set-up (rustls, ring, Mozilla roots),
    /// `config`'s timeouts and no redirects: add your own settings (a proxy, extra root
    /// certificates) and pass the client to [`ReqwestTransport::from_client`].
    ///
    /// ```
    /// use auth_transport::{ReqwestTransport, TransportConfig};
    /// let config = TransportConfig::default();
    /// let client = ReqwestTransport::client_builder(&config)?
    ///     .pool_max_idle_per_host(4)
    ///     .build()
    ///     .map_err(|e| e.without_url())?;
    /// let transport = ReqwestTransport::from_client(client, config);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn client_builder(
        config: &TransportConfig,
    ) -> Result<reqwest::ClientBuilder, TransportError> {
        Ok(reqwest::Client::builder()
            .tls_backend_preconfigured(tls::client_config()?)
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .redirect(reqwest::redirect::Policy::none()))
    }

    /// Wraps a client you built yourself; `config`'s body cap, whole-request timeout and
    /// `User-Agent` still apply.
    pub fn from_client(client: reqwest::Client, config: TransportConfig) -> Self {
        ReqwestTransport { client, config }
    }

    /// The limits in force.
    pub fn config(&self) -> &TransportConfig {
        &self.config
    }

    async fn exchange(&self, request: Request<Bytes>) -> Result<Response<Bytes>, TransportError> {
        let host = host_of(request.uri());
        let request =
            reqwest::Request::try_from(request).map_err(|e| TransportError::InvalidRequest {
                reason: e.without_url().to_string(),
            })?;
        let mut response = self
            .client
            .execute(request)
            .await
            .map_err(|e| self.map_error(e, &host))?;
        let mut body = CappedBody::new(response.headers(), &self.config)?;
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.map_error(e, &host))?
        {
            body.push(&chunk)?;
        }
        let mut out = Response::new(body.into_bytes());
        *out.status_mut() = response.status();
        *out.version_mut() = response.version();
        *out.headers_mut() = std::mem::take(response.headers_mut());
        Ok(out)
    }

    fn map_error(&self, error: reqwest::Error, host: &str) -> TransportError {
        let error = error.without_url();
        if error.is_connect() {
            connect_error(host, error)
        } else if error.is_timeout() {
            TransportError::Timeout {
                after: self.config.request_timeout,
            }
        } else if error.is_builder() {
            TransportError::InvalidRequest {
                reason: error.to_string(),
            }
        } else {
            io_error(error)
        }
    }
}

impl fmt::Debug for ReqwestTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_backend(f, "ReqwestTransport", &self.config)
    }
}

#[async_trait]
impl HttpTransport for ReqwestTransport {
    async fn send(&self, request: Request<Bytes>) -> Result<Response<Bytes>, TransportError> {
        send_within(&self.config, request, |request| self.exchange(request)).await
    }
}
