//! The built-in backends and what they share.

#[cfg(feature = "hyper")]
pub(crate) mod hyper;
#[cfg(feature = "reqwest")]
pub(crate) mod reqwest;
mod tls;

use http::header::{HeaderMap, HeaderValue, USER_AGENT};

use crate::config::TransportConfig;
use crate::error::TransportError;

/// `host:port` of a URI, for error messages (never the path or query).
pub(crate) fn host_of(uri: &http::Uri) -> String {
    match (uri.host(), uri.port_u16()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        _ => "(no host)".to_owned(),
    }
}

/// Adds the configured `User-Agent` unless the request has one.
pub(crate) fn add_user_agent(headers: &mut HeaderMap, config: &TransportConfig) {
    if !headers.contains_key(USER_AGENT)
        && let Ok(value) = HeaderValue::from_str(&config.user_agent)
    {
        headers.insert(USER_AGENT, value);
    }
}

/// Refuses a body whose declared length is over the cap before reading any of it.
pub(crate) fn check_declared_length(
    headers: &HeaderMap,
    config: &TransportConfig,
) -> Result<(), TransportError> {
    let declared = headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(len) if len > config.max_body_bytes as u64 => Err(TransportError::BodyTooLarge {
            limit: config.max_body_bytes,
        }),
        _ => Ok(()),
    }
}

/// Appends a chunk to a body buffer, enforcing the cap.
pub(crate) fn append_capped(
    body: &mut Vec<u8>,
    chunk: &[u8],
    config: &TransportConfig,
) -> Result<(), TransportError> {
    if body.len().saturating_add(chunk.len()) > config.max_body_bytes {
        return Err(TransportError::BodyTooLarge {
            limit: config.max_body_bytes,
        });
    }
    body.extend_from_slice(chunk);
    Ok(())
}

/// Whether a TLS error sits anywhere in an error's chain (including inside `io::Error`s,
/// whose `source()` skips the error they wrap).
pub(crate) fn is_tls_error(error: &(dyn std::error::Error + 'static)) -> bool {
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
