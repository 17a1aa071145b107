//! The server's request to wait: after a transient failure with a `retry_after`, no new
//! login or refresh starts until that time has passed (at most the session's
//! `max_retry_after`, so that a hostile or broken `Retry-After` cannot lock a session out).

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use super::flight::Outcome;
use super::{Inner, lock};
use crate::authenticator::{AuthError, Authenticator, FailureKind};
use crate::error::SessionError;

/// No login or refresh before `until`, because of `source`.
pub(super) struct Backoff<E> {
    until: Instant,
    source: Arc<E>,
}

impl<E> Backoff<E> {
    /// What a flight's `outcome` asks for: a backoff after a transient failure that came
    /// with a `retry_after` (at most `cap`), else none.
    fn after(outcome: &Outcome<E>, now: Instant, cap: Duration) -> Option<Self>
    where
        E: AuthError,
    {
        match outcome {
            Err(SessionError::Login { source } | SessionError::Refresh { source })
                if source.kind() == FailureKind::Transient =>
            {
                let until = now.checked_add(source.retry_after()?.min(cap))?;
                Some(Backoff {
                    until,
                    source: Arc::clone(source),
                })
            }
            _ => None,
        }
    }

    /// [`SessionError::Backoff`] while the wait runs at `now`.
    pub(super) fn check(&self, now: Instant) -> Result<(), SessionError<E>> {
        if now < self.until {
            return Err(SessionError::Backoff {
                retry_in: self.until - now,
                source: Arc::clone(&self.source),
            });
        }
        Ok(())
    }
}

impl<A: Authenticator> Inner<A> {
    /// Remembers the server's request to wait, or forgets an old one.
    pub(super) fn note_backoff(&self, outcome: &Outcome<A::Error>) {
        let cap = self.config.max_retry_after;
        lock(&self.flight).backoff = Backoff::after(outcome, Instant::now(), cap);
    }

    /// Forgets the server's request to wait (at logout).
    pub(super) fn forget_backoff(&self) {
        lock(&self.flight).backoff = None;
    }
}
