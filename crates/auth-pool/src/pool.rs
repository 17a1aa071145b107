//! [`SessionPool`]: sessions per key, made on first use, kept, and handed out.

use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use auth_session::Authenticator;
use auth_types::{AccessToken, lock};
use tokio::sync::Semaphore;
use tokio::time::Instant;

use crate::authenticator::PooledSession;
use crate::builder::{Factory, PoolBuilder};
use crate::egress::Gates;
use crate::error::{FactoryError, PoolError};
use crate::shared::{Evictions, Shared, Slot, Table};
use crate::stats::PoolStats;
use crate::sweep;

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

    fn from_builder(builder: PoolBuilder<K, A>) -> Self {
        let sweep_every = builder.sweep_every();
        let shared = Arc::new(Shared {
            factory: builder.factory,
            egress: builder.egress,
            stores: builder.stores,
            refresh_jitter: builder.refresh_jitter,
            made: AtomicU64::new(0),
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
    /// its first [`access_token`](auth_session::Session::access_token)). Counts as a use
    /// of `key`.
    ///
    /// A session kept outside the pool and used directly is not seen as used: the sweep
    /// may evict it (log it out) while it is held, and using it afterwards logs in again
    /// outside the pool. Take tokens through [`access_token`](Self::access_token), or take
    /// the session again for each use.
    ///
    /// # Errors
    ///
    /// [`PoolError::Factory`] or [`PoolError::Store`] when the session could not be made.
    pub async fn session(&self, key: &K) -> Result<PooledSession<A>, PoolError<A::Error>> {
        Ok(self.slot(key).await?.session.clone())
    }

    /// A live access token of `key`'s session
    /// ([`Session::access_token`](auth_session::Session::access_token)), the session made
    /// on first use.
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

impl<K, A> PoolBuilder<K, A>
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
    A: Authenticator,
{
    /// Makes the pool. With an idle timeout, starts the background sweep on the current
    /// Tokio runtime (outside one, no sweep runs, which is logged as a warning:
    /// [`SessionPool::evict_idle`] still evicts when called). No session is made yet.
    pub fn build(self) -> SessionPool<K, A> {
        SessionPool::from_builder(self)
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
