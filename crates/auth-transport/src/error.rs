//! Transport failures, classified for retry decisions.

use std::time::Duration;

use auth_types::{Failure, FailureKind};

/// A boxed error source.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why a request got no complete HTTP response.
///
/// An HTTP error status (4xx, 5xx) is *not* a `TransportError`: it is a response, passed
/// through untouched. Each variant says whether the request may have reached the server
/// ([`TransportError::may_have_reached_server`]) and whether trying again could help
/// ([`TransportError::is_retryable`]).
///
/// Messages never include the request URL's query or body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// No connection could be made (refused, unreachable, DNS, connect timeout). The
    /// request was not sent.
    #[error("could not connect to {host}: {source}")]
    Connect {
        /// The host and port that was dialled.
        host: String,
        /// The underlying error.
        #[source]
        source: BoxError,
    },
    /// The TLS handshake failed (certificate, protocol). The request was not sent.
    #[error("TLS handshake with {host} failed: {source}")]
    Tls {
        /// The host that was dialled.
        host: String,
        /// The underlying error.
        #[source]
        source: BoxError,
    },
    /// No complete response within the whole-request timeout. The server may have
    /// received and processed the request.
    #[error(
        "no complete response within {after:?}; the server may still have processed the request"
    )]
    Timeout {
        /// The timeout that expired.
        after: Duration,
    },
    /// The response body is larger than the configured cap; reading stopped there.
    #[error(
        "response body exceeds the limit of {limit} bytes; raise the transport's body cap if this server is trusted"
    )]
    BodyTooLarge {
        /// The cap, in bytes.
        limit: usize,
    },
    /// The connection failed after the request was (possibly) sent, e.g. closed mid-body.
    #[error("connection failed during the exchange: {source}")]
    Io {
        /// The underlying error.
        #[source]
        source: BoxError,
    },
    /// The request was refused before sending, by a policy such as the URL policy.
    #[error("request not sent: {reason}")]
    Refused {
        /// Why, and what to do about it.
        reason: String,
    },
    /// The request could not be built or sent as given (bad URI, unsupported scheme).
    #[error("invalid request: {reason}")]
    InvalidRequest {
        /// What is wrong.
        reason: String,
    },
    /// Anything else a custom transport needs to report.
    #[error("{message}")]
    Other {
        /// What went wrong.
        message: String,
        /// Whether the request may have reached the server (assume yes if unsure).
        reached_server: bool,
        /// The underlying error, if any.
        #[source]
        source: Option<BoxError>,
    },
}

impl TransportError {
    /// Whether the server may have received (and acted on) the request. `false` only when
    /// the request provably never left: connect and TLS failures, refusals, invalid
    /// requests. A non-idempotent request must not be repeated when this is `true`.
    /// (The same answer as [`Failure::may_have_reached_server`].)
    pub fn may_have_reached_server(&self) -> bool {
        Failure::may_have_reached_server(self)
    }

    /// Whether the same request could succeed if tried again later (a transient network
    /// problem), as opposed to a failure that repeats (TLS, body cap, policy). (The same
    /// answer as [`Failure::is_transient`].)
    pub fn is_retryable(&self) -> bool {
        Failure::is_transient(self)
    }

    /// A failure that a custom transport reports, with its source.
    pub fn other(
        message: impl Into<String>,
        reached_server: bool,
        source: impl Into<BoxError>,
    ) -> Self {
        TransportError::Other {
            message: message.into(),
            reached_server,
            source: Some(source.into()),
        }
    }
}

/// The one place a transport failure is classified.
impl Failure for TransportError {
    fn kind(&self) -> FailureKind {
        match self {
            TransportError::Connect { .. }
            | TransportError::Timeout { .. }
            | TransportError::Io { .. } => FailureKind::Transient,
            TransportError::Tls { .. }
            | TransportError::BodyTooLarge { .. }
            | TransportError::Refused { .. }
            | TransportError::InvalidRequest { .. }
            | TransportError::Other { .. } => FailureKind::Permanent,
        }
    }

    fn may_have_reached_server(&self) -> bool {
        match self {
            TransportError::Connect { .. }
            | TransportError::Tls { .. }
            | TransportError::Refused { .. }
            | TransportError::InvalidRequest { .. } => false,
            TransportError::Other { reached_server, .. } => *reached_server,
            TransportError::Timeout { .. }
            | TransportError::BodyTooLarge { .. }
            | TransportError::Io { .. } => true,
        }
    }
}
