//! What a flight does with what it obtained: logging in, making new tokens current
//! ([`install`](Inner::install)), and telling the store or the server
//! ([`apply`](Inner::apply)).

use std::sync::Arc;

use auth_types::Clock as _;

use super::error::SessionError;
use super::flight::StoreAction;
use super::meter::{Event, Failed};
use super::shared::Coordination;
use super::{ErrorOf, Held, Inner, Outcome, TokenSource};
use crate::authenticator::{AuthError as _, Authenticator};
use crate::rt::{self, lock};
use crate::tokens::{self, Tokens};
use auth_store::{StoreEntry, StoredTokens};

impl<A: Authenticator> Inner<A> {
    pub(super) async fn login(&self) -> Result<(Tokens, TokenSource), ErrorOf<A>> {
        tracing::Span::current().record("by", "login");
        let current = self
            .current
            .load_full()
            .filter(|current| current.obtained_here());
        #[cfg(feature = "metrics")]
        let started = super::meter::Started::now();
        let login = match &current {
            Some(current) => self.authenticator.relogin(&current.access_token).await,
            None => self.authenticator.login().await,
        };
        #[cfg(feature = "metrics")]
        self.observe_renewal("login", started);
        match login {
            Ok(tokens) => {
                self.count(Event::Login);
                Ok((tokens, TokenSource::Login))
            }
            Err(error) => {
                self.count(Event::Failure(Failed::Kind(error.kind())));
                Err(SessionError::Login {
                    source: Arc::new(error),
                })
            }
        }
    }

    /// Makes freshly received tokens current, unless the session was logged out since
    /// the flight started. The store learns the new refresh token even when the access
    /// token is refused as expired on arrival; that token is current too (never handed
    /// out), so that a logout revokes the pair.
    pub(super) fn install(
        self: &Arc<Self>,
        held: &mut Held,
        tokens: Tokens,
        source: TokenSource,
        epoch: u64,
    ) -> (Outcome<A::Error>, StoreAction) {
        let received = rt::now();
        let wall_now = self.clock.now();
        let lifetime = tokens::lifetime(&tokens.access_token, tokens.expires_in, wall_now);
        if self.epoch() != epoch {
            held.refresh_token = None;
            return (Err(SessionError::LoggedOut), StoreAction::Revoke(tokens));
        }
        held.refresh_token = tokens.refresh_token;
        let stored = StoredTokens {
            access_token: tokens.access_token.clone(),
            refresh_token: held.refresh_token.clone(),
            expires_at: wall_now.checked_add(lifetime).unwrap_or(wall_now),
        };
        held.generation = held.generation.wrapping_add(1);
        let generation = held.generation;
        let entry = |tokens| StoreEntry {
            generation,
            identity: Some(self.identity.clone()),
            tokens,
        };
        // Current even when expired on arrival (never handed out: its deadlines have
        // passed), so that a logout still revokes the pair on the server.
        let access_token = stored.access_token.clone();
        let Some(live) =
            self.set_current(epoch, access_token, (received, wall_now), lifetime, source)
        else {
            // A logout ended the epoch just now.
            let refresh_token = held.refresh_token.take();
            let tokens = Tokens {
                access_token: stored.access_token,
                refresh_token,
                expires_in: lifetime,
            };
            return (Err(SessionError::LoggedOut), StoreAction::Revoke(tokens));
        };
        if lifetime.is_zero() {
            self.count(Event::Failure(Failed::ExpiredOnArrival));
            return (
                Err(SessionError::ExpiredOnArrival),
                StoreAction::Save(entry(stored)),
            );
        }
        *lock(&self.counters.last_renewal) = Some(wall_now);
        #[cfg(feature = "metrics")]
        self.installed(wall_now, held.refresh_token.is_some());
        (Ok(live), StoreAction::Save(entry(stored)))
    }

    /// Tells the store (or the server) what a flight of `epoch` changed.
    pub(super) async fn apply(
        &self,
        held: &mut Held,
        action: StoreAction,
        epoch: u64,
        coordination: &mut Coordination,
    ) {
        match action {
            StoreAction::Keep => {}
            StoreAction::Save(stored) => {
                self.save_tokens(held, stored, epoch, coordination).await;
            }
            StoreAction::Clear => self.forget_presented(coordination).await,
            StoreAction::Revoke(tokens) => {
                if let Err(error) = self
                    .authenticator
                    .logout(&tokens.access_token, tokens.refresh_token.as_ref())
                    .await
                {
                    tracing::warn!(%error, "could not revoke tokens obtained after a logout");
                }
            }
        }
    }
}
