//! Resuming from the token store: read once, by the first flight or logout.

use std::sync::Arc;

use auth_types::Clock as _;

use super::policy::Live;
use super::{Held, Inner, TokenSource};
use crate::authenticator::Authenticator;
use crate::jwt;
use crate::rt;
use crate::tokens::{self, MAX_LIFETIME};
use auth_store::StoreEntry;

impl<A: Authenticator> Inner<A> {
    /// Reads the store once. Stored tokens become current (an expired access token too:
    /// it is never handed out, but logout can still revoke it).
    /// Tokens of a logout epoch other than `epoch` are not made current.
    pub(super) async fn ensure_loaded(self: &Arc<Self>, held: &mut Held, epoch: u64) {
        if held.loaded {
            return;
        }
        // Set before `set_current` starts an idle watcher, whose logout must not load.
        held.loaded = true;
        match self.store.load_entry().await {
            Ok(Some(entry)) if entry.identity.as_ref() != Some(&self.identity) => {
                let owner = entry
                    .identity
                    .map_or_else(|| "unknown".to_owned(), |identity| identity.to_string());
                tracing::warn!(
                    %owner,
                    session = %self.identity,
                    "the stored tokens belong to another identity (or to an unknown one); ignoring them and logging in"
                );
            }
            Ok(Some(entry)) => {
                self.adopt(held, entry, epoch);
            }
            Ok(None) => {}
            Err(error) => {
                tracing::warn!(%error, "could not load stored tokens; logging in instead");
            }
        }
    }

    /// Makes a stored entry of this session's identity current, with its refresh token
    /// and generation (an expired access token too: it is never handed out, but logout can
    /// still revoke it). `None` if a logout ended `epoch`.
    pub(super) fn adopt(
        self: &Arc<Self>,
        held: &mut Held,
        entry: StoreEntry,
        epoch: u64,
    ) -> Option<Arc<Live>> {
        let stored = entry.tokens;
        let wall_now = self.clock.now();
        let remaining = stored
            .expires_at
            .duration_since(wall_now)
            .unwrap_or_default()
            .min(MAX_LIFETIME);
        let lifetime = tokens::lifetime(&stored.access_token, remaining, wall_now);
        // Renewal deadlines come from the whole lifetime, not what is left of it: a token
        // resumed halfway is due as it would have been in the process that received it.
        // The JWT's `iat` says when that was; without one, the token counts as new.
        let now = rt::now();
        let age = jwt::jwt_issued_at(stored.access_token.expose_secret())
            .and_then(|issued| wall_now.duration_since(issued).ok())
            .filter(|age| *age <= MAX_LIFETIME && !lifetime.is_zero());
        let (from, wall_from, lifetime) = match age.and_then(|age| {
            Some((
                now.checked_sub(age)?,
                wall_now.checked_sub(age)?,
                lifetime + age,
            ))
        }) {
            Some(issued) => issued,
            None => (now, wall_now, lifetime),
        };
        let live = self.set_current(
            epoch,
            stored.access_token,
            (from, wall_from),
            lifetime,
            TokenSource::Store,
        )?;
        held.refresh_token = stored.refresh_token;
        held.refresh_token_shared = true;
        held.generation = entry.generation;
        Some(live)
    }
}
