//! Everything that can go wrong talking to Pear, typed: Pear's own failures, and how
//! each classifies. What every provider shares is the kit's [`ApiError`].

use std::time::Duration;

use auth_provider::{Failure, FailureKind, ProviderError};
use auth_transport::http::StatusCode;

/// A failed Pear operation. What every provider shares (settings, transport, refusals
/// with status and Pear's messages, malformed answers, signers) is
/// [`ProviderError::Api`] with an [`ApiError`](auth_provider::ApiError); Pear's own
/// failures are [`ProviderError::Provider`] with a [`PearFailure`]. Messages never contain
/// a key, token or signature that was sent: the request records them as it is built and
/// errors are redacted of them.
pub type PearError = ProviderError<PearFailure>;

/// The failures of Pear's own (see [`PearError`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PearFailure {
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
    /// A session that may only refresh ([`crate::PearAuthenticator::refresh_only`]) needs a
    /// new login: nothing usable was stored, or the stored refresh token was refused or
    /// has expired. Nothing was sent. Sign in again with the wallet (in a browser, for a
    /// key that stays there) and store the new tokens.
    #[error(
        "no usable stored Pear session of {address}, and this session cannot log in (it only refreshes stored tokens); sign in again with the wallet and store the new tokens"
    )]
    LoginRequired {
        /// The account that must sign in again.
        address: auth_types::EvmAddress,
    },
}

impl From<PearFailure> for PearError {
    fn from(own: PearFailure) -> Self {
        ProviderError::Provider(own)
    }
}

impl Failure for PearFailure {
    fn kind(&self) -> FailureKind {
        match self {
            PearFailure::RefreshRejected { .. } | PearFailure::RefreshUncertain { .. } => {
                FailureKind::RefreshRejected
            }
            PearFailure::UnsafeMessage { .. }
            | PearFailure::UnexpectedDomain { .. }
            | PearFailure::SignatureMismatch { .. }
            | PearFailure::UnsupportedTokenType { .. }
            | PearFailure::LoginRequired { .. } => FailureKind::Permanent,
        }
    }

    fn may_have_reached_server(&self) -> bool {
        match self {
            PearFailure::UnsafeMessage { .. }
            | PearFailure::UnexpectedDomain { .. }
            | PearFailure::SignatureMismatch { .. }
            | PearFailure::LoginRequired { .. } => false,
            PearFailure::RefreshRejected { .. }
            | PearFailure::RefreshUncertain { .. }
            | PearFailure::UnsupportedTokenType { .. } => true,
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            PearFailure::RefreshUncertain { source } => source.retry_after(),
            _ => None,
        }
    }

    fn http_status(&self) -> Option<u16> {
        match self {
            PearFailure::RefreshRejected { status, .. } => Some(status.as_u16()),
            PearFailure::RefreshUncertain { source } => source.http_status(),
            _ => None,
        }
    }
}
