//! The error core every provider shares: configuration, headers, transport, refusals,
//! malformed answers and signers.

use std::time::Duration;

use auth_session::FailureKind;
use auth_signing::SignerError;
use auth_transport::TransportError;
use http::StatusCode;

use crate::decode::DecodeError;

/// What went wrong in one exchange with a provider's API. Every variant names the API
/// (`api`: `"Pear"`, `"pump.fun"`), refusals carry the HTTP status and the server's
/// message, and no message holds a secret the request carried: the kit redacts them
/// before the error exists.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// A client setting is unusable (base URL, transport, a default header).
    #[error("invalid {api} client setting ({setting}): {reason}")]
    Config {
        /// The API.
        api: &'static str,
        /// Which setting.
        setting: &'static str,
        /// What is wrong, and what to do.
        reason: String,
    },
    /// A value cannot go into a header (it holds characters headers do not allow). Found
    /// locally; nothing was sent.
    #[error(
        "the {header} header for {api} cannot carry this value: it has characters a header does not allow; nothing was sent"
    )]
    InvalidHeader {
        /// The API.
        api: &'static str,
        /// The header's name.
        header: &'static str,
    },
    /// The request could not be assembled (URL, body). Found locally; nothing was sent.
    #[error("could not build the request to {api}: {reason}")]
    Request {
        /// The API.
        api: &'static str,
        /// What was wrong.
        reason: String,
    },
    /// The request did not get a complete answer. The source says whether it may have
    /// reached the server.
    #[error("request to {api} failed: {source}")]
    Transport {
        /// The API.
        api: &'static str,
        /// The transport's error.
        #[source]
        source: TransportError,
    },
    /// The server answered with an error status.
    #[error("{}", describe_refusal(api, *status, message, *retry_after))]
    Refused {
        /// The API.
        api: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The server's message (several joined by `; `), or the status reason.
        message: String,
        /// The server's messages, one per problem (a 400's list), at least one.
        messages: Vec<String>,
        /// How long the server asked to wait (`Retry-After`), if it did.
        retry_after: Option<Duration>,
    },
    /// A success status with a body that is not what the API documents.
    #[error("{api}'s answer ({status}) could not be read: {source}")]
    Malformed {
        /// The API.
        api: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// What did not decode (names the field, never quotes a value).
        #[source]
        source: DecodeError,
    },
    /// The signer did not sign. Nothing was sent.
    #[error("the signer failed: {source}")]
    Signer {
        /// The signer's error.
        #[source]
        source: SignerError,
    },
}

fn describe_refusal(
    api: &str,
    status: StatusCode,
    message: &str,
    retry_after: Option<Duration>,
) -> String {
    match status.as_u16() {
        400 => format!("{api} refused the request ({status}): {message}"),
        401 | 403 => format!("{api} refused the credentials ({status}): {message}"),
        429 => format!(
            "{api} rate limit reached ({status}): {message}{}",
            retry_after
                .map(|d| format!("; retry after {}s", d.as_secs()))
                .unwrap_or_default()
        ),
        _ => format!("{api} answered {status}: {message}"),
    }
}

impl ApiError {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            ApiError::Refused { status, .. } | ApiError::Malformed { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether the server refused the credentials (401 or 403).
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, ApiError::Refused { status, .. } if matches!(status.as_u16(), 401 | 403))
    }

    /// Whether trying the same operation later could succeed: network failures, 429 and
    /// 5xx.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Transport { source, .. } => source.is_retryable(),
            ApiError::Refused { status, .. } => {
                *status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
            }
            _ => false,
        }
    }

    /// Whether the request may have reached the server: `false` only when it provably
    /// never left (local failures, connect and TLS errors, policy refusals).
    pub fn may_have_reached_server(&self) -> bool {
        match self {
            ApiError::Transport { source, .. } => source.may_have_reached_server(),
            ApiError::Config { .. }
            | ApiError::InvalidHeader { .. }
            | ApiError::Request { .. }
            | ApiError::Signer { .. } => false,
            ApiError::Refused { .. } | ApiError::Malformed { .. } => true,
        }
    }

    /// The `Retry-After` the server sent with its refusal.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ApiError::Refused { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The decode error of a malformed answer.
    pub fn decode_error(&self) -> Option<&DecodeError> {
        match self {
            ApiError::Malformed { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// What every provider's error has in common, for code that handles any provider (a
/// session, a metrics layer, a fuzz harness, a retry loop). A provider's error wraps an
/// [`ApiError`] for the failures every provider can have and adds its own variants; it
/// implements [`api_error`](Self::api_error) and [`status`](Self::status), and gets the
/// rest.
///
/// ```
/// use auth_provider::{ApiError, ProviderError};
///
/// let err = ApiError::Refused {
///     api: "Pear",
///     status: http::StatusCode::TOO_MANY_REQUESTS,
///     message: "slow down".into(),
///     messages: vec!["slow down".into()],
///     retry_after: Some(std::time::Duration::from_secs(3)),
/// };
/// assert!(err.is_transient());
/// assert_eq!(ProviderError::retry_after(&err), Some(std::time::Duration::from_secs(3)));
/// ```
pub trait ProviderError: std::error::Error + Send + Sync + 'static {
    /// The failure any provider can have, if this is one.
    fn api_error(&self) -> Option<&ApiError>;

    /// The HTTP status, when the server answered.
    fn status(&self) -> Option<StatusCode>;

    /// Whether trying again later could succeed: network failures, 429 and 5xx.
    fn is_transient(&self) -> bool {
        self.api_error().is_some_and(ApiError::is_transient)
    }

    /// Whether the request may have reached the server: `false` only when it provably
    /// never left. A provider's own variants count as reached unless it says otherwise.
    fn may_have_reached_server(&self) -> bool {
        self.api_error()
            .is_none_or(ApiError::may_have_reached_server)
    }

    /// The `Retry-After` the server sent with a refusal.
    fn retry_after(&self) -> Option<Duration> {
        self.api_error().and_then(ApiError::retry_after)
    }

    /// How a session treats this failure when the provider has no more to say:
    /// transient ones keep the current token and try again later, everything else is
    /// returned to the caller.
    fn failure_kind(&self) -> FailureKind {
        if self.is_transient() {
            FailureKind::Transient
        } else {
            FailureKind::Permanent
        }
    }
}

impl ProviderError for ApiError {
    fn api_error(&self) -> Option<&ApiError> {
        Some(self)
    }

    fn status(&self) -> Option<StatusCode> {
        ApiError::status(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(status: u16, retry_after: Option<Duration>) -> ApiError {
        ApiError::Refused {
            api: "Pear",
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::IM_A_TEAPOT),
            message: "no".to_owned(),
            messages: vec!["no".to_owned()],
            retry_after,
        }
    }

    #[test]
    fn refusals_read_by_status() {
        assert_eq!(
            refused(400, None).to_string(),
            "Pear refused the request (400 Bad Request): no"
        );
        assert_eq!(
            refused(403, None).to_string(),
            "Pear refused the credentials (403 Forbidden): no"
        );
        assert!(refused(401, None).is_unauthorized());
        assert_eq!(
            refused(429, Some(Duration::from_secs(3))).to_string(),
            "Pear rate limit reached (429 Too Many Requests): no; retry after 3s"
        );
        assert!(refused(429, None).is_transient());
        assert!(refused(503, None).is_transient());
        assert!(!refused(404, None).is_transient());
        assert_eq!(
            refused(502, None).to_string(),
            "Pear answered 502 Bad Gateway: no"
        );
        assert!(refused(500, None).may_have_reached_server());
        assert_eq!(refused(500, None).failure_kind(), FailureKind::Transient);
        assert_eq!(refused(401, None).failure_kind(), FailureKind::Permanent);
    }

    #[test]
    fn local_failures_never_reached_the_server() {
        let e = ApiError::InvalidHeader {
            api: "Pear",
            header: "authorization",
        };
        assert!(!e.may_have_reached_server());
        assert_eq!(e.status(), None);
        assert!(!e.is_unauthorized());
    }
}
