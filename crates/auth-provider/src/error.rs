//! The error core every provider shares: configuration, headers, transport, refusals,
//! malformed answers and signers.

use std::time::Duration;

use auth_signer::SignerError;
use auth_transport::TransportError;
use auth_types::{Failure, FailureKind};
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
    /// The API's edge (a CDN such as Cloudflare, in front of pump.fun and Pear) answered
    /// 403 with an HTML page instead of the API's answer: too many requests from this
    /// address, a bot check, or a request the edge refuses outright (pump.fun's: no
    /// `Origin: https://pump.fun`). Not a verdict on the credentials: transient, and the
    /// client's rate budget holds the host for `retry_after` (the `Retry-After` the page
    /// came with, else [`EDGE_BLOCK_HOLD`](crate::EDGE_BLOCK_HOLD)). Slow down, or leave
    /// from another address; if it persists, check the client's `Origin`.
    #[error(
        "{api}'s edge (a CDN such as Cloudflare) blocked the request ({status}, an HTML page, not the API's answer): too many requests from this address, a bot check, or a refused Origin header; slow down or use another egress and retry after {}s, and if it persists check the Origin the client sends",
        retry_after.as_secs()
    )]
    Blocked {
        /// The API.
        api: &'static str,
        /// The HTTP status (403).
        status: StatusCode,
        /// How long to wait before the next request to this host.
        retry_after: Duration,
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
    /// The rate budget would have held the request longer than its maximum wait: nothing
    /// was sent. Transient: try again after `retry_after`, or give the budget a longer
    /// `max_wait`.
    #[error("{api} request to {host} not sent: the rate budget of egress {egress} has no slot for {}s", retry_after.as_secs_f64().ceil())]
    OverBudget {
        /// The API.
        api: &'static str,
        /// The host (and port) the budget paces.
        host: String,
        /// The budget's egress label.
        egress: String,
        /// How long until the budget has a slot.
        retry_after: Duration,
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
            ApiError::Refused { status, .. }
            | ApiError::Blocked { status, .. }
            | ApiError::Malformed { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether the server refused the credentials (401 or 403).
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, ApiError::Refused { status, .. } if matches!(status.as_u16(), 401 | 403))
    }

    /// The decode error of a malformed answer.
    pub fn decode_error(&self) -> Option<&DecodeError> {
        match self {
            ApiError::Malformed { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The one place a provider exchange's failure is classified: network failures, 429 and
/// 5xx are transient; only local failures, connect and TLS errors and policy refusals
/// certainly never reached the server.
impl Failure for ApiError {
    fn kind(&self) -> FailureKind {
        let transient = match self {
            ApiError::Transport { source, .. } => source.is_transient(),
            ApiError::Refused { status, .. } => {
                *status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
            }
            ApiError::OverBudget { .. } | ApiError::Blocked { .. } => true,
            _ => false,
        };
        if transient {
            FailureKind::Transient
        } else {
            FailureKind::Permanent
        }
    }

    fn may_have_reached_server(&self) -> bool {
        match self {
            ApiError::Transport { source, .. } => source.may_have_reached_server(),
            ApiError::Config { .. }
            | ApiError::InvalidHeader { .. }
            | ApiError::Request { .. }
            | ApiError::Signer { .. }
            | ApiError::OverBudget { .. } => false,
            // The edge stopped it, but whether the API behind saw it is not for the client
            // to know: counted as sent (a refresh token in it is not presented again).
            ApiError::Refused { .. } | ApiError::Blocked { .. } | ApiError::Malformed { .. } => {
                true
            }
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            ApiError::Refused { retry_after, .. } => *retry_after,
            ApiError::OverBudget { retry_after, .. } | ApiError::Blocked { retry_after, .. } => {
                Some(*retry_after)
            }
            _ => None,
        }
    }

    fn http_status(&self) -> Option<u16> {
        self.status().map(|status| status.as_u16())
    }
}

/// A provider's error: a failure every provider can have ([`ApiError`]) or one of the
/// provider's own (`P`, which classifies itself through [`Failure`]).
///
/// A provider declares its own variants and nothing else, and names its error
/// `type PearError = ProviderError<PearFailure>`; classification ([`Failure`]), the status,
/// and the conversion from [`ApiError`] are written here once.
///
/// ```
/// use auth_provider::{ApiError, Failure, FailureKind, ProviderError};
///
/// #[derive(Debug, thiserror::Error)]
/// #[non_exhaustive]
/// enum AcmeFailure {
///     #[error("Acme sent no token; nothing was stored")]
///     NoToken,
/// }
///
/// impl Failure for AcmeFailure {
///     fn kind(&self) -> FailureKind {
///         FailureKind::Permanent
///     }
/// }
///
/// type AcmeError = ProviderError<AcmeFailure>;
///
/// let limited: AcmeError = ApiError::Refused {
///     api: "Acme",
///     status: http::StatusCode::TOO_MANY_REQUESTS,
///     message: "slow down".into(),
///     messages: vec!["slow down".into()],
///     retry_after: Some(std::time::Duration::from_secs(3)),
/// }
/// .into();
/// assert!(limited.is_transient());
/// assert_eq!(limited.retry_after(), Some(std::time::Duration::from_secs(3)));
///
/// let own = AcmeError::Provider(AcmeFailure::NoToken);
/// assert_eq!(own.kind(), FailureKind::Permanent);
/// assert_eq!(own.status(), None);
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProviderError<P> {
    /// A failure any provider can have: settings, transport, refusals, bad answers,
    /// signers.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// A failure of this provider's own.
    #[error(transparent)]
    Provider(P),
}

impl<P: Failure> ProviderError<P> {
    /// The failure any provider can have, if this is one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            ProviderError::Api(e) => Some(e),
            ProviderError::Provider(_) => None,
        }
    }

    /// The provider's own failure, if this is one.
    pub fn provider_failure(&self) -> Option<&P> {
        match self {
            ProviderError::Api(_) => None,
            ProviderError::Provider(own) => Some(own),
        }
    }

    /// The HTTP status, when the failure is (or comes from) the server's answer.
    pub fn status(&self) -> Option<StatusCode> {
        self.http_status()
            .and_then(|status| StatusCode::from_u16(status).ok())
    }
}

impl<P: Failure> Failure for ProviderError<P> {
    fn kind(&self) -> FailureKind {
        match self {
            ProviderError::Api(e) => e.kind(),
            ProviderError::Provider(own) => own.kind(),
        }
    }

    fn may_have_reached_server(&self) -> bool {
        match self {
            ProviderError::Api(e) => e.may_have_reached_server(),
            ProviderError::Provider(own) => own.may_have_reached_server(),
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            ProviderError::Api(e) => e.retry_after(),
            ProviderError::Provider(own) => own.retry_after(),
        }
    }

    fn http_status(&self) -> Option<u16> {
        match self {
            ProviderError::Api(e) => e.http_status(),
            ProviderError::Provider(own) => own.http_status(),
        }
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
        assert_eq!(refused(500, None).kind(), FailureKind::Transient);
        assert_eq!(refused(401, None).kind(), FailureKind::Permanent);
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
