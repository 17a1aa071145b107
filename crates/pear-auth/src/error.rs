//! Everything that can go wrong talking to Pear, typed.

use std::time::Duration;

use auth_signing::SignerError;
use auth_transport::http::StatusCode;
use auth_transport::{DecodeError, ServerError, TransportError};

/// A failed Pear operation. Server refusals carry the HTTP status and Pear's own message;
/// messages never contain the key, token or signature that was sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PearError {
    /// The base URL is unusable (not a URL, or plaintext http to a remote host).
    #[error("invalid Pear base URL: {reason}")]
    InvalidBaseUrl {
        /// What is wrong with it.
        reason: String,
    },
    /// The request did not get a complete answer.
    #[error("request to Pear failed: {source}")]
    Transport {
        /// The transport's error (says whether the request may have reached Pear).
        #[source]
        source: TransportError,
    },
    /// 400: Pear refused the request as malformed, with its list of problems.
    #[error("Pear refused the request ({status}): {}", messages.join("; "))]
    BadRequest {
        /// The HTTP status (400).
        status: StatusCode,
        /// Pear's messages, one per problem.
        messages: Vec<String>,
    },
    /// 401/403: the signature, key or token was refused.
    #[error("Pear refused the credentials ({status}): {message}")]
    Unauthorized {
        /// The HTTP status.
        status: StatusCode,
        /// Pear's message, like `Invalid signature`.
        message: String,
    },
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
    /// 429: too many requests; wait `retry_after` (if Pear said) before trying again.
    #[error("Pear rate limit reached ({status}): {message}{}", retry_after.map(|d| format!("; retry after {}s", d.as_secs())).unwrap_or_default())]
    RateLimited {
        /// The HTTP status (429).
        status: StatusCode,
        /// Pear's message.
        message: String,
        /// The `Retry-After` Pear sent.
        retry_after: Option<Duration>,
    },
    /// Any other error status.
    #[error("Pear answered {status}: {message}")]
    Server {
        /// The HTTP status.
        status: StatusCode,
        /// Pear's message, or the status reason.
        message: String,
    },
    /// A success status with a body that is not what Pear documents.
    #[error("Pear's answer ({status}) could not be read: {source}")]
    MalformedResponse {
        /// The HTTP status.
        status: StatusCode,
        /// What did not decode (names the field, never quotes a value).
        #[source]
        source: DecodeError,
    },
    /// The typed data to sign is not a Pear login message. Nothing was signed.
    #[error("refusing to sign: {reason}; nothing was signed")]
    UnsafeMessage {
        /// Which check failed.
        reason: String,
    },
    /// The signer did not sign.
    #[error("the signer failed: {source}")]
    Signer {
        /// The signer's error.
        #[source]
        source: SignerError,
    },
}

impl PearError {
    /// The HTTP status, when Pear answered with an error status.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            PearError::BadRequest { status, .. }
            | PearError::Unauthorized { status, .. }
            | PearError::RefreshRejected { status, .. }
            | PearError::RateLimited { status, .. }
            | PearError::Server { status, .. }
            | PearError::MalformedResponse { status, .. } => Some(*status),
            PearError::RefreshUncertain { source } => source.status(),
            _ => None,
        }
    }

    /// Whether trying the same operation later could succeed: network failures, 429 and
    /// 5xx. (A refresh that may have reached Pear must not be retried with the same
    /// token; the session logs in again instead.)
    pub fn is_transient(&self) -> bool {
        match self {
            PearError::Transport { source } => source.is_retryable(),
            PearError::RateLimited { .. } => true,
            PearError::Server { status, .. } => status.is_server_error(),
            _ => false,
        }
    }

    /// Whether the request may have reached Pear (for transport failures; answers are
    /// always `true`).
    pub fn may_have_reached_pear(&self) -> bool {
        match self {
            PearError::Transport { source } => source.may_have_reached_server(),
            PearError::InvalidBaseUrl { .. }
            | PearError::UnsafeMessage { .. }
            | PearError::Signer { .. } => false,
            _ => true,
        }
    }

    /// Maps an error response, hiding the secrets that were sent.
    pub(crate) fn from_server(error: ServerError, sent_secrets: &[&str]) -> PearError {
        let error = error.redact(sent_secrets);
        let status = error.status;
        match status.as_u16() {
            400 => PearError::BadRequest {
                status,
                messages: if error.messages.is_empty() {
                    vec![error.message]
                } else {
                    error.messages
                },
            },
            401 | 403 => PearError::Unauthorized {
                status,
                message: error.message,
            },
            429 => PearError::RateLimited {
                status,
                message: error.message,
                retry_after: error.retry_after,
            },
            _ => PearError::Server {
                status,
                message: error.message,
            },
        }
    }
}

impl From<TransportError> for PearError {
    fn from(source: TransportError) -> Self {
        PearError::Transport { source }
    }
}
