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
    /// The sign-in text cannot be used: a custom source gave something that is not a
    /// sign-in text, or a text signed elsewhere does not fit the login format. Found
    /// locally; nothing was signed or sent.
    #[error("the pump.fun sign-in message cannot be used: {reason}; nothing was signed or sent")]
    InvalidMessage {
        /// What is wrong with it.
        reason: String,
    },
    /// The [`crate::MessageSource`] failed to give a text to sign.
    #[error("the pump.fun message source failed: {source}; nothing was signed or sent")]
    MessageSource {
        /// Its error.
        source: crate::SourceError,
    },
    /// A sign-in signed elsewhere does not verify for its wallet and text. Found locally;
    /// nothing was sent.
    #[error(
        "the sign-in signature does not verify for this wallet and message (signed by another key, or over other text); nothing was sent"
    )]
    SignatureMismatch,
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
