//! The server's request to wait: after a transient failure with a `retry_after`, no new
//! login or refresh starts until that time has passed (at most the session's
//! `max_retry_after`, so that a hostile or broken `Retry-After` cannot lock a session out).

use std::sync::Arc;
use std::time::Duration;

use super::error::SessionError;
use super::{Inner, Outcome};
use crate::authenticator::{AuthError, Authenticator, FailureKind};
use crate::rt::{self, Instant, lock};

/// How long the session pauses after a token that expired on arrival (a wrong clock
/// does not fix itself in a moment; logging in again at once would only sign again).
const EXPIRED_ON_ARRIVAL_PAUSE: Duration = Duration::from_secs(30);

/// The longest backoff, whatever `max_retry_after` says: far enough to mean "until the
/// process ends", near enough that `Instant + FOREVER` does not overflow.
const FOREVER: Duration = Duration::from_secs(30 * 365 * 24 * 3600);

/// `now + after`, saturated at [`FOREVER`]: a huge wait stays a wait, never an overflow
/// (a failed `checked_add` used to drop the backoff altogether).
fn later(now: Instant, after: Duration) -> Instant {
    now.checked_add(after.min(FOREVER)).unwrap_or(now)
}

/// No login or refresh before `until`, because of `cause`.
pub(super) struct Backoff<E> {
    until: Instant,
    /// A transient login or refresh failure, or [`SessionError::ExpiredOnArrival`].
    cause: SessionError<E>,
}

impl<E> Backoff<E> {
    /// What a flight's `outcome` asks for: a backoff after a transient failure that came
    /// with a `retry_after` (at most `cap`), a pause after a token that expired on
    /// arrival, else none.
    fn after(outcome: &Outcome<E>, now: Instant, cap: Duration) -> Option<Self>
    where
        E: AuthError,
    {
        match outcome {
            Err(SessionError::Login { source } | SessionError::Refresh { source })
                if source.kind() == FailureKind::Transient =>
            {
                let until = later(now, source.retry_after()?.min(cap));
                Some(Backoff {
                    until,
                    cause: SessionError::Refresh {
                        source: Arc::clone(source),
                    },
                })
            }
            Err(SessionError::ExpiredOnArrival) => Some(Backoff {
                until: later(now, EXPIRED_ON_ARRIVAL_PAUSE.min(cap)),
                cause: SessionError::ExpiredOnArrival,
            }),
            _ => None,
        }
    }

    /// [`SessionError::Backoff`] (or the [`SessionError::ExpiredOnArrival`] that caused
    /// the pause) while the wait runs at `now`.
    pub(super) fn check(&self, now: Instant) -> Result<(), SessionError<E>> {
        if now >= self.until {
            return Ok(());
        }
        Err(match &self.cause {
            SessionError::Login { source } | SessionError::Refresh { source } => {
                SessionError::Backoff {
                    retry_in: self.until.saturating_duration_since(now),
                    source: Arc::clone(source),
                }
            }
            other => other.clone(),
        })
    }
}

impl<A: Authenticator> Inner<A> {
    /// Remembers the server's request to wait, or forgets an old one.
    pub(super) fn note_backoff(&self, outcome: &Outcome<A::Error>) {
        let cap = self.config.max_retry_after;
        lock(&self.flight).backoff = Backoff::after(outcome, rt::now(), cap);
    }
}
