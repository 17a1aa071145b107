//! The built-in backends and what they share: the `send` around each backend's own
//! exchange (`User-Agent`, whole-request timeout), the body cap, the classification of
//! failures and the `Debug` shape.

#[cfg(feature = "hyper")]
pub(crate) mod hyper;
#[cfg(feature = "reqwest")]
pub(crate) mod reqwest;
mod tls;

use std::fmt;

use bytes::Bytes;
use http::header::{HeaderMap, HeaderValue, USER_AGENT};
use http::{Request, Response};

use crate::config::TransportConfig;
use crate::error::TransportError;

/// What both backends' [`HttpTransport::send`](crate::HttpTransport::send) do around
/// their own `exchange`: put the configured `User-Agent` on a request that has none, and
/// give the whole exchange, up to the last body byte, the whole-request timeout.
pub(crate) async fn send_within<F>(
    config: &TransportConfig,
    mut request: Request<Bytes>,
    exchange: impl FnOnce(Request<Bytes>) -> F,
) -> Result<Response<Bytes>, TransportError>
where
    F: Future<Output = Result<Response<Bytes>, TransportError>>,
{
    add_user_agent(request.headers_mut(), config);
    let after = config.request_timeout;
    tokio::time::timeout(after, exchange(request))
        .await
        .map_err(|_| TransportError::Timeout { after })?
}

/// A response body read against the cap: a declared length over it is refused before any
/// byte is read, and a chunk as soon as the body would pass it.
pub(crate) struct CappedBody {
    bytes: Vec<u8>,
    limit: usize,
}

impl CappedBody {
    /// An empty body for a response with `headers`, unless their `Content-Length` is over
    /// the cap.
    pub(crate) fn new(
        headers: &HeaderMap,
        config: &TransportConfig,
    ) -> Result<Self, TransportError> {
        let limit = config.max_body_bytes;
        let declared = headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        match declared {
            Some(len) if len > limit as u64 => Err(TransportError::BodyTooLarge { limit }),
            _ => Ok(CappedBody {
                bytes: Vec::new(),
                limit,
            }),
        }
    }

    /// Appends a chunk, enforcing the cap.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Result<(), TransportError> {
        if self.bytes.len().saturating_add(chunk.len()) > self.limit {
            return Err(TransportError::BodyTooLarge { limit: self.limit });
        }
        self.bytes.extend_from_slice(chunk);
        Ok(())
    }

    /// The whole body.
    pub(crate) fn into_bytes(self) -> Bytes {
        Bytes::from(self.bytes)
    }
}

/// A failure to connect to `host`: [`TransportError::Tls`] when a TLS error sits anywhere
/// in its chain, else [`TransportError::Connect`].
pub(crate) fn connect_error<E>(host: &str, error: E) -> TransportError
where
    E: std::error::Error + Send + Sync + 'static,
{
    let host = host.to_owned();
    if is_tls_error(&error) {
        TransportError::Tls {
            host,
            source: Box::new(error),
        }
    } else {
        TransportError::Connect {
            host,
            source: Box::new(error),
        }
    }
}

/// A failure after the request was (possibly) sent.
pub(crate) fn io_error<E>(error: E) -> TransportError
where
    E: std::error::Error + Send + Sync + 'static,
{
    TransportError::Io {
        source: Box::new(error),
    }
}

/// The `Debug` of a backend: its name and its limits, never its client.
pub(crate) fn debug_backend(
    f: &mut fmt::Formatter<'_>,
    name: &str,
    config: &TransportConfig,
) -> fmt::Result {
    f.debug_struct(name)
        .field("config", config)
        .finish_non_exhaustive()
}

/// `host:port` of a URI, for error messages (never the path or query).
pub(crate) fn host_of(uri: &http::Uri) -> String {
    match (uri.host(), uri.port_u16()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        _ => "(no host)".to_owned(),
    }
}

/// Adds the configured `User-Agent` unless the request has one.
fn add_user_agent(headers: &mut HeaderMap, config: &TransportConfig) {
    if !headers.contains_key(USER_AGENT)
        && let Ok(value) = HeaderValue::from_str(&config.user_agent)
    {
        headers.insert(USER_AGENT, value);
    }
}

/// Whether a TLS error sits anywhere in an error's chain (including inside `io::Error`s,
/// whose `source()` skips the error they wrap).
fn is_tls_error(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(e) = current {
        if e.is::<rustls::Error>() {
            return true;
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>()
            && let Some(inner) = io.get_ref()
            && inner.is::<rustls::Error>()
        {
            return true;
        }
        current = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

    use super::*;

    fn capped(limit: usize) -> TransportConfig {
        TransportConfig::default().with_max_body_bytes(limit)
    }

    fn declaring(length: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::CONTENT_LENGTH,
            HeaderValue::from_str(length).unwrap(),
        );
        headers
    }

    #[test]
    fn a_body_may_fill_the_cap_but_not_pass_it() {
        let mut body = CappedBody::new(&HeaderMap::new(), &capped(4)).unwrap();
        body.push(b"ab").unwrap();
        body.push(b"cd").unwrap();
        assert!(matches!(
            body.push(b"e"),
            Err(TransportError::BodyTooLarge { limit: 4 })
        ));
        assert_eq!(body.into_bytes(), Bytes::from_static(b"abcd"));
    }

    #[test]
    fn a_declared_length_over_the_cap_is_refused_before_reading() {
        assert!(CappedBody::new(&declaring("4"), &capped(4)).is_ok());
        assert!(matches!(
            CappedBody::new(&declaring("5"), &capped(4)),
            Err(TransportError::BodyTooLarge { limit: 4 })
        ));
        // A length that is not a number is no declaration: the chunks are still capped.
        assert!(CappedBody::new(&declaring("lots"), &capped(4)).is_ok());
    }

    #[tokio::test]
    async fn send_within_adds_the_user_agent_only_when_missing() {
        let config = TransportConfig::default().with_user_agent("ours/1");
        let echo = |request: Request<Bytes>| async move {
            let agent = request.headers()[USER_AGENT].to_str().unwrap().to_owned();
            Ok(Response::new(Bytes::from(agent)))
        };
        let bare = Request::new(Bytes::new());
        let answer = send_within(&config, bare, echo).await.unwrap();
        assert_eq!(answer.body(), "ours/1");
        let own = Request::builder()
            .header(USER_AGENT, "theirs/2")
            .body(Bytes::new())
            .unwrap();
        let answer = send_within(&config, own, echo).await.unwrap();
        assert_eq!(answer.body(), "theirs/2");
    }

    #[tokio::test(start_paused = true)]
    async fn send_within_times_the_whole_exchange_out() {
        let config = TransportConfig::default();
        let never = |_| std::future::pending::<Result<Response<Bytes>, TransportError>>();
        let err = send_within(&config, Request::new(Bytes::new()), never)
            .await
            .unwrap_err();
        assert!(
            matches!(err, TransportError::Timeout { after } if after == config.request_timeout)
        );
    }

    #[test]
    fn a_backend_debug_shows_its_limits_only() {
        struct Backend(TransportConfig);
        impl fmt::Debug for Backend {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                debug_backend(f, "SomeTransport", &self.0)
            }
        }
        let config = TransportConfig::default();
        assert_eq!(
            format!("{:?}", Backend(config.clone())),
            format!("SomeTransport {{ config: {config:?}, .. }}")
        );
    }

    #[test]
    fn connect_errors_are_tls_when_rustls_is_in_the_chain() {
        let tls = std::io::Error::other(rustls::Error::DecryptError);
        assert!(matches!(
            connect_error("example.com:443", tls),
            TransportError::Tls { host, .. } if host == "example.com:443"
        ));
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert!(matches!(
            connect_error("127.0.0.1:1", refused),
            TransportError::Connect { host, .. } if host == "127.0.0.1:1"
        ));
    }
}
