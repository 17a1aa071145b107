//! Eviction: the background sweep over idle sessions, and the evictions themselves.

use std::hash::Hash;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::Duration;

use auth_session::Authenticator;
use auth_types::lock;
use tokio::sync::watch;
use tokio::time::MissedTickBehavior;

use crate::shared::{Shared, Slot};

/// A session taken out of the pool, and the end of its eviction.
type Leaving<K, A> = (Arc<Slot<A>>, Departure<K, A>);

/// Starts the sweep of `shared` every `every`, on the current runtime if there is one. The
/// task holds the pool weakly: it ends when the pool is dropped (which also aborts it).
pub(crate) fn start<K, A>(shared: &Arc<Shared<K, A>>, every: Duration)
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
    A: Authenticator,
{
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        tracing::warn!(
            "a session pool was built outside a Tokio runtime: no background sweep runs; \
             call evict_idle to evict idle sessions"
        );
        return;
    };
    let pool = Arc::downgrade(shared);
    let task = runtime.spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        ticks.tick().await; // The first tick is at once.
        loop {
            ticks.tick().await;
            let Some(shared) = pool.upgrade() else {
                break;
            };
            evict_idle(&shared).await;
        }
    });
    *lock(&shared.sweep) = Some(task.abort_handle());
}

/// Evicts the sessions unused for the idle timeout; see
/// [`SessionPool::evict_idle`](crate::SessionPool::evict_idle).
pub(crate) async fn evict_idle<K, A>(shared: &Arc<Shared<K, A>>) -> usize
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
    A: Authenticator,
{
    let Some(idle) = shared.idle_timeout else {
        return 0;
    };
    let now = shared.now_ms();
    evict(
        shared,
        |slot| slot.idle_at(now, idle),
        shared.logout_on_evict,
    )
    .await
}

/// Takes the sessions `pick` chooses out of the pool and, with `logout`, logs them out,
/// at most the sweep concurrency at once; waits for all; returns how many.
///
/// Until a key's eviction is over, a new session of that key waits (its
/// [`Departure`] says when), so the old session's logout never clears what a new one
/// stored. Cancelling this future leaves the evictions already started running, and
/// drops (without logout) those not started.
pub(crate) async fn evict<K, A>(
    shared: &Arc<Shared<K, A>>,
    pick: impl Fn(&Slot<A>) -> bool,
    logout: bool,
) -> usize
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
    A: Authenticator,
{
    let leaving: Vec<Leaving<K, A>> = {
        let mut table = lock(&shared.table);
        let keys: Vec<K> = table
            .live
            .iter()
            .filter(|(_, slot)| pick(slot))
            .map(|(key, _)| key.clone())
            .collect();
        let mut leaving = Vec::with_capacity(keys.len());
        for key in keys {
            let Some(slot) = table.live.remove(&key) else {
                continue;
            };
            let (done, waiters) = watch::channel(false);
            table.leaving.insert(key.clone(), waiters);
            let departure = Departure {
                pool: Arc::downgrade(shared),
                key: Some(key),
                done,
            };
            leaving.push((slot, departure));
        }
        leaving
    };
    let count = leaving.len();
    let mut tasks = Vec::with_capacity(count);
    for (slot, departure) in leaving {
        let permit = Arc::clone(&shared.sweep_permits).acquire_owned().await.ok();
        let evictions = Arc::clone(&shared.evictions);
        tasks.push(tokio::spawn(async move {
            let _permit = permit;
            let _departure = departure;
            if logout && let Err(error) = slot.session.logout().await {
                evictions.failed_logouts.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(%error, "an evicted session could not be logged out");
            }
            evictions.evicted.fetch_add(1, Ordering::Relaxed);
        }));
    }
    for task in tasks {
        // A task that panicked (an authenticator's bug) has still left the pool.
        let _ = task.await;
    }
    count
}

/// The end of one key's eviction, on drop (done, failed or cancelled): the key may have
/// a session again, and whoever waits for it is woken.
pub(crate) struct Departure<K: Eq + Hash, A: Authenticator> {
    pool: Weak<Shared<K, A>>,
    key: Option<K>,
    done: watch::Sender<bool>,
}

impl<K: Eq + Hash, A: Authenticator> Drop for Departure<K, A> {
    fn drop(&mut self) {
        if let (Some(pool), Some(key)) = (self.pool.upgrade(), self.key.take()) {
            lock(&pool.table).leaving.remove(&key);
        }
        self.done.send_replace(true);
    }
}
