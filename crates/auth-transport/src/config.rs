//! Settings shared by the built-in backends.

use std::time::Duration;

/// The `User-Agent` sent when a request has none: this crate's name and version.
pub const DEFAULT_USER_AGENT: &str =
    concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// Limits and identity of a built-in backend. The defaults suit login traffic.
///
/// ```
/// use std::time::Duration;
/// use auth_transport::TransportConfig;
/// let config = TransportConfig::default().with_request_timeout(Duration::from_secs(5));
/// assert_eq!(config.connect_timeout, Duration::from_secs(10));
/// assert_eq!(config.max_body_bytes, 1024 * 1024);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransportConfig {
    /// How long to wait for a TCP (and TLS) connection. Default: 10 seconds.
    pub connect_timeout: Duration,
    /// How long a whole exchange may take, from sending to the last body byte.
    /// Default: 30 seconds.
    pub request_timeout: Duration,
    /// The largest response body read; a larger one is an error, never buffered whole.
    /// Default: 1 MiB.
    pub max_body_bytes: usize,
    /// The `User-Agent` for requests that carry none. Default: [`DEFAULT_USER_AGENT`].
    pub user_agent: String,
}

impl Default for TransportConfig {
    fn default() -> Self {
        TransportConfig {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_body_bytes: 1024 * 1024,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
        }
    }
}

impl TransportConfig {
    /// Sets the connect timeout.
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the whole-request timeout.
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Sets the response body cap, in bytes.
    pub fn with_max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// Sets the default `User-Agent`.
    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }
}
