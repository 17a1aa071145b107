//! Idle logout: a watcher task logs out once no `access_token` call came for the idle
//! timeout, and a cheap activity stamp that the fast path updates.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use super::Inner;
use crate::authenticator::Authenticator;
use crate::rt::{self, Instant, lock};

impl<A: Authenticator> Inner<A> {
    /// Starts a new idle watcher (after new tokens), replacing the old one.
    pub(super) fn restart_idle_watch(self: &Arc<Self>) {
        let Some(idle) = self.config.idle_timeout else {
            return;
        };
        let watcher = rt::spawn(idle_watch(Arc::downgrade(self), idle));
        if let Some(old) = lock(&self.idle_watch).replace(watcher) {
            old.abort();
        }
    }

    /// When the session counts as idle, if idle logout is on.
    fn idle_deadline(&self, idle: Duration) -> Option<Instant> {
        self.activity.as_ref()?.deadline(idle)
    }
}

impl<A: Authenticator> Drop for Inner<A> {
    fn drop(&mut self) {
        if let Some(watcher) = lock(&self.idle_watch).take() {
            watcher.abort();
        }
    }
}

/// Logs out once the session has been idle long enough. Holds only a weak reference, so
/// it ends when the session is dropped (which also aborts it).
async fn idle_watch<A: Authenticator>(session: Weak<Inner<A>>, idle: Duration) {
    loop {
        let Some(deadline) = session
            .upgrade()
            .and_then(|inner| inner.idle_deadline(idle))
        else {
            return;
        };
        rt::sleep_until(deadline).await;
        let Some(inner) = session.upgrade() else {
            return;
        };
        if inner.current.load().is_none() {
            return; // Logged out already.
        }
        if inner.idle_deadline(idle).is_some_and(|d| d <= rt::now()) {
            if let Err(error) = inner.logout().await {
                tracing::warn!(%error, "idle logout failed on the server; local tokens were cleared");
            }
            return;
        }
    }
}

/// The time of the last use, kept cheap for the fast path: the shared value is written
/// only when it is at least `step` old, so concurrent callers rarely write one cache line.
pub(super) struct Activity {
    base: Instant,
    last_ms: AtomicU64,
    step_ms: u64,
}

impl Activity {
    /// No use yet, for an idle timeout of `idle`.
    pub(super) fn new(idle: Duration) -> Self {
        let step = (idle / 32).min(Duration::from_secs(1));
        Activity {
            base: rt::now(),
            last_ms: AtomicU64::new(0),
            step_ms: millis(step).max(1),
        }
    }

    /// Records a use at `now`.
    pub(super) fn touch(&self, now: Instant) {
        let ms = millis(now.saturating_duration_since(self.base));
        if ms.saturating_sub(self.last_ms.load(Ordering::Relaxed)) >= self.step_ms {
            self.last_ms.fetch_max(ms, Ordering::Relaxed);
        }
    }

    /// The last use plus `idle`, plus the recording step so a logout is never early.
    fn deadline(&self, idle: Duration) -> Option<Instant> {
        let last = self.last_ms.load(Ordering::Relaxed);
        self.base
            .checked_add(Duration::from_millis(last.saturating_add(self.step_ms)))?
            .checked_add(idle)
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
