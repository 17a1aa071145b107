//! Everything that can go wrong talking to pump.fun, typed.

use std::time::Duration;

use auth_signing::SignerError;
use auth_transport::http::StatusCode;
use auth_transport::{DecodeError, ServerError, TransportError};

/// A failed pump.fun operation. Server refusals carry the HTTP status and pump.fun's
/// message; messages never contain the token that was sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PumpError {
    /// The base URL or origin is unusable.
    #[error("invalid pump.fun client setting: {reason}")]
    InvalidConfig {
        /// What is wrong.
        reason: String,
    },
    /// The request did not get a complete answer.
    #[error("request to pump.fun failed: {source}")]
    Transport {
        /// The transport's error.
        #[source]
        source: TransportError,
    },
    /// 400: malformed request, or a signature or wallet pump.fun cannot read.
    #[error("pump.fun refused the request ({status}): {message}")]
    BadRequest {
        /// The HTTP status (400).
        status: StatusCode,
        /// pump.fun's message.
        message: String,
    },
    /// 401/403: the signature or token was refused (or the `Origin` header).
    #[error("pump.fun refused the credentials ({status}): {message}")]
    Unauthorized {
        /// The HTTP status.
        status: StatusCode,
        /// pump.fun's message, like `Invalid credentials`.
        message: String,
    },
    /// 429: too many requests.
    #[error("pump.fun rate limit reached ({status}): {message}{}", retry_after.map(|d| format!("; retry after {}s", d.as_secs())).unwrap_or_default())]
    RateLimited {
        /// The HTTP status (429).
        status: StatusCode,
        /// pump.fun's message.
        message: String,
        /// The `Retry-After` pump.fun sent.
        retry_after: Option<Duration>,
    },
    /// Any other error status.
    #[error("pump.fun answered {status}: {message}")]
    Server {
        /// The HTTP status.
        status: StatusCode,
        /// pump.fun's message, or the status reason.
        message: String,
    },
    /// A success status with a body that is not what pump.fun documents.
    #[error("pump.fun's answer ({status}) could not be read: {source}")]
    MalformedResponse {
        /// The HTTP status.
        status: StatusCode,
        /// What did not decode.
        #[source]
        source: DecodeError,
    },
    /// The login succeeded but no token came back, neither in the body nor in an
    /// `auth_token` cookie.
    #[error(
        "pump.fun accepted the login ({status}) but sent no token in the body or the auth_token cookie"
    )]
    NoToken {
        /// The HTTP status.
        status: StatusCode,
    },
    /// The signer did not sign.
    #[error("the signer failed: {source}")]
    Signer {
        /// The signer's error.
        #[source]
        source: SignerError,
    },
}

impl PumpError {
    /// The HTTP status, when pump.fun answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            PumpError::BadRequest { status, .. }
            | PumpError::Unauthorized { status, .. }
            | PumpError::RateLimited { status, .. }
            | PumpError::Server { status, .. }
            | PumpError::MalformedResponse { status, .. }
            | PumpError::NoToken { status } => Some(*status),
            _ => None,
        }
    }

    /// Whether trying again later could succeed: network failures, 429 and 5xx.
    pub fn is_transient(&self) -> bool {
        match self {
            PumpError::Transport { source } => source.is_retryable(),
            PumpError::RateLimited { .. } => true,
            PumpError::Server { status, .. } => status.is_server_error(),
            _ => false,
        }
    }

    pub(crate) fn from_server(error: ServerError, sent_secrets: &[&str]) -> PumpError {
        let error = error.redact(sent_secrets);
        let status = error.status;
        let message = error.message;
        match status.as_u16() {
            400 => PumpError::BadRequest { status, message },
            401 | 403 => PumpError::Unauthorized { status, message },
            429 => PumpError::RateLimited {
                status,
                message,
                retry_after: error.retry_after,
            },
            _ => PumpError::Server { status, message },
        }
    }
}

impl From<TransportError> for PumpError {
    fn from(source: TransportError) -> Self {
        PumpError::Transport { source }
    }
}
