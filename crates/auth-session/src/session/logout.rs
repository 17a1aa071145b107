//! Logout: revoke on the server, forget in memory and in the store.

use std::sync::Arc;
use std::time::Duration;

use super::error::SessionError;
use super::{ErrorOf, Inner};
use crate::authenticator::Authenticator;
use crate::rt;

impl<A: Authenticator> Inner<A> {
    /// See [`Session::logout`](super::Session::logout). Takes the `tokens` mutex, so it
    /// waits for a flight in progress (at most the wait timeout) and never overlaps one.
    /// The logout epoch ends when it has the mutex and again when it is done, so flights
    /// queued behind it never log in.
    pub(super) async fn logout(self: &Arc<Self>) -> Result<(), ErrorOf<A>> {
        let after = self.config.wait_timeout;
        let Ok(mut held) = rt::timeout(after, self.tokens.lock()).await else {
            return self.give_up_logout(after).await;
        };
        self.ensure_loaded(&mut held, self.epoch()).await;
        let current = self.end_epoch();
        let refresh_token = held.refresh_token.take();
        let server = match &current {
            Some(live) => {
                self.authenticator
                    .logout(&live.access_token, refresh_token.as_ref())
                    .await
            }
            None => Ok(()),
        };
        let cleared = self.store.clear().await;
        // Flights started while this logout ran wait for the mutex: they too are over.
        self.end_epoch();
        drop(held);
        match (server, cleared) {
            (Err(error), cleared) => {
                if let Err(store_error) = cleared {
                    tracing::warn!(error = %store_error, "could not clear the token store at logout");
                }
                Err(SessionError::Logout {
                    source: Arc::new(error),
                })
            }
            (Ok(()), Err(error)) => Err(SessionError::Store {
                source: Arc::new(error),
            }),
            (Ok(()), Ok(())) => Ok(()),
        }
    }

    /// A login or refresh holds the `tokens` mutex beyond the wait timeout: forget the
    /// tokens locally and in the store; the flight revokes what it obtains (it sees that
    /// its epoch ended).
    async fn give_up_logout(&self, after: Duration) -> Result<(), ErrorOf<A>> {
        self.end_epoch();
        if let Err(error) = self.store.clear().await {
            tracing::warn!(%error, "could not clear the token store at logout");
        }
        tracing::warn!(
            ?after,
            "logout gave up waiting for a login or refresh in progress; local tokens cleared"
        );
        Err(SessionError::LogoutTimeout { after })
    }
}
