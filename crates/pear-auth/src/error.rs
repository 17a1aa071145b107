//! Everything that can go wrong talking to Pear, typed.

use auth_provider::{ApiError, ProviderError};
use auth_transport::http::StatusCode;

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
        /// Which check failed. What it quotes of the server's typed data (a type name,
        /// a path) has its unprintable characters escaped
        /// ([`auth_types::escape_unprintable`]).
        reason: String,
    },
    /// The login message's EIP-712 domain is not the one expected (see
    /// [`crate::PearDomain`]). Nothing was signed.
    #[error(
        "refusing to sign: the login message's domain {field} is {found}, expected {expected}; if this is the right server, set the expected domain with `PearClientBuilder::expected_domain`; nothing was signed"
    )]
    UnexpectedDomain {
        /// The domain field that differs: `name`, `version`, `chainId`,
        /// `verifyingContract` or `salt`.
        field: &'static str,
        /// What was expected.
        expected: String,
        /// What the server sent (`absent` if nothing): texts in backticks with every
        /// unprintable character escaped ([`auth_types::escape_unprintable`]), cut
        /// after 64 characters.
        found: String,
    },
    /// A login signature made elsewhere does not recover to the address it is sent for
    /// (signed by another key, or over other data). Found locally; nothing was sent.
    #[error(
        "the login signature was made by {recovered}, not by {address} (another key signed it, or it signs other data); nothing was sent"
    )]
    SignatureMismatch {
        /// The address the login is for.
        address: auth_types::EvmAddress,
        /// The address the signature recovers to (`none` if it recovers to none).
        recovered: String,
    },
    /// A login or refresh answered with a token scheme this crate cannot use (only
    /// `Bearer` is). The tokens were not used. On a refresh, the refresh token it presented
    /// is spent: log in again once Pear answers `Bearer`.
    #[error(
        "Pear answered tokenType `{token_type}`, expected `Bearer`; the tokens were not used, check the base URL points at Pear's auth API"
    )]
    UnsupportedTokenType {
        /// The scheme Pear named: at most 40 characters of it, unprintable characters
        /// escaped ([`auth_types::escape_unprintable`]).
        token_type: String,
    },
}

impl ProviderError for PearError {
    fn api_error(&self) -> Option<&ApiError> {
        match self {
            PearError::Api(e) => Some(e),
            PearError::RefreshUncertain { source } => source.api_error(),
            PearError::RefreshRejected { .. }
            | PearError::UnsafeMessage { .. }
            | PearError::UnexpectedDomain { .. }
            | PearError::SignatureMismatch { .. }
            | PearError::UnsupportedTokenType { .. } => None,
        }
    }

    /// The HTTP status, when Pear answered.
    fn status(&self) -> Option<StatusCode> {
        match self {
            PearError::RefreshRejected { status, .. } => Some(*status),
            other => other.api_error().and_then(ApiError::status),
        }
    }

    /// Network failures, 429 and 5xx. A refresh that may have reached Pear is not: it
    /// must not be retried with the same token (the session logs in again instead).
    fn is_transient(&self) -> bool {
        matches!(self, PearError::Api(e) if e.is_transient())
    }

    /// A refused message never left this machine.
    fn may_have_reached_server(&self) -> bool {
        match self {
            PearError::Api(e) => e.may_have_reached_server(),
            PearError::UnsafeMessage { .. }
            | PearError::UnexpectedDomain { .. }
            | PearError::SignatureMismatch { .. } => false,
            PearError::RefreshRejected { .. }
            | PearError::RefreshUncertain { .. }
            | PearError::UnsupportedTokenType { .. } => true,
        }
    }
}

impl PearError {
    /// The HTTP status, when Pear answered (also on [`ProviderError`], with the rest of
    /// what every provider's error tells).
    pub fn status(&self) -> Option<StatusCode> {
        ProviderError::status(self)
    }
}
