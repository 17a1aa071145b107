//! The single flight: at most one login or refresh runs at a time, as a task of its own,
//! and every caller that needs a new token waits for that one's outcome.
//!
//! Logouts count epochs: a flight belongs to the epoch it started in, and a flight whose
//! epoch ended (a logout began or finished since) never logs in, refreshes or installs
//! tokens; what it obtained anyway is revoked on the server.

use std::sync::Arc;

use auth_types::AccessToken;
use tokio::sync::watch;
use tracing::Instrument as _;

use super::backoff::Backoff;
use super::error::SessionError;
use super::meter::{Event, Failed};
use super::policy::Freshness;
use super::policy::Live;
use super::shared::{self, Coordination};
use super::{ErrorOf, Held, Inner, Outcome, TokenSource};
use crate::authenticator::{AuthError as _, Authenticator, FailureKind};
use crate::rt::{self, lock};
use crate::tokens::Tokens;
use auth_store::StoreEntry;

/// Where a waiting caller receives a flight's outcome (`None` while it runs).
pub(super) type FlightResult<E> = watch::Receiver<Option<Outcome<E>>>;

/// The flight in progress, the server's request to wait and the logout epoch, behind a
/// mutex that is never held across I/O.
pub(super) struct Flight<E> {
    /// The flight started last.
    running: Option<Running<E>>,
    /// No login or refresh before this, as the server asked.
    pub(super) backoff: Option<Backoff<E>>,
    /// Advanced by every logout (when it begins and when it ends).
    pub(super) epoch: u64,
}

/// A started flight.
struct Running<E> {
    /// The logout epoch it started in.
    epoch: u64,
    /// Whether it renews even a fresh token ([`Session::refresh_now`](super::Session::refresh_now)).
    forced: bool,
    /// Receives its outcome; `None` while it runs.
    result: FlightResult<E>,
}

impl<E> Default for Flight<E> {
    fn default() -> Self {
        Flight {
            running: None,
            backoff: None,
            epoch: 0,
        }
    }
}

/// What the store must learn after a flight.
pub(super) enum StoreAction {
    /// Nothing changed.
    Keep,
    /// New tokens (maybe a rotated refresh token).
    Save(StoreEntry),
    /// The stored refresh token was spent or refused: it must never be presented again.
    Clear,
    /// The session was logged out while these were obtained: revoke them, store nothing.
    Revoke(Tokens),
}

/// A flight a caller joined or started.
pub(super) struct Joined<E> {
    /// Receives its outcome.
    result: FlightResult<E>,
    /// Whether it renews even a fresh token.
    forced: bool,
    /// The logout epoch it belongs to.
    epoch: u64,
}

impl<A: Authenticator> Inner<A> {
    /// Joins or starts a flight and waits for its outcome, at most the wait timeout. A
    /// token that is no longer good by the time this caller runs again (see
    /// [`still_usable`](Inner::still_usable)) is not handed out: another flight is joined or started.
    pub(super) async fn await_flight(self: &Arc<Self>) -> Outcome<A::Error> {
        let after = self.config.wait_timeout;
        let first = self.join_or_start_flight(false)?;
        self.count(Event::Wait);
        let renewal = async {
            let mut joined = first;
            loop {
                let live = wait(joined.result).await?;
                if let Some(live) = self.still_usable(live, joined.epoch)? {
                    return Ok(live);
                }
                joined = self.join_or_start_flight(false)?;
            }
        };
        rt::timeout(after, renewal)
            .await
            .unwrap_or(Err(SessionError::Timeout { after }))
    }

    /// Forces a renewal and waits for it, at most the wait timeout: waits out a running
    /// flight that may keep a fresh token, then starts a forced one (or joins one).
    pub(super) async fn refresh_now(self: &Arc<Self>) -> Result<AccessToken, ErrorOf<A>> {
        let after = self.config.wait_timeout;
        let renewal = async {
            loop {
                let joined = self.join_or_start_flight(true)?;
                let outcome = wait(joined.result).await;
                if joined.forced
                    && let Some(live) = self.still_usable(outcome?, joined.epoch)?
                {
                    return Ok(live.access_token.clone());
                }
            }
        };
        rt::timeout(after, renewal)
            .await
            .unwrap_or(Err(SessionError::Timeout { after }))
    }

    /// What a caller woken by a flight of `epoch` that obtained `live` may hand out now.
    /// Between the flight's end and the caller's turn the session may have moved on: the
    /// clock passed the token's expiry, a caller reported it refused
    /// ([`invalidate`](super::Session::invalidate)), a newer flight replaced it, or a logout
    /// began (then [`SessionError::LoggedOut`], as for a caller queued behind it). `None`:
    /// nothing usable, renew again.
    fn still_usable(&self, live: Arc<Live>, epoch: u64) -> Result<Option<Arc<Live>>, ErrorOf<A>> {
        let current = {
            // Under the flight lock: the epoch and the current token change together.
            let flight = lock(&self.flight);
            if flight.epoch != epoch {
                return Err(SessionError::LoggedOut);
            }
            self.current.load_full()
        };
        let Some(current) = current else {
            return Ok(None);
        };
        // The clocks are read last, just before the token is handed out.
        let freshness = self.freshness(&current);
        let usable = if Arc::ptr_eq(&current, &live) {
            freshness != Freshness::Unusable
        } else {
            // A newer token: as the fast path would hand it out.
            matches!(freshness, Freshness::Fresh | Freshness::Due)
        };
        Ok(usable.then_some(current))
    }

    /// Subscribes to the flight in progress of this epoch, or starts one; refuses during a
    /// backoff. With `force`, a started flight renews even a fresh token. The flight
    /// returned says whether it renews even a fresh token (a running unforced one is
    /// returned as is: wait for it, then ask again).
    pub(super) fn join_or_start_flight(
        self: &Arc<Self>,
        force: bool,
    ) -> Result<Joined<A::Error>, ErrorOf<A>> {
        let mut flight = lock(&self.flight);
        if let Some(backoff) = &flight.backoff {
            backoff.check(rt::now())?;
        }
        let epoch = flight.epoch;
        if let Some(running) = &flight.running {
            let result = &running.result;
            let finished = result.borrow().is_some() || result.has_changed().is_err();
            if !finished && running.epoch == epoch {
                return Ok(Joined {
                    result: result.clone(),
                    forced: running.forced,
                    epoch,
                });
            }
        }
        let (sender, receiver) = watch::channel(None);
        flight.running = Some(Running {
            epoch,
            forced: force,
            result: receiver.clone(),
        });
        let span = tracing::info_span!(
            target: "auth_session",
            "renew",
            forced = force,
            by = tracing::field::Empty,
            outcome = tracing::field::Empty,
        );
        rt::spawn(
            Arc::clone(self)
                .run_flight(epoch, force, sender)
                .instrument(span),
        );
        Ok(Joined {
            result: receiver,
            forced: force,
            epoch,
        })
    }

    /// The receiver of the flight in progress, if one runs.
    pub(super) fn running_flight(&self) -> Option<FlightResult<A::Error>> {
        let flight = lock(&self.flight);
        let running = flight.running.as_ref()?;
        let finished = running.result.borrow().is_some() || running.result.has_changed().is_err();
        (!finished).then(|| running.result.clone())
    }

    /// The current logout epoch.
    pub(super) fn epoch(&self) -> u64 {
        lock(&self.flight).epoch
    }

    /// The flight task: renew under the `tokens` mutex, save, then answer the waiters (so
    /// a caller that got a new token knows it was saved, or that saving was logged as
    /// failed).
    async fn run_flight(
        self: Arc<Self>,
        epoch: u64,
        forced: bool,
        result: watch::Sender<Option<Outcome<A::Error>>>,
    ) {
        let mut held = self.tokens.lock().await;
        let outcome = if self.epoch() == epoch {
            let mut coordination = Coordination::NotShared;
            let (outcome, action) = self
                .fresh_token(&mut held, epoch, forced, &mut coordination)
                .await;
            if self.epoch() != epoch {
                // A logout gave up waiting for this flight: forget what it kept.
                held.refresh_token = None;
            }
            self.apply(&mut held, action, epoch, &mut coordination)
                .await;
            // Only now, with the new tokens saved, may the next session sharing the store
            // renew (it re-reads them first).
            if let Coordination::Leased(lease) = coordination {
                shared::release(lease).await;
            }
            outcome
        } else {
            // Queued behind a logout: never log back in after it.
            Err(SessionError::LoggedOut)
        };
        drop(held);
        let span = tracing::Span::current();
        match &outcome {
            Ok(_) => {
                span.record("outcome", "ok");
            }
            Err(SessionError::LoggedOut) => {
                span.record("outcome", "logged out");
            }
            Err(error) => {
                span.record("outcome", "failed");
                tracing::warn!(%error, "renewing the access token failed");
            }
        }
        self.note_backoff(&outcome);
        result.send_replace(Some(outcome));
    }

    /// A fresh token: the current one if another flight just renewed it, else from a
    /// refresh, else from a login. Also returns what the store must learn.
    async fn fresh_token(
        self: &Arc<Self>,
        held: &mut Held,
        epoch: u64,
        forced: bool,
        coordination: &mut Coordination,
    ) -> (Outcome<A::Error>, StoreAction) {
        let span = tracing::Span::current();
        self.ensure_loaded(held, epoch).await;
        if let Some(live) = self.current.load_full()
            && !forced
            && self.freshness(&live) == Freshness::Fresh
        {
            span.record("by", "current");
            return (Ok(live), StoreAction::Keep);
        }
        match self
            .adopt_or_prepare_renewal(held, epoch, coordination)
            .await
        {
            Ok(Some(live)) => {
                span.record("by", "store");
                return (Ok(live), StoreAction::Keep);
            }
            Ok(None) => {}
            Err(error) => return (Err(error), StoreAction::Keep),
        }
        let presented = held.refresh_token.is_some();
        let tokens = match held.refresh_token.take() {
            None => self.login().await,
            Some(refresh_token) => match self.refresh_timed(&refresh_token).await {
                Ok(tokens) => {
                    span.record("by", "refresh");
                    self.count(Event::Refresh);
                    Ok((tokens, TokenSource::Refresh))
                }
                Err(error) if error.kind() == FailureKind::RefreshRejected => {
                    self.count(Event::Failure(Failed::Kind(error.kind())));
                    self.login().await
                }
                Err(error) => {
                    self.count(Event::Failure(Failed::Kind(error.kind())));
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
            Ok((tokens, source)) => self.install(held, tokens, source, epoch),
            // The stored refresh token was presented and dropped: the store forgets it.
            Err(error) if presented && held.refresh_token.is_none() => {
                (Err(error), StoreAction::Clear)
            }
            Err(error) => (Err(error), StoreAction::Keep),
        }
    }
}

/// Waits for a flight's outcome.
pub(super) async fn wait<E>(mut flight: FlightResult<E>) -> Outcome<E> {
    match flight.wait_for(Option::is_some).await {
        Ok(outcome) => outcome.clone().unwrap_or(Err(SessionError::Interrupted)),
        Err(_) => Err(SessionError::Interrupted),
    }
}
