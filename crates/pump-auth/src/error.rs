//! Everything that can go wrong talking to pump.fun, typed.

use std::time::Duration;

use auth_provider::ApiError;
use auth_transport::http::StatusCode;

/// The name errors give pump.fun's API.
pub(crate) const API: &str = "pump.fun";

/// A failed pump.fun operation. What every provider shares (settings, transport,
/// refusals with status and pump.fun's message, malformed answers, signers) is
/// [`PumpError::Api`]; the rest is pump.fun's own. Messages never contain the token or
/// signature that was sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PumpError {
    /// A failure any provider can have: see [`ApiError`].
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The login succeeded but no token came back, neither in the body nor in an
    /// `auth_token` cookie.
    #[error(
        "pump.fun accepted the login ({status}) but sent no token in the body or the auth_token cookie"
    )]
    NoToken {
        /// The HTTP status.
        status: StatusCode,
    },
}

impl PumpError {
    /// The HTTP status, when pump.fun answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            PumpError::Api(e) => e.status(),
            PumpError::NoToken { status } => Some(*status),
        }
    }

    /// Whether trying again later could succeed: network failures, 429 and 5xx.
    pub fn is_transient(&self) -> bool {
        matches!(self, PumpError::Api(e) if e.is_transient())
    }

    /// Whether the request may have reached pump.fun.
    pub fn may_have_reached_server(&self) -> bool {
        match self {
            PumpError::Api(e) => e.may_have_reached_server(),
            PumpError::NoToken { .. } => true,
        }
    }

    /// The `Retry-After` pump.fun sent with a 429.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            PumpError::Api(e) => e.retry_after(),
            PumpError::NoToken { .. } => None,
        }
    }
}

impl auth_provider::ProviderError for PumpError {
    fn api_error(&self) -> Option<&ApiError> {
        match self {
            PumpError::Api(e) => Some(e),
            _ => None,
        }
    }

    fn status(&self) -> Option<StatusCode> {
        PumpError::status(self)
    }
}
