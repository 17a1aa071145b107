//! What every handle of a pool shares: the sessions, the keys leaving, the gates.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use auth_session::{Authenticator, Session};
use auth_types::lock;
use tokio::sync::{Semaphore, watch};
use tokio::time::Instant;

use crate::authenticator::{PooledAuthenticator, PooledSession};
use crate::builder::{Configure, EgressOf, Factory, REFRESH_BUFFER};
use crate::egress::{DEFAULT_EGRESS, Gates};
use crate::error::PoolError;
use crate::store::StoreFactory;

/// What every handle of a pool shares.
pub(crate) struct Shared<K, A: Authenticator> {
    pub(crate) factory: Arc<Factory<K, A>>,
    pub(crate) egress: Option<Arc<EgressOf<K>>>,
    pub(crate) stores: StoreFactory,
    pub(crate) refresh_jitter: Duration,
    /// Sessions made so far: the next one's share of the jitter window.
    pub(crate) made: AtomicU64,
    pub(crate) configure: Option<Arc<Configure<A>>>,
    pub(crate) idle_timeout: Option<Duration>,
    pub(crate) logout_on_evict: bool,
    pub(crate) gates: Gates,
    pub(crate) table: Mutex<Table<K, A>>,
    /// The origin of the slots' use stamps.
    pub(crate) started: Instant,
    /// Evictions running at once.
    pub(crate) sweep_permits: Arc<Semaphore>,
    pub(crate) evictions: Arc<Evictions>,
    /// The background sweep, stopped when the pool is dropped.
    pub(crate) sweep: Mutex<Option<tokio::task::AbortHandle>>,
}

/// The sessions, and the keys whose eviction is under way.
pub(crate) struct Table<K, A: Authenticator> {
    pub(crate) live: HashMap<K, Arc<Slot<A>>>,
    /// Resolved (`true`) when the key's evicted session is logged out: a new session of
    /// that key is made only then, so the old one's logout never clears what the new one
    /// stored.
    pub(crate) leaving: HashMap<K, watch::Receiver<bool>>,
}

/// One key's session and when it was last used.
pub(crate) struct Slot<A: Authenticator> {
    pub(crate) session: PooledSession<A>,
    /// Milliseconds from the pool's start to the last use.
    pub(crate) last_used: AtomicU64,
}

/// Counters of evictions, shared with the eviction tasks.
#[derive(Debug, Default)]
pub(crate) struct Evictions {
    pub(crate) evicted: AtomicU64,
    pub(crate) failed_logouts: AtomicU64,
}

impl<K, A: Authenticator> Shared<K, A> {
    /// Milliseconds since the pool started.
    pub(crate) fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// A new session of `key`.
    pub(crate) fn make_slot(&self, key: &K, now: u64) -> Result<Slot<A>, PoolError<A::Error>> {
        let authenticator = (self.factory)(key).map_err(|source| PoolError::Factory { source })?;
        let egress: Arc<str> = match &self.egress {
            Some(egress_of) => egress_of(key).map_or(Arc::from(DEFAULT_EGRESS), Arc::from),
            None => Arc::from(DEFAULT_EGRESS),
        };
        let gate = self.gates.gate(&egress);
        let pooled = PooledAuthenticator::new(authenticator, gate, egress);
        let identity = pooled.identity();
        let store = self
            .stores
            .open(&identity)
            .map_err(|source| PoolError::Store {
                identity: Box::new(identity),
                source: Arc::new(source),
            })?;
        let share = spread(
            self.made.fetch_add(1, Ordering::Relaxed),
            self.refresh_jitter,
        );
        let mut builder = Session::builder(pooled)
            .token_store(store)
            .refresh_buffer(REFRESH_BUFFER.saturating_add(share))
            .refresh_jitter(Duration::ZERO);
        if let Some(configure) = &self.configure {
            builder = configure(builder);
        }
        Ok(Slot {
            session: builder.build(),
            last_used: AtomicU64::new(now),
        })
    }
}

/// The `n`-th session's share of `window`: the fractional part of `n` times the golden
/// ratio, of the window. Any `m` sessions made in a row land in `m` distinct points of
/// the window whose gaps take at most three sizes (the three-distance theorem): every
/// second of a 60 s window gets 1,000 sessions' share within one of the even 16.7, where
/// random draws would pile 25 or more into some second.
pub(crate) fn spread(n: u64, window: Duration) -> Duration {
    /// 2^64 divided by the golden ratio: multiplying by it wraps to the fractional part.
    const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;
    let fraction = n.wrapping_mul(GOLDEN);
    let nanos = u128::from(fraction).saturating_mul(window.as_nanos()) >> 64;
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}

impl<A: Authenticator> Slot<A> {
    pub(crate) fn touch(&self, now: u64) {
        self.last_used.fetch_max(now, Ordering::Relaxed);
    }

    /// Whether unused for `idle` at `now`.
    pub(crate) fn idle_at(&self, now: u64, idle: Duration) -> bool {
        let idle = u64::try_from(idle.as_millis()).unwrap_or(u64::MAX);
        now.saturating_sub(self.last_used.load(Ordering::Relaxed)) >= idle
    }
}

impl<K, A: Authenticator> Drop for Shared<K, A> {
    fn drop(&mut self) {
        if let Some(sweep) = lock(&self.sweep).take() {
            sweep.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thousand_shares_cover_a_minute_at_most_a_few_to_a_second() {
        let window = Duration::from_secs(60);
        let mut per_second = [0u32; 60];
        for n in 0..1_000 {
            let share = spread(n, window);
            assert!(share < window);
            per_second[usize::try_from(share.as_secs()).unwrap_or(59)] += 1;
        }
        // 1,000 / 60 = 16.7 on average: every second gets 16 or 17, give or take one
        // (uniform random draws would give some second 25 or more).
        assert!(
            per_second.iter().all(|&n| (15..=18).contains(&n)),
            "{per_second:?}"
        );
        assert_eq!(spread(0, window), Duration::ZERO);
        assert_eq!(spread(7, Duration::ZERO), Duration::ZERO);
    }
}
