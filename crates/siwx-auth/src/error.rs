//! Everything that can go wrong talking to a SIWE or SIWS backend, typed: the failures of
//! this provider, and how each classifies. What every provider shares is the kit's
//! [`ApiError`](auth_provider::ApiError).

use std::time::Duration;

use auth_provider::{Failure, FailureKind, ProviderError};
use auth_signing::siwe::SiweError;
use auth_signing::siws::SiwsError;
use auth_transport::http::StatusCode;

/// A failed SIWE or SIWS operation. What every provider shares (settings, transport,
/// refusals with the status and the backend's message, malformed answers, signers) is
/// [`ProviderError::Api`]; this provider's own failures are [`ProviderError::Provider`]
/// with a [`SiwxFailure`]. Messages never contain a token, cookie or signature.
pub type SiwxError = ProviderError<SiwxFailure>;

/// The failures of this provider's own (see [`SiwxError`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SiwxFailure {
    /// The nonce cannot go into a message: the backend's (or the caller's) nonce is not 8
    /// to 128 ASCII letters and digits. Nothing was signed or sent.
    #[error("the {api} nonce cannot be used: {reason}; nothing was signed or sent")]
    InvalidNonce {
        /// `SIWE` or `SIWS`.
        api: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The client takes nonces from the caller ([`NonceSource::Caller`](crate::NonceSource::Caller)):
    /// use `login_with_nonce`.
    #[error(
        "this {api} client takes the nonce from the caller: call login_with_nonce, or set a nonce source"
    )]
    NonceRequired {
        /// `SIWE` or `SIWS`.
        api: &'static str,
    },
    /// An EIP-4361 message could not be made or read (the error names the field).
    #[error("the Sign-In with Ethereum message is not valid: {0}")]
    Siwe(#[source] SiweError),
    /// A Sign In With Solana message could not be made or read (the error names the
    /// field).
    #[error("the Sign In With Solana message is not valid: {0}")]
    Siws(#[source] SiwsError),
    /// A message signed elsewhere names another value than this client would sign (its
    /// domain, URI or chain): it is for another site or chain. Nothing was sent.
    #[error(
        "the {api} message's {field} is `{found}`, this client signs in to `{expected}`; nothing was sent"
    )]
    ForeignMessage {
        /// `SIWE` or `SIWS`.
        api: &'static str,
        /// The field (`domain`, `uri`, `chain id`).
        field: &'static str,
        /// What this client would put there.
        expected: String,
        /// What the message has (escaped).
        found: String,
    },
    /// A signature made elsewhere does not verify for the message's address and text.
    /// Nothing was sent.
    #[error(
        "the {api} signature does not verify for the message's address (signed by another key, or over other text): {reason}; nothing was sent"
    )]
    SignatureMismatch {
        /// `SIWE` or `SIWS`.
        api: &'static str,
        /// What the check said.
        reason: String,
    },
    /// The backend accepted the login but its answer holds no session where the client
    /// was told to look.
    #[error(
        "{api} backend accepted the login ({status}) but sent no {expected}; check the client's session setting"
    )]
    NoSession {
        /// `SIWE` or `SIWS`.
        api: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// Where the session was looked for (`cookie connect.sid`, `JSON field token`).
        expected: String,
    },
    /// The refresh token was refused (400/401/403): expired, revoked or already used.
    /// Log in again.
    #[error("{api} backend refused the refresh token ({status}): {message}; log in again")]
    RefreshRejected {
        /// `SIWE` or `SIWS`.
        api: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The backend's message.
        message: String,
    },
    /// A refresh failed in a way that may have reached the backend (connection lost after
    /// sending, timeout, 5xx): a rotating refresh token may be spent, so it is not
    /// presented again. Log in again.
    #[error(
        "the refresh may have been processed without its answer arriving ({source}); its refresh token is no longer usable, log in again"
    )]
    RefreshUncertain {
        /// What went wrong.
        source: Box<SiwxError>,
    },
    /// A refresh was asked of a client with no refresh endpoint.
    #[error("this {api} client has no refresh endpoint: set one with `refresh`, or log in again")]
    NoRefreshEndpoint {
        /// `SIWE` or `SIWS`.
        api: &'static str,
    },
}

impl From<SiwxFailure> for SiwxError {
    fn from(own: SiwxFailure) -> Self {
        ProviderError::Provider(own)
    }
}

impl Failure for SiwxFailure {
    fn kind(&self) -> FailureKind {
        match self {
            SiwxFailure::RefreshRejected { .. }
            | SiwxFailure::RefreshUncertain { .. }
            | SiwxFailure::NoRefreshEndpoint { .. } => FailureKind::RefreshRejected,
            _ => FailureKind::Permanent,
        }
    }

    fn may_have_reached_server(&self) -> bool {
        matches!(
            self,
            SiwxFailure::NoSession { .. }
                | SiwxFailure::RefreshRejected { .. }
                | SiwxFailure::RefreshUncertain { .. }
        )
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            SiwxFailure::RefreshUncertain { source } => source.retry_after(),
            _ => None,
        }
    }

    fn http_status(&self) -> Option<u16> {
        match self {
            SiwxFailure::NoSession { status, .. } | SiwxFailure::RefreshRejected { status, .. } => {
                Some(status.as_u16())
            }
            SiwxFailure::RefreshUncertain { source } => source.http_status(),
            _ => None,
        }
    }
}
