//! Everything that can go wrong talking to pump.fun, typed.

use auth_provider::{ApiError, ProviderError};
use auth_transport::http::StatusCode;

/// A failed pump.fun operation. What every provider shares (settings, transport,
/// refusals with status and pump.fun's message, malformed answers, signers) is
/// [`PumpError::Api`]; the rest is pump.fun's own. Messages never contain the token or
/// signature that was sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PumpError {
    /// The login succeeded but no token came back, neither in the body nor in an
    /// `auth_token` cookie.
    #[error(
        "pump.fun accepted the login ({status}) but sent no token in the body or the auth_token cookie"
    )]
    NoToken {
        /// The HTTP status.
        status: StatusCode,
    },
    /// A failure any provider can have: see [`ApiError`].
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl ProviderError for PumpError {
    fn api_error(&self) -> Option<&ApiError> {
        let PumpError::Api(e) = self else {
            return None;
        };
        Some(e)
    }

    /// The HTTP status, when pump.fun answered.
    fn status(&self) -> Option<StatusCode> {
        let PumpError::NoToken { status } = self else {
            return self.api_error().and_then(ApiError::status);
        };
        Some(*status)
    }
}

impl PumpError {
    /// The HTTP status, when pump.fun answered (also on [`ProviderError`], with the rest of
    /// what every provider's error tells).
    pub fn status(&self) -> Option<StatusCode> {
        ProviderError::status(self)
    }
}
