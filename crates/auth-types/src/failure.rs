//! How every error of the workspace answers the questions a caller asks of a failure.

use std::time::Duration;

/// What a failed login, refresh or logout means for the session that asked for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FailureKind {
    /// Worth trying again later: a network failure, a timeout, a 429 or a 5xx.
    Transient,
    /// The server refused the refresh token (or may have spent it): log in again.
    RefreshRejected,
    /// Trying again will not help: bad credentials, a refused request, a bad answer.
    Permanent,
}

/// The questions asked of any failure, answered once per error type.
///
/// Transport, provider and session errors all implement it, so retry policies, logs and
/// the session ask one trait whatever the layer. Only [`Failure::kind`] is required; the
/// defaults are the cautious answers (nothing to wait for, no status, and "the server may
/// have seen the request", which forbids blind retries of anything that is not idempotent).
///
/// ```
/// use auth_types::{Failure, FailureKind};
///
/// #[derive(Debug, thiserror::Error)]
/// #[error("the wallet is locked; unlock it and try again")]
/// struct Locked;
///
/// impl Failure for Locked {
///     fn kind(&self) -> FailureKind {
///         FailureKind::Permanent
///     }
///     fn may_have_reached_server(&self) -> bool {
///         false
///     }
/// }
///
/// assert!(!Locked.is_transient());
/// assert_eq!(Locked.retry_after(), None);
/// ```
pub trait Failure: std::error::Error + Send + Sync + 'static {
    /// What the failure means for the session: try again, log in again, or give up.
    fn kind(&self) -> FailureKind;

    /// Whether trying again later may succeed ([`FailureKind::Transient`]).
    fn is_transient(&self) -> bool {
        self.kind() == FailureKind::Transient
    }

    /// Whether the request may have reached the server (and had its effect there).
    ///
    /// `false` only when it certainly did not: a failure to connect, a refusal before
    /// sending, a signer that failed.
    fn may_have_reached_server(&self) -> bool {
        true
    }

    /// How long the server asked to wait before trying again (`Retry-After`), if it did.
    fn retry_after(&self) -> Option<Duration> {
        None
    }

    /// The HTTP status of the server's answer, when the failure is an answer.
    fn http_status(&self) -> Option<u16> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("busy")]
    struct Busy;

    impl Failure for Busy {
        fn kind(&self) -> FailureKind {
            FailureKind::Transient
        }
    }

    #[test]
    fn the_defaults_are_the_cautious_answers() {
        assert!(Busy.is_transient());
        assert!(Busy.may_have_reached_server());
        assert_eq!(Busy.retry_after(), None);
        assert_eq!(Busy.http_status(), None);
    }
}
