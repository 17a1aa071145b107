//! Logout: revoke on the server, forget in memory and in the store.

use std::sync::Arc;

use super::{ErrorOf, Inner};
use crate::authenticator::Authenticator;
use crate::error::SessionError;

impl<A: Authenticator> Inner<A> {
    /// See [`Session::logout`](super::Session::logout). Takes the `tokens` mutex, so it
    /// waits for a flight in progress and never overlaps one.
    pub(super) async fn logout(self: &Arc<Self>) -> Result<(), ErrorOf<A>> {
        let mut held = self.tokens.lock().await;
        self.ensure_loaded(&mut held).await;
        let current = self.current.swap(None);
        let refresh_token = held.refresh_token.take();
        self.forget_backoff();
        let server = match &current {
            Some(live) => {
                self.authenticator
                    .logout(&live.access_token, refresh_token.as_ref())
                    .await
            }
            None => Ok(()),
        };
        let cleared = self.store.clear().await;
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
}
