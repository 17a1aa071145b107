//! Everything that can go wrong talking to Pear, typed.

use std::time::Duration;

use auth_provider::ApiError;
use auth_transport::http::StatusCode;

/// The name errors give Pear's API.
pub(crate) const API: &str = "Pear";

/// A failed Pear operation. What every provider shares (settings, transport, refusals
/// with status and Pear's messages, malformed answers, signers) is [`PearError::Api`];
/// the rest is Pear's own. Messages never contain a key, token or signature that was
/// sent: the request records them as it is built and errors are redacted of them.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PearError {
    /// A failure any provider can have: see [`ApiError`].
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The refresh token was refused (400/401/403): expired, revoked or already used.
    /// Log in again.
    #[error("Pear refused the refresh token ({status}): {message}; log in again")]
    RefreshRejected {
        /// The HTTP status.
        status: StatusCode,
        /// Pear's message.
        message: String,
    },
    /// A refresh failed in a way that may have reached Pear (connection lost after
    /// sending, timeout, 5xx). Pear may have spent the single-use refresh token, so it
    /// must not be presented again: log in again.
    #[error(
        "the refresh may have been processed without its answer arriving ({source}); its refresh token is no longer usable, log in again"
    )]
    RefreshUncertain {
        /// What went wrong.
        #[source]
        source: Box<PearError>,
    },
    /// The typed data to sign is not a Pear login message. Nothing was signed.
    #[error("refusing to sign: {reason}; nothing was signed")]
    UnsafeMessage {
        /// Which check failed.
        reason: String,
    },
}

impl PearError {
    /// The HTTP status, when Pear answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            PearError::Api(e) => e.status(),
            PearError::RefreshRejected { status, .. } => Some(*status),
            PearError::RefreshUncertain { source } => source.status(),
            PearError::UnsafeMessage { .. } => None,
        }
    }

    /// Whether trying the same operation later could succeed: network failures, 429 and
    /// 5xx. (A refresh that may have reached Pear must not be retried with the same
    /// token; the session logs in again instead.)
    pub fn is_transient(&self) -> bool {
        matches!(self, PearError::Api(e) if e.is_transient())
    }

    /// Whether the request may have reached Pear (`false` only when it provably never
    /// left: local failures, connect errors, a refused message).
    pub fn may_have_reached_server(&self) -> bool {
        match self {
            PearError::Api(e) => e.may_have_reached_server(),
            PearError::UnsafeMessage { .. } => false,
            PearError::RefreshRejected { .. } | PearError::RefreshUncertain { .. } => true,
        }
    }

    /// The `Retry-After` Pear sent with a 429.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            PearError::Api(e) => e.retry_after(),
            _ => None,
        }
    }
}

impl auth_provider::ProviderError for PearError {
    fn api_error(&self) -> Option<&ApiError> {
        match self {
            PearError::Api(e) => Some(e),
            _ => None,
        }
    }

    fn status(&self) -> Option<StatusCode> {
        PearError::status(self)
    }
}
