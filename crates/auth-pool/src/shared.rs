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
use crate::builder::{Configure, EgressOf, Factory};
use crate::egress::{DEFAULT_EGRESS, Gates};
use crate::error::PoolError;
use crate::store::StoreFactory;

/// What every handle of a pool shares.
pub(crate) struct Shared<K, A: Authenticator> {
    pub(crate) factory: Arc<Factory<K, A>>,
    pub(crate) egress: Option<Arc<EgressOf<K>>>,
    pub(crate) stores: StoreFactory,
    pub(crate) refresh_jitter: Duration,
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
        let mut builder = Session::builder(pooled)
            .token_store(store)
            .refresh_jitter(self.refresh_jitter);
        if let Some(configure) = &self.configure {
            builder = configure(builder);
        }
        Ok(Slot {
            session: builder.build(),
            last_used: AtomicU64::new(now),
        })
    }
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
