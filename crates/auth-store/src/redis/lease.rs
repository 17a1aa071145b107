//! The renewal lease of a [`RedisStore`]: waiting for it, keeping it alive while held,
//! its fenced writes, and giving it back.

use std::time::Duration;

use async_trait::async_trait;
use futures_util::StreamExt as _;
use redis::aio::PubSubStream;
use tokio::time::Instant;
use zeroize::Zeroizing;

use super::RedisStore;
use super::commands::Seen;
use crate::entry::StoreEntry;
use crate::error::StoreError;
use crate::format::Place;
use crate::token_store::Lease;

/// The first pause between two tries of a held lease; it doubles up to [`POLL_MAX`] (or
/// [`POLL_MAX_SUBSCRIBED`] while the waiter hears the store's notifications).
const POLL_FIRST: Duration = Duration::from_millis(5);
/// The longest pause between two tries of a held lease without notifications.
const POLL_MAX: Duration = Duration::from_millis(50);
/// The longest pause between two tries of a held lease while subscribed to the store's
/// notifications: a release wakes the waiter at once, so tries are only for a lease that
/// ran out (which publishes nothing).
const POLL_MAX_SUBSCRIBED: Duration = Duration::from_millis(250);

/// How long a store may keep failing (a dropped connection, a restart) while a session
/// waits for the lease before the wait reports the failure.
const FAILING_AT_MOST: Duration = Duration::from_secs(2);

/// Takes the lease of `store` for this holder (see [`RedisStore`]'s `lease`): tried
/// again whenever the store publishes a release or a save, and every so often, for at most
/// `wait`; a failure of the store is tried again too, and reported once it has lasted 2 s
/// (or the wait is over).
pub(super) async fn wait(
    store: &RedisStore,
    wait: Duration,
    ttl: Duration,
) -> Result<Option<Box<dyn Lease>>, StoreError> {
    let token = super::random_token()?;
    let started = Instant::now();
    let mut events: Option<PubSubStream> = None;
    let mut subscribed = false;
    let mut pause = POLL_FIRST;
    let mut failing_since: Option<(Instant, StoreError)> = None;
    loop {
        match store.try_lease(&token, ttl).await {
            Ok(true) => return Ok(Some(Box::new(RedisLease::new(store.clone(), token, ttl)))),
            Ok(false) => failing_since = None,
            Err(error) => {
                let since = failing_since.take().map_or_else(Instant::now, |(at, _)| at);
                if since.elapsed() >= FAILING_AT_MOST {
                    return Err(error);
                }
                tracing::debug!(store = %store.name, %error, "the token store failed while waiting for its lease; trying again");
                failing_since = Some((since, error));
            }
        }
        let waited = started.elapsed();
        if waited >= wait {
            return Err(match failing_since {
                Some((_, error)) => error,
                None => StoreError::LeaseTimeout { waited },
            });
        }
        if !subscribed {
            // Subscribe, then try again at once: a release between the first try and
            // the subscription would otherwise go unheard.
            subscribed = true;
            events = store.subscribe().await;
            continue;
        }
        let left = wait - waited;
        match &mut events {
            Some(stream) if failing_since.is_none() => {
                match tokio::time::timeout(pause.min(left), stream.next()).await {
                    // A release or a save: try again now.
                    Ok(Some(_)) => {}
                    // The subscription broke: poll from now on.
                    Ok(None) => events = None,
                    // Quiet: try anyway (a lease that ran out publishes nothing).
                    Err(_) => {}
                }
                pause = (pause * 2).min(POLL_MAX_SUBSCRIBED);
            }
            _ => {
                tokio::time::sleep(pause.min(left)).await;
                pause = (pause * 2).min(POLL_MAX);
            }
        }
    }
}

/// The lease of a [`RedisStore`]: `{key}:lease` holding this holder's random token, kept
/// alive by a task of its own while held.
struct RedisLease {
    store: RedisStore,
    token: String,
    released: bool,
    /// What this lease last read or wrote; `None` before a read.
    seen: Option<Seen>,
    /// Extends the lease every third of its ttl; aborted when the lease ends.
    keep_alive: tokio::task::JoinHandle<()>,
}

impl RedisLease {
    fn new(store: RedisStore, token: String, ttl: Duration) -> Self {
        let keep_alive = tokio::spawn(keep_alive(store.clone(), token.clone(), ttl));
        RedisLease {
            store,
            token,
            released: false,
            seen: None,
            keep_alive,
        }
    }
}

/// Extends the lease holding `token` every third of `ttl`, until it is no longer this
/// holder's or the store's lease time limit is reached. A failed extension is tried again
/// at the next tick (the lease survives a failure shorter than two thirds of its ttl).
async fn keep_alive(store: RedisStore, token: String, ttl: Duration) {
    let every = (ttl / 3).max(Duration::from_millis(10));
    let until = Instant::now() + store.lease_time_limit;
    loop {
        tokio::time::sleep(every).await;
        if Instant::now() >= until {
            tracing::warn!(store = %store.name, limit = ?store.lease_time_limit, "a renewal has held the token store's lease for its time limit; no longer keeping it alive");
            return;
        }
        match store.extend_lease(&token, ttl).await {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!(store = %store.name, "the token store's renewal lease ran out before it could be extended; this holder's writes will be refused");
                return;
            }
            Err(error) => {
                tracing::debug!(store = %store.name, %error, "could not extend the renewal lease; trying again");
            }
        }
    }
}

impl std::fmt::Debug for RedisLease {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisLease")
            .field("store", &self.store.name)
            .field("key", &self.store.lease_key)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl Lease for RedisLease {
    async fn load_entry(&mut self) -> Result<Option<StoreEntry>, StoreError> {
        // What cannot be used (another type, not an entry) is remembered too, so that the
        // next write may replace it.
        let seen = match self.store.read().await {
            Ok(seen) => seen,
            Err(error) => {
                self.seen = None;
                return Err(error);
            }
        };
        let entry = self.store.interpret(&seen);
        self.seen = Some(seen);
        entry
    }

    async fn replace(&mut self, entry: Option<&StoreEntry>) -> Result<(), StoreError> {
        let Some(seen) = self.seen.clone() else {
            return Err(StoreError::Conflict {
                store: self.store.name.to_string(),
            });
        };
        let bytes = entry
            .map(|entry| {
                self.store
                    .sealer
                    .encode(entry)
                    .map(Zeroizing::new)
                    .map_err(|e| e.at(Place::Named(&self.store.name)))
            })
            .transpose()?;
        let written = self
            .store
            .replace_fenced(&self.token, &seen, bytes.as_deref().map(Vec::as_slice))
            .await;
        match written {
            Ok(true) => {
                self.seen = Some(match bytes {
                    Some(bytes) => Seen::Bytes(bytes),
                    None => Seen::Absent,
                });
                Ok(())
            }
            Ok(false) => {
                self.seen = None;
                Err(StoreError::Conflict {
                    store: self.store.name.to_string(),
                })
            }
            Err(error) => Err(error),
        }
    }

    async fn release(mut self: Box<Self>) -> Result<(), StoreError> {
        self.released = true;
        self.keep_alive.abort();
        self.store.release_lease(&self.token).await
    }
}

impl Drop for RedisLease {
    /// Best effort: gives the lease back from a spawned task (on a Tokio runtime); else
    /// its time runs out.
    fn drop(&mut self) {
        self.keep_alive.abort();
        if self.released {
            return;
        }
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let store = self.store.clone();
            let token = std::mem::take(&mut self.token);
            runtime.spawn(async move {
                if let Err(error) = store.release_lease(&token).await {
                    tracing::debug!(%error, "could not give back a dropped renewal lease; it ends by its time limit");
                }
            });
        }
    }
}
