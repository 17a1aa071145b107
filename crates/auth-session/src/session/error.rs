//! What can go wrong when a session asks for a token or logs out.

use std::sync::Arc;
use std::time::Duration;

use crate::authenticator::{AuthError, FailureKind};
use auth_store::StoreError;

/// Why a [`Session`](crate::Session) could not hand out a token or log out.
///
/// `E` is the authenticator's error. It sits behind an [`Arc`] because one login or
/// refresh answers every caller that waited for it. Reach it by matching (`source`
/// derefs to `E`); in the [`std::error::Error::source`] chain it appears as the `Arc<E>`
/// (downcast to that). Messages never contain token text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError<E> {
    /// Logging in failed (also after a refresh token was rejected).
    #[error("login failed: {source}")]
    Login {
        /// The authenticator's error.
        source: Arc<E>,
    },
    /// Refreshing failed with a transient or permanent error (a rejected refresh token
    /// leads to a login instead).
    #[error("token refresh failed: {source}")]
    Refresh {
        /// The authenticator's error.
        source: Arc<E>,
    },
    /// The last login or refresh failed with a hint to wait, which has not passed yet; the
    /// session does not call the server until then.
    #[error("waiting {retry_in:?} before trying again, as the server asked: {source}")]
    Backoff {
        /// How long until the session tries again.
        retry_in: Duration,
        /// The failure that asked for the wait.
        source: Arc<E>,
    },
    /// The server refused or failed the logout. The local tokens (in memory and in the
    /// store) were cleared anyway.
    #[error("logout on the server failed, local tokens were cleared anyway: {source}")]
    Logout {
        /// The authenticator's error.
        source: Arc<E>,
    },
    /// A login or refresh in progress did not finish in time. It goes on in the background
    /// and the next call uses its result.
    #[error(
        "no login or refresh result within {after:?}; try again, or raise the session's wait timeout"
    )]
    Timeout {
        /// The wait timeout that passed.
        after: Duration,
    },
    /// The login or refresh task ended without a result: it panicked, or the runtime is
    /// shutting down.
    #[error("the login or refresh task stopped without a result; try again")]
    Interrupted,
    /// The server issued an access token that has already expired by our clock (its JWT
    /// `exp` is in the past, or its lifetime is zero). A refresh token that came with it
    /// is kept (and saved). The session does not try again for 30 s (at most the
    /// session's `max_retry_after`); calls meanwhile get this error at once.
    #[error(
        "the server issued an access token that has already expired; check that the system clock is right"
    )]
    ExpiredOnArrival,
    /// The session was logged out while this call waited for a new token. The call did
    /// not log back in; call again to log in.
    #[error("the session was logged out while waiting for a token; call again to log in")]
    LoggedOut,
    /// A logout did not get to tell the server, because a login or refresh in progress
    /// did not finish within the wait timeout. The tokens were forgotten locally and in
    /// the store; whatever that login or refresh still obtains is revoked, not used.
    #[error(
        "logout gave up after {after:?} waiting for a login or refresh in progress; local tokens were cleared, but the server session may live until it expires: raise the session's wait timeout to wait longer"
    )]
    LogoutTimeout {
        /// The wait timeout that passed.
        after: Duration,
    },
    /// The token store failed: while clearing tokens at logout (the tokens in memory were
    /// cleared; the stored ones may remain), or, for a store shared by several sessions,
    /// another session held the renewal lease longer than this one waits
    /// ([`StoreError::LeaseTimeout`], transient).
    #[error("the token store failed: {source}")]
    Store {
        /// The store's error.
        source: Arc<StoreError>,
    },
}

impl<E: AuthError> SessionError<E> {
    /// Whether trying again later may succeed without any change: a transient
    /// authenticator failure, a backoff, a timeout or an interruption.
    pub fn is_transient(&self) -> bool {
        AuthError::is_transient(self)
    }
}

/// A session's failure answers the same questions as its authenticator's.
impl<E: AuthError> AuthError for SessionError<E> {
    fn kind(&self) -> FailureKind {
        match self {
            SessionError::Login { source }
            | SessionError::Refresh { source }
            | SessionError::Logout { source } => source.kind(),
            SessionError::Backoff { .. }
            | SessionError::Timeout { .. }
            | SessionError::Interrupted => FailureKind::Transient,
            SessionError::Store { source } => {
                if matches!(**source, StoreError::LeaseTimeout { .. }) {
                    FailureKind::Transient
                } else {
                    FailureKind::Permanent
                }
            }
            SessionError::ExpiredOnArrival
            | SessionError::LoggedOut
            | SessionError::LogoutTimeout { .. } => FailureKind::Permanent,
        }
    }

    fn may_have_reached_server(&self) -> bool {
        match self {
            SessionError::Login { source }
            | SessionError::Refresh { source }
            | SessionError::Logout { source } => source.may_have_reached_server(),
            // Nothing was sent: the session waits out the server's backoff, was logged
            // out, or its store failed before any request.
            SessionError::Backoff { .. } | SessionError::LoggedOut | SessionError::Store { .. } => {
                false
            }
            SessionError::Timeout { .. }
            | SessionError::Interrupted
            | SessionError::ExpiredOnArrival
            | SessionError::LogoutTimeout { .. } => true,
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            SessionError::Backoff { retry_in, .. } => Some(*retry_in),
            SessionError::Login { source } | SessionError::Refresh { source } => {
                source.retry_after()
            }
            _ => None,
        }
    }

    fn http_status(&self) -> Option<u16> {
        match self {
            SessionError::Login { source }
            | SessionError::Refresh { source }
            | SessionError::Logout { source }
            | SessionError::Backoff { source, .. } => source.http_status(),
            _ => None,
        }
    }
}

impl<E> Clone for SessionError<E> {
    fn clone(&self) -> Self {
        match self {
            SessionError::Login { source } => SessionError::Login {
                source: Arc::clone(source),
            },
            SessionError::Refresh { source } => SessionError::Refresh {
                source: Arc::clone(source),
            },
            SessionError::Backoff { retry_in, source } => SessionError::Backoff {
                retry_in: *retry_in,
                source: Arc::clone(source),
            },
            SessionError::Logout { source } => SessionError::Logout {
                source: Arc::clone(source),
            },
            SessionError::Timeout { after } => SessionError::Timeout { after: *after },
            SessionError::Interrupted => SessionError::Interrupted,
            SessionError::ExpiredOnArrival => SessionError::ExpiredOnArrival,
            SessionError::LoggedOut => SessionError::LoggedOut,
            SessionError::LogoutTimeout { after } => SessionError::LogoutTimeout { after: *after },
            SessionError::Store { source } => SessionError::Store {
                source: Arc::clone(source),
            },
        }
    }
}
