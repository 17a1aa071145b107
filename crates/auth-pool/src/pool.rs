//! [`SessionPool`]: sessions per key, made on first use, kept, and handed out.

use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use auth_session::{Authenticator, Session};
use auth_types::{AccessToken, lock};
use tokio::sync::{Semaphore, watch};
use tokio::time::Instant;

use crate::authenticator::PooledAuthenticator;
use crate::builder::{Configure, EgressOf, Factory, PoolBuilder};
use crate::egress::{DEFAULT_EGRESS, Gates};
use crate::error::{FactoryError, PoolError};
use crate::stats::PoolStats;
use crate::store::StoreFactory;
use crate::sweep;

/// A session of the pool.
pub type PooledSession<A> = Session<PooledAuthenticator<A>>;

/// Many sessions, one per key, in one process: see the [crate documentation](crate).
///
/// `SessionPool` is a cheap handle: clones share the same sessions. Dropping the last
/// one stops the sweep and drops the sessions without logging them out (their tokens
/// stay in their stores for the next process); [`logout_all`](Self::logout_all) first
/// ends them on the server.
pub struct SessionPool<K, A: Authenticator> {
    shared: Arc<Shared<K, A>>,
}

impl<K, A: Authenticator> Clone for SessionPool<K, A> {
    fn clone(&self) -> Self {
        SessionPool {
            shared: Arc::clone(&self.shared),
        }
    }
}

/// What every handle of a pool shares.
pub(crate) struct Shared<K, A: Authenticator> {
    factory: Arc<Factory<K, A>>,
    egress: Option<Arc<EgressOf<K>>>,
    stores: StoreFactory,
    refresh_jitter: Duration,
    configure: Option<Arc<Configure<A>>>,
    pub(crate) idle_timeout: Option<Duration>,
    pub(crate) logout_on_evict: bool,
    pub(crate) gates: Gates,
    pub(crate) table: Mutex<Table<K, A>>,
    /// The origin of the slots' use stamps.
    started: Instant,
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
    last_used: AtomicU64,
}

/// Counters of evictions, shared with the eviction tasks.
#[derive(Debug, Default)]
pub(crate) struct Evictions {
    pub(crate) evicted: AtomicU64,
    pub(crate) failed_logouts: AtomicU64,
}

impl<K, A> SessionPool<K, A>
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
    A: Authenticator,
{
    /// Starts configuring a pool whose sessions' authenticators `factory` makes, one per
    /// key, on the key's first use. It is called under the pool's lock: keep it cheap
    /// (share one HTTP client among the authenticators, open no connection). An error is
    /// returned to that caller as [`PoolError::Factory`] and nothing is kept.
    pub fn builder<F, E>(factory: F) -> PoolBuilder<K, A>
    where
        F: Fn(&K) -> Result<A, E> + Send + Sync + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let factory: Arc<Factory<K, A>> =
            Arc::new(move |key: &K| factory(key).map_err(|error| FactoryError::from(error.into())));
        PoolBuilder::new(factory)
    }

    pub(crate) fn from_builder(builder: PoolBuilder<K, A>) -> Self {
        let sweep_every = builder.sweep_every();
        let shared = Arc::new(Shared {
            factory: builder.factory,
            egress: builder.egress,
            stores: builder.stores,
            refresh_jitter: builder.refresh_jitter,
            configure: builder.configure,
            idle_timeout: builder.idle_timeout,
            logout_on_evict: builder.logout_on_evict,
            gates: Gates::new(builder.max_in_flight),
            table: Mutex::new(Table {
                live: HashMap::new(),
                leaving: HashMap::new(),
            }),
            started: Instant::now(),
            sweep_permits: Arc::new(Semaphore::new(builder.sweep_concurrency)),
            evictions: Arc::new(Evictions::default()),
            sweep: Mutex::new(None),
        });
        if let Some(every) = sweep_every {
            sweep::start(&shared, every);
        }
        SessionPool { shared }
    }

    /// The session of `key`, made on first use (no network call: the session logs in on
    /// its first [`access_token`](Session::access_token)). Counts as a use of `key`.
    ///
    /// A session kept outside the pool and used directly is not seen as used: the sweep
    /// may evict it while it is held. Take the token through
    /// [`access_token`](Self::access_token), or take the session again each time.
    ///
    /// # Errors
    ///
    /// [`PoolError::Factory`] or [`PoolError::Store`] when the session could not be made.
    pub async fn session(&self, key: &K) -> Result<PooledSession<A>, PoolError<A::Error>> {
        Ok(self.slot(key).await?.session.clone())
    }

    /// A live access token of `key`'s session: [`Session::access_token`], on a session
    /// made on first use.
    ///
    /// # Errors
    ///
    /// As [`session`](Self::session), and the session's error ([`PoolError::Session`]).
    pub async fn access_token(&self, key: &K) -> Result<AccessToken, PoolError<A::Error>> {
        let slot = self.slot(key).await?;
        let token = slot.session.access_token().await;
        // A login may take longer than the idle time: its end is a use too.
        slot.touch(self.shared.now_ms());
        Ok(token?)
    }

    /// The number of sessions kept.
    pub fn len(&self) -> usize {
        lock(&self.shared.table).live.len()
    }

    /// Whether no session is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `key` has a session.
    pub fn contains(&self, key: &K) -> bool {
        lock(&self.shared.table).live.contains_key(key)
    }

    /// What the pool has done and is doing. Cheap (a lock and a few atomic reads).
    pub fn stats(&self) -> PoolStats {
        let sessions = self.len();
        let counts = &self.shared.gates.counts;
        let evictions = &self.shared.evictions;
        PoolStats {
            sessions,
            egresses: self.shared.gates.egresses(),
            logins: counts.logins.load(Ordering::Relaxed),
            refreshes: counts.refreshes.load(Ordering::Relaxed),
            failures: counts.failures.load(Ordering::Relaxed),
            in_flight: counts.in_flight.load(Ordering::Relaxed),
            waiting: counts.waiting.load(Ordering::Relaxed),
            max_in_flight: counts.max_in_flight.load(Ordering::Relaxed),
            evicted: evictions.evicted.load(Ordering::Relaxed),
            failed_logouts: evictions.failed_logouts.load(Ordering::Relaxed),
        }
    }

    /// Evicts the sessions unused for the idle timeout now, as the background sweep does,
    /// and waits for their logouts; returns how many were evicted. Nothing without an
    /// idle timeout.
    pub async fn evict_idle(&self) -> usize {
        sweep::evict_idle(&self.shared).await
    }

    /// Logs every session out and drops it (as an eviction does, logging out even if
    /// [`logout_on_evict`](PoolBuilder::logout_on_evict) is off); returns how many. A
    /// failed logout is counted in [`PoolStats::failed_logouts`] and logged.
    pub async fn logout_all(&self) -> usize {
        sweep::evict(&self.shared, |_| true, true).await
    }

    /// Stops the background sweep (dropping the pool stops it too).
    pub fn stop_sweep(&self) {
        if let Some(sweep) = lock(&self.shared.sweep).take() {
            sweep.abort();
        }
    }

    /// The slot of `key`, made if missing, once an eviction of `key` under way is over.
    async fn slot(&self, key: &K) -> Result<Arc<Slot<A>>, PoolError<A::Error>> {
        loop {
            let mut leaving = {
                let mut table = lock(&self.shared.table);
                let now = self.shared.now_ms();
                if let Some(slot) = table.live.get(key) {
                    slot.touch(now);
                    return Ok(Arc::clone(slot));
                }
                match table.leaving.get(key) {
                    Some(leaving) => leaving.clone(),
                    None => {
                        let slot = Arc::new(self.shared.make_slot(key, now)?);
                        table.live.insert(key.clone(), Arc::clone(&slot));
                        return Ok(slot);
                    }
                }
            };
            // Either resolved, or its sender dropped: the eviction is over both ways.
            let _ = leaving.wait_for(|done| *done).await;
        }
    }
}

impl<K, A: Authenticator> Shared<K, A> {
    /// Milliseconds since the pool started.
    pub(crate) fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// A new session of `key`.
    fn make_slot(&self, key: &K, now: u64) -> Result<Slot<A>, PoolError<A::Error>> {
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
            .map_err(|source| PoolError::Store { identity, source })?;
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
    fn touch(&self, now: u64) {
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

impl<K, A: Authenticator> fmt::Debug for SessionPool<K, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shared = &self.shared;
        f.debug_struct("SessionPool")
            .field("sessions", &lock(&shared.table).live.len())
            .field("stores", &shared.stores)
            .field("refresh_jitter", &shared.refresh_jitter)
            .field("idle_timeout", &shared.idle_timeout)
            .field("logout_on_evict", &shared.logout_on_evict)
            .finish_non_exhaustive()
    }
}
