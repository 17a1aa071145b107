//! The renewal protocol of a store that several sessions share (processes through a
//! locked file, machines through Redis), inside the single flight. See
//! [`TokenStore::lease`](crate::TokenStore::lease) and ARCHITECTURE.md.
//!
//! The rule it keeps: a refresh token that a shared store may know of is presented only
//! by the holder of the store's lease, after the holder has written the entry without it
//! (the write-ahead), every write fenced by what the holder read. When the lease cannot be
//! had or the store fails under it, such a token is never presented: the session logs in
//! instead, and writes nothing it could not fence.

use std::sync::Arc;
use std::time::Duration;

use super::error::SessionError;
use super::meter::Event;
use super::policy::Freshness;
use super::policy::Live;
use super::{ErrorOf, Held, Inner};
use crate::authenticator::Authenticator;
use crate::rt;
use auth_store::{Lease, StoreEntry, StoreError};

/// How long a shared store's renewal lease lasts if its holder stops keeping it alive (a
/// process that died or hangs, on a store whose leases do not end with their process).
/// A holder keeps its lease alive while it works (see [`Lease`]), so a slow login keeps
/// it; this only bounds how long a dead holder blocks the others. Shorter than the wait
/// for the lease, so that waiters outlive a dead holder.
pub(super) const LEASE_TTL: Duration = Duration::from_secs(10);

/// Evaluates a store operation (an `async` expression), again while the store cannot be
/// reached (see [`try_again`]).
macro_rules! retrying {
    ($operation:expr) => {{
        let started = rt::now();
        let mut pause = Duration::from_millis(20);
        loop {
            match $operation {
                Err(error) if try_again(&error, started, &mut pause).await => {}
                done => break done,
            }
        }
    }};
}

/// How long a store operation under the lease is tried again while the store fails (a
/// dropped connection, a restarting server), before the flight gives up on it.
const STORE_RETRY_FOR: Duration = Duration::from_secs(2);

/// How a flight stands with the store.
pub(super) enum Coordination {
    /// The store is not shared (or the flight did not get that far): plain saves.
    NotShared,
    /// Under the shared store's lease: reads and fenced writes go through it.
    Leased(Box<dyn Lease>),
    /// The store is shared, but its lease could not be had or the store failed under it:
    /// nothing the store may know of was presented, and nothing is written.
    Without,
}

impl<A: Authenticator> Inner<A> {
    /// Takes a shared store's lease into `coordination` (kept until the flight has saved),
    /// re-reads the entry and adopts what another session saved meanwhile: its token if
    /// fresh (returned: no call to the server), else its refresh token. Before a refresh
    /// token is presented it is written out of the entry (the write-ahead), so a holder that
    /// dies mid-refresh leaves none that may be spent. `Ok(None)`: renew, presenting
    /// `held.refresh_token` if it is still there, else logging in. A lease held too long by
    /// another is an error; a store that fails is worked around by logging in.
    pub(super) async fn adopt_or_prepare_renewal(
        self: &Arc<Self>,
        held: &mut Held,
        epoch: u64,
        coordination: &mut Coordination,
    ) -> Result<Option<Arc<Live>>, ErrorOf<A>> {
        // A little less than the callers' wait, so they hear why rather than a bare timeout.
        let wait = self.config.wait_timeout - self.config.wait_timeout / 5;
        let mut lease = match self.store.lease(wait, LEASE_TTL).await {
            Ok(None) => return Ok(None),
            Ok(Some(lease)) => lease,
            Err(error @ StoreError::LeaseTimeout { .. }) => {
                return Err(SessionError::Store {
                    source: Arc::new(error),
                });
            }
            Err(error) => {
                self.without_lease(held, &error, coordination);
                return Ok(None);
            }
        };
        let read = retrying!(lease.load_entry().await);
        let entry = match read {
            Ok(entry) => entry,
            Err(error) if unusable_entry(&error) => {
                // Perhaps a newer entry this session cannot read (another sealing key):
                // the refresh token it holds may be spent. Log in under the lease; the
                // fenced save replaces what was read.
                self.store_trouble(&error);
                self.forget_shared_refresh_token(held);
                *coordination = Coordination::Leased(lease);
                return Ok(None);
            }
            Err(error) => {
                release(lease).await;
                self.without_lease(held, &error, coordination);
                return Ok(None);
            }
        };
        let entry = match entry {
            Some(entry) if entry.identity.as_ref() == Some(&self.identity) => entry,
            // Empty (a logout, or a failed save cleared it) or another identity's (never
            // adopted, replaced by the next save): a refresh token this session read or
            // wrote there may be spent, so it is not presented.
            _ => {
                self.forget_shared_refresh_token(held);
                *coordination = Coordination::Leased(lease);
                return Ok(None);
            }
        };
        if entry.generation != held.generation {
            // Another session renewed (or wrote ahead of a refresh) since this one last
            // looked: its tokens replace this session's, whose refresh token it may have
            // spent.
            let Some(live) = self.adopt(held, entry.clone(), epoch) else {
                *coordination = Coordination::Leased(lease);
                return Err(SessionError::LoggedOut);
            };
            if self.freshness(&live) == Freshness::Fresh {
                self.count(Event::Adopted);
                *coordination = Coordination::Leased(lease);
                return Ok(Some(live));
            }
        }
        if held.refresh_token.is_some() {
            // Write ahead: the entry without the refresh token about to be presented.
            let mut ahead = entry;
            ahead.tokens.refresh_token = None;
            ahead.generation = held.generation.wrapping_add(1);
            match retrying!(lease.replace(Some(&ahead)).await) {
                Ok(()) => held.generation = ahead.generation,
                Err(error) => {
                    // Not written ahead: the token is not presented.
                    self.store_trouble(&error);
                    self.forget_shared_refresh_token(held);
                }
            }
        }
        *coordination = Coordination::Leased(lease);
        Ok(None)
    }

    /// The shared store could not be leased, or failed under the lease: renew without it,
    /// never presenting a refresh token it may know of, and write nothing.
    fn without_lease(&self, held: &mut Held, error: &StoreError, coordination: &mut Coordination) {
        self.store_trouble(error);
        self.forget_shared_refresh_token(held);
        *coordination = Coordination::Without;
    }

    /// Drops the held refresh token if the store may know it (it is then not presented:
    /// another session may have spent it, or be presenting it now).
    fn forget_shared_refresh_token(&self, held: &mut Held) {
        if held.refresh_token_shared && held.refresh_token.take().is_some() {
            tracing::debug!(
                "not presenting a refresh token the shared store knows of without its lease; logging in instead"
            );
        }
    }

    /// Saves a flight's new tokens as `coordination` allows: plainly on a store that is not
    /// shared (a failure clears it, so a spent refresh token is never presented after a
    /// restart), through the lease's fenced write on a shared one (the write-ahead already
    /// took the spent token out), not at all without the lease.
    pub(super) async fn save_tokens(
        &self,
        held: &mut Held,
        entry: StoreEntry,
        epoch: u64,
        coordination: &mut Coordination,
    ) {
        match coordination {
            Coordination::NotShared => {
                held.refresh_token_shared = true;
                if let Err(error) = self.store.save_entry(&entry).await {
                    tracing::warn!(%error, "could not save the new tokens; clearing the store so that it holds no spent refresh token");
                    self.clear_store().await;
                } else if self.epoch() != epoch {
                    // A logout gave up waiting and cleared the store meanwhile.
                    self.clear_store().await;
                }
            }
            Coordination::Leased(lease) => {
                if self.epoch() != epoch {
                    // A logout ended this flight's epoch: nothing more is written.
                    return;
                }
                // Whether an attempt may have written without saying so (its answer lost).
                let mut uncertain = false;
                let saved = retrying!({
                    let attempt = lease.replace(Some(&entry)).await;
                    uncertain |= matches!(attempt, Err(StoreError::Unavailable { .. }));
                    attempt
                });
                match saved {
                    Ok(()) => held.refresh_token_shared = true,
                    Err(error @ (StoreError::Conflict { .. } | StoreError::LeaseLost { .. }))
                        if !uncertain =>
                    {
                        // Another session wrote meanwhile: its entry stands, and these
                        // tokens stay this session's alone (the next renewal adopts that
                        // entry's).
                        held.refresh_token_shared = false;
                        tracing::warn!(%error, "the new tokens were not saved; another session's stand");
                    }
                    Err(error) => {
                        // A write may have landed: treat the refresh token as known.
                        held.refresh_token_shared = true;
                        tracing::warn!(%error, "could not save the new tokens; this session keeps them in memory");
                    }
                }
            }
            Coordination::Without => {
                held.refresh_token_shared = false;
                tracing::debug!(
                    "the shared store could not be leased; the new tokens stay in this process"
                );
            }
        }
    }

    /// The store must forget a refresh token that was presented and is gone. On a shared
    /// store the write-ahead already took it out, and a token presented without the lease
    /// was never written: nothing to do there.
    pub(super) async fn forget_presented(&self, coordination: &Coordination) {
        if let Coordination::NotShared = coordination {
            self.clear_store().await;
        }
    }

    /// Clears the store, logging a failure (there is no caller to return it to).
    pub(super) async fn clear_store(&self) {
        if let Err(error) = self.store.clear().await {
            tracing::warn!(%error, "could not clear the token store; it may hold a spent refresh token, delete it by hand");
        }
    }

    /// Logs a store failure: once as a warning, then at debug level.
    pub(super) fn store_trouble(&self, error: &StoreError) {
        if self
            .store_warned
            .swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            tracing::debug!(%error, "the token store is still failing");
        } else {
            tracing::warn!(%error, "the token store failed; renewing without it (a refresh token it may know of is not presented: logging in instead)");
        }
    }
}

/// Gives a lease back, logging a failure (it ends with its process or its time limit).
pub(super) async fn release(lease: Box<dyn Lease>) {
    if let Err(error) = lease.release().await {
        tracing::warn!(%error, "could not release the token store's renewal lease; it ends with this process or its time limit");
    }
}

/// Whether `error` says the stored entry cannot be used (this session cannot read it),
/// rather than that the store fails.
fn unusable_entry(error: &StoreError) -> bool {
    matches!(
        error,
        StoreError::InvalidEntry { .. }
            | StoreError::Malformed { .. }
            | StoreError::TooLarge { .. }
            | StoreError::UnsupportedVersion { .. }
            | StoreError::Permissions { .. }
    )
}

/// Whether a store operation that failed with `error`, first tried at `started`, is tried
/// again after `pause` (the store cannot be reached, for less than [`STORE_RETRY_FOR`]).
/// Sleeps the pause and doubles it if so.
async fn try_again(error: &StoreError, started: rt::Instant, pause: &mut Duration) -> bool {
    if !matches!(error, StoreError::Unavailable { .. })
        || rt::now().duration_since(started) + *pause >= STORE_RETRY_FOR
    {
        return false;
    }
    rt::sleep_until(rt::now() + *pause).await;
    *pause = (*pause * 2).min(Duration::from_millis(500));
    true
}
