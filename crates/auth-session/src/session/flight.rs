//! The single flight: at most one login or refresh runs at a time, as a task of its own,
//! and every caller that needs a new token waits for that one's outcome.

use std::sync::Arc;

use auth_types::Clock as _;
use tokio::sync::watch;
use tokio::time::Instant;

use super::backoff::Backoff;
use super::policy::Freshness;
use super::{ErrorOf, Held, Inner, lock};
use crate::authenticator::{AuthError as _, Authenticator, FailureKind};
use crate::error::SessionError;
use crate::store::StoredTokens;
use crate::tokens::{self, Live, Tokens};

/// The result of one flight, shared by every caller that waited for it.
pub(super) type Outcome<E> = Result<Arc<Live>, SessionError<E>>;
/// Where a waiting caller receives a flight's outcome (`None` while it runs).
type FlightResult<E> = watch::Receiver<Option<Outcome<E>>>;

/// The flight in progress and the server's request to wait, behind a mutex that is never
/// held across I/O.
pub(super) struct Flight<E> {
    /// Receives the outcome of the flight started last; `None` while it runs.
    running: Option<FlightResult<E>>,
    /// No login or refresh before this, as the server asked.
    pub(super) backoff: Option<Backoff<E>>,
}

impl<E> Default for Flight<E> {
    fn default() -> Self {
        Flight {
            running: None,
            backoff: None,
        }
    }
}

impl<A: Authenticator> Inner<A> {
    /// Joins or starts a flight and waits for its outcome, at most the wait timeout.
    pub(super) async fn await_flight(self: &Arc<Self>) -> Outcome<A::Error> {
        let after = self.config.wait_timeout;
        let flight = self.join_or_start_flight()?;
        tokio::time::timeout(after, wait(flight))
            .await
            .unwrap_or(Err(SessionError::Timeout { after }))
    }

    /// Subscribes to the flight in progress, or starts one; refuses during a backoff.
    pub(super) fn join_or_start_flight(
        self: &Arc<Self>,
    ) -> Result<FlightResult<A::Error>, ErrorOf<A>> {
        let mut flight = lock(&self.flight);
        if let Some(backoff) = &flight.backoff {
            backoff.check(Instant::now())?;
        }
        if let Some(running) = &flight.running {
            let finished = running.borrow().is_some() || running.has_changed().is_err();
            if !finished {
                return Ok(running.clone());
            }
        }
        let (sender, receiver) = watch::channel(None);
        flight.running = Some(receiver.clone());
        tokio::spawn(Arc::clone(self).fly(sender));
        Ok(receiver)
    }

    /// The flight task: renew under the `tokens` mutex, save, then answer the waiters (so
    /// a caller that got a new token knows it was saved, or that saving was logged as
    /// failed).
    async fn fly(self: Arc<Self>, result: watch::Sender<Option<Outcome<A::Error>>>) {
        let mut held = self.tokens.lock().await;
        let (outcome, to_save) = self.obtain(&mut held).await;
        if let Some(stored) = to_save {
            if let Err(error) = self.store.save(&stored).await {
                tracing::warn!(%error, "could not save the new tokens; the session keeps them in memory");
            }
        }
        drop(held);
        self.note_backoff(&outcome);
        result.send_replace(Some(outcome));
    }

    /// A fresh token: the current one if another flight just renewed it, else from a
    /// refresh, else from a login. Also returns what to save.
    async fn obtain(
        self: &Arc<Self>,
        held: &mut Held,
    ) -> (Outcome<A::Error>, Option<StoredTokens>) {
        self.ensure_loaded(held).await;
        if let Some(live) = self.current.load_full() {
            if live.deadlines.freshness(Instant::now()) == Freshness::Fresh {
                return (Ok(live), None);
            }
        }
        let tokens = match held.refresh_token.take() {
            None => self.login().await,
            Some(refresh_token) => match self.authenticator.refresh(&refresh_token).await {
                Ok(tokens) => Ok(tokens),
                Err(error) if error.kind() == FailureKind::RefreshRejected => self.login().await,
                Err(error) => {
                    if error.kind() == FailureKind::Transient {
                        // Possibly never reached the server, so keep it. If it did and the
                        // token is spent, the next try is rejected and logs in instead.
                        held.refresh_token = Some(refresh_token);
                    }
                    Err(SessionError::Refresh {
                        source: Arc::new(error),
                    })
                }
            },
        };
        match tokens {
            Ok(tokens) => self.install(held, tokens),
            Err(error) => (Err(error), None),
        }
    }

    async fn login(&self) -> Result<Tokens, ErrorOf<A>> {
        self.authenticator
            .login()
            .await
            .map_err(|error| SessionError::Login {
                source: Arc::new(error),
            })
    }

    /// Makes freshly received tokens current.
    fn install(
        self: &Arc<Self>,
        held: &mut Held,
        tokens: Tokens,
    ) -> (Outcome<A::Error>, Option<StoredTokens>) {
        let received = Instant::now();
        let wall_now = self.clock.now();
        let lifetime = tokens::lifetime(&tokens.access_token, tokens.expires_in, wall_now);
        held.refresh_token = tokens.refresh_token;
        if lifetime.is_zero() {
            return (Err(SessionError::ExpiredOnArrival), None);
        }
        let stored = StoredTokens {
            access_token: tokens.access_token.clone(),
            refresh_token: held.refresh_token.clone(),
            expires_at: wall_now.checked_add(lifetime).unwrap_or(wall_now),
        };
        let live = self.set_current(tokens.access_token, received, lifetime);
        (Ok(live), Some(stored))
    }
}

/// Waits for a flight's outcome.
async fn wait<E>(mut flight: FlightResult<E>) -> Outcome<E> {
    match flight.wait_for(Option::is_some).await {
        Ok(outcome) => outcome.clone().unwrap_or(Err(SessionError::Interrupted)),
        Err(_) => Err(SessionError::Interrupted),
    }
}
