//! The session: a cached access token that one background task at a time renews.
//!
//! - The fast path loads the cached token from an [`ArcSwapOption`] (no lock) and returns
//!   it while the renew policy ([`policy`]) calls it fresh. When the policy calls it due,
//!   the caller still gets it at once, and starts a flight in the background (or finds
//!   one running).
//! - Within the hard margin of expiry, or after it, the caller joins the flight in
//!   progress, or starts one ([`flight`]), and waits for it: a
//!   spawned task that takes the `tokens` mutex (held across I/O), refreshes or logs in,
//!   makes the new token current, saves it to the store, and publishes the result to every
//!   waiting caller. Because the flight is a task of its own, a caller that gives up
//!   (timeout, cancellation) never cuts a refresh in half, which would lose a single-use
//!   refresh token.
//! - A transient failure with a `retry_after` holds off new flights ([`backoff`]).
//! - The store is read once, by the first flight or logout ([`load`]).
//! - Logout takes the same `tokens` mutex, so it never overlaps a refresh ([`logout`]).
//! - Idle logout is a watcher task over a cheap activity stamp ([`idle`]).

mod backoff;
mod builder;
mod error;
mod flight;
mod idle;
mod install;
mod load;
mod logout;
mod meter;
#[cfg(test)]
mod model;
mod policy;
mod refusal;
mod shared;
mod stats;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use auth_types::{AccessToken, Clock as _, RefreshToken, SharedClock};

use crate::authenticator::Authenticator;
use crate::rt::{self, ArcSwapOption, AsyncMutex, Instant, Mutex, Task, lock};
use auth_store::Identity;
use auth_store::TokenStore;

pub use builder::SessionBuilder;
pub use error::SessionError;
pub(crate) use policy::{Deadlines, Live};
pub use refusal::Refusal;
pub use stats::{NewToken, SessionStats, TokenSource};

use builder::Config;
use flight::Flight;
use idle::Activity;
use meter::Event;
use policy::Freshness;
use stats::Counters;

/// The session error of authenticator `A`.
type ErrorOf<A> = SessionError<<A as Authenticator>::Error>;

/// The result of one flight, shared by every caller that waited for it.
type Outcome<E> = Result<Arc<Live>, SessionError<E>>;

/// A login session that hands out an access token that is alive.
///
/// [`access_token`](Session::access_token) returns the cached token at once while it is
/// more than the refresh buffer (default 60 s, plus a random 0 to 15 s so that many
/// sessions do not refresh together) away from expiry. Closer to expiry it still returns
/// the cached token at once, and exactly one refresh runs in the background (or a login,
/// when there is no refresh token or the server rejects it). Only a token within the hard
/// margin of expiry (default 5 s, see [`SessionBuilder::hard_margin`]), or expired, makes
/// callers wait for that renewal's result. A token never gets less than half its lifetime
/// of use: the buffer is capped at half the lifetime.
///
/// Expiry is the announced lifetime (`expiresIn`) counted on Tokio's monotonic clock from
/// when the answer arrived, or the JWT `exp` claim if that is earlier.
///
/// When a refresh fails with a [transient](crate::FailureKind::Transient) error, the
/// current token is still returned as long as it has not actually expired, and the next
/// call tries again. Other failures are returned.
///
/// `Session` is a cheap handle: clones share the same state. It needs a Tokio runtime with
/// the time driver. `Debug` shows no token.
pub struct Session<A: Authenticator> {
    inner: Arc<Inner<A>>,
}

impl<A: Authenticator> Clone for Session<A> {
    fn clone(&self) -> Self {
        Session {
            inner: Arc::clone(&self.inner),
        }
    }
}

/// The state every clone of a session shares.
struct Inner<A: Authenticator> {
    authenticator: A,
    /// The authenticator's identity, read once: tags store entries.
    identity: Identity,
    store: Arc<dyn TokenStore>,
    clock: SharedClock,
    config: Config,
    /// The token callers get; the fast path reads only this.
    current: ArcSwapOption<Live>,
    /// Held by whoever changes the tokens (a flight, a logout), across I/O.
    tokens: AsyncMutex<Held>,
    /// The flight in progress and the server's request to wait. Never held across I/O.
    flight: Mutex<Flight<A::Error>>,
    /// Judges reported 401s one at a time, across the authenticator's check.
    refusals: AsyncMutex<refusal::Refusals>,
    /// Last use, when idle logout is on.
    activity: Option<Activity>,
    /// The idle watcher task, aborted when replaced or when the session is dropped.
    idle_watch: Mutex<Option<Task>>,
    /// What the session has done.
    counters: Counters,
    /// Each new token, for subscribers; `None` before the first and after a logout.
    new_tokens: tokio::sync::watch::Sender<Option<NewToken>>,
    /// Whether a store failure was already logged as a warning.
    store_warned: std::sync::atomic::AtomicBool,
}

/// State only a holder of the `tokens` mutex touches.
struct Held {
    /// The refresh token for the next refresh. Taken out before it is presented.
    refresh_token: Option<RefreshToken>,
    /// Whether the store has been read (once, on first use).
    loaded: bool,
    /// The generation of the store entry this session last read or wrote: under a shared
    /// store's lease, a different one means another session renewed meanwhile.
    generation: u64,
    /// Whether the store may know `refresh_token` (it was read from the store, or written
    /// or offered to it). On a shared store such a token is presented only under the
    /// lease, after the write-ahead; one obtained while the store could not be leased,
    /// and never written, is this session's alone.
    refresh_token_shared: bool,
}

impl<A: Authenticator> Session<A> {
    /// A session with the default settings: in-memory store, system wall clock, 60 s
    /// refresh buffer with up to 15 s jitter, 30 s wait timeout, no idle logout.
    pub fn new(authenticator: A) -> Self {
        Session::builder(authenticator).build()
    }

    /// Starts configuring a session.
    pub fn builder(authenticator: A) -> SessionBuilder<A> {
        SessionBuilder::new(authenticator)
    }

    /// An access token that is valid for at least the hard margin (default 5 s), logging in
    /// or refreshing first if needed.
    ///
    /// A token past its refresh point but outside the hard margin is returned at once, and
    /// its renewal starts in the background (or is already running): no caller waits
    /// while the session renews ahead of time.
    ///
    /// The first call reads the token store and uses stored tokens that are still good.
    ///
    /// # Errors
    ///
    /// The authenticator's failure ([`SessionError::Login`], [`SessionError::Refresh`]),
    /// [`SessionError::Backoff`] while the server's requested wait runs,
    /// [`SessionError::Timeout`] if the login or refresh in progress takes longer than the
    /// wait timeout. A transient failure is only returned when the current token has
    /// expired.
    pub async fn access_token(&self) -> Result<AccessToken, ErrorOf<A>> {
        // Before the clocks are read for the checks below: the gauges' work must not come
        // between the check of a token and its handing out.
        #[cfg(feature = "metrics")]
        self.inner.tick(self.inner.clock.now());
        let now = rt::now();
        if let Some(activity) = &self.inner.activity {
            activity.touch(now);
        }
        if let Some(live) = self.inner.current.load().as_deref() {
            match live.deadlines.freshness(now, self.inner.clock.now()) {
                Freshness::Fresh => return Ok(live.access_token.clone()),
                Freshness::Due => {
                    self.inner.renew_in_background();
                    // Read the clocks again after starting the renewal, so that the
                    // token handed out is checked at the moment it is handed out.
                    if self.inner.freshness(live) <= Freshness::Due {
                        return Ok(live.access_token.clone());
                    }
                }
                Freshness::Urgent | Freshness::Unusable => {}
            }
        }
        self.inner.renew().await
    }

    /// Logs out on the server and forgets the tokens, in memory and in the store. Waits for
    /// a login or refresh in progress to finish first, at most the wait timeout. Without
    /// tokens, only the store is cleared.
    ///
    /// Calls that were waiting for a new token behind this logout get
    /// [`SessionError::LoggedOut`]: they never log back in. A call made after the logout
    /// returned logs in again.
    ///
    /// # Errors
    ///
    /// [`SessionError::Logout`] if the server call failed, else [`SessionError::Store`] if
    /// the store could not be cleared. [`SessionError::LogoutTimeout`] if a login or
    /// refresh in progress did not finish within the wait timeout: the tokens are then
    /// forgotten without telling the server (the authenticator is never called twice at
    /// once), and whatever that login or refresh still obtains is revoked, not used. The
    /// tokens in memory are cleared in every case.
    pub async fn logout(&self) -> Result<(), ErrorOf<A>> {
        self.inner.logout().await
    }

    /// Reports that the server refused `rejected` (a 401 on a call made with it) although
    /// the session still counted it as alive: revoked early, its server restarted, its
    /// clock ahead. If `rejected` is still the current token, it is never handed out again
    /// and the next [`access_token`](Session::access_token) refreshes it (or logs in, if
    /// the refresh is refused too); returns `true`. A token that is no longer current
    /// (already reported by another caller, or already replaced) is ignored and gives
    /// `false`, so a burst of refused requests costs one renewal, not one each.
    ///
    /// No network call happens here. The refused token is kept for
    /// [`logout`](Session::logout), which still revokes it on the server.
    ///
    /// ```no_run
    /// # async fn call_api(_: &str) -> Result<(), u16> { Ok(()) }
    /// # async fn run<A: auth_session::Authenticator>(session: auth_session::Session<A>)
    /// # -> Result<(), Box<dyn std::error::Error>> {
    /// let token = session.access_token().await?;
    /// if call_api(token.expose_secret()).await == Err(401) {
    ///     session.invalidate(&token);
    ///     let fresh = session.access_token().await?; // refreshed, not the refused one
    ///     # let _ = fresh;
    /// }
    /// # Ok(()) }
    /// ```
    pub fn invalidate(&self, rejected: &AccessToken) -> bool {
        self.inner.invalidate(rejected)
    }

    /// Renews the token now, even if it is fresh, and waits for the result (at most the
    /// wait timeout): a refresh, or a login when there is no refresh token or it is
    /// refused. A renewal already running when called is waited for, then a new one
    /// starts, unless that one already ignored freshness.
    ///
    /// # Errors
    ///
    /// As [`access_token`](Session::access_token), except that a transient failure is
    /// always returned (the current token is not offered instead).
    pub async fn refresh_now(&self) -> Result<AccessToken, ErrorOf<A>> {
        self.inner.refresh_now().await
    }

    /// Waits until the renewal in progress, if any, has finished (at most the wait
    /// timeout). A call that finds its token due for renewal returns it at once and renews
    /// in the background; a program that exits right after taking a token (a CLI, a cron
    /// job) calls this first, so that with a shared store it neither cuts a renewal short
    /// nor leaves the next process to renew again.
    ///
    /// ```
    /// # use auth_session::{Authenticator, Session, Tokens};
    /// # #[derive(Debug)] struct Fixed;
    /// # #[derive(Debug, thiserror::Error)] #[error("never")] struct Never;
    /// # impl auth_session::AuthError for Never { fn kind(&self) -> auth_session::FailureKind { auth_session::FailureKind::Permanent } }
    /// # #[async_trait::async_trait] impl Authenticator for Fixed { type Error = Never;
    /// #   async fn login(&self) -> Result<Tokens, Never> { Ok(Tokens::new(auth_types::AccessToken::new("t"), std::time::Duration::from_secs(900))) }
    /// #   async fn logout(&self, _: &auth_types::AccessToken, _: Option<&auth_types::RefreshToken>) -> Result<(), Never> { Ok(()) } }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let session = Session::new(Fixed);
    /// let token = session.access_token().await.unwrap();
    /// session.wait_for_renewal().await;
    /// println!("{}", token.expose_secret());
    /// # }
    /// ```
    pub async fn wait_for_renewal(&self) {
        if let Some(running) = self.inner.running_flight() {
            let _ = rt::timeout(self.inner.config.wait_timeout, flight::wait(running)).await;
        }
    }

    /// Counters of what the session has done: logins, refreshes, failures, waits,
    /// invalidations, and the time of the last renewal. Cheap (a few atomic reads).
    pub fn stats(&self) -> SessionStats {
        #[cfg(feature = "metrics")]
        self.inner.tick(self.inner.clock.now());
        let mut stats = self.inner.counters.snapshot();
        stats.clock_offset_ms = offset_ms(self.inner.clock.now(), SystemTime::now());
        stats
    }

    /// Follows the session's tokens: the receiver sees each new token (from a login, a
    /// refresh, or the store) as it becomes current, and `None` after a logout. It starts
    /// with the current value. For metrics, or to hand tokens to another program; the
    /// value's `Debug` shows no token text.
    ///
    /// Only the latest value is kept: a slow receiver skips intermediate tokens.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<Option<NewToken>> {
        self.inner.new_tokens.subscribe()
    }

    /// The authenticator this session uses.
    pub fn authenticator(&self) -> &A {
        &self.inner.authenticator
    }
}

impl<A: Authenticator> fmt::Debug for Session<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let valid_for = self
            .inner
            .current
            .load()
            .as_deref()
            .map(|live| live.deadlines.valid_for(rt::now()));
        let config = &self.inner.config;
        f.debug_struct("Session")
            .field("token_valid_for", &valid_for)
            .field("refresh_buffer", &config.renew.refresh_buffer)
            .field("refresh_jitter", &config.renew.refresh_jitter)
            .field("hard_margin", &config.renew.hard_margin)
            .field("wait_timeout", &config.wait_timeout)
            .field("idle_timeout", &config.idle_timeout)
            .field("store", &self.inner.store)
            .finish_non_exhaustive()
    }
}

impl<A: Authenticator> Inner<A> {
    /// The slow path: wait for a flight's result, or fall back to the unexpired token.
    async fn renew(self: &Arc<Self>) -> Result<AccessToken, ErrorOf<A>> {
        match self.await_flight().await {
            Ok(live) => Ok(live.access_token.clone()),
            Err(error) if error.is_transient() => self.unexpired_token().ok_or(error),
            Err(error) => Err(error),
        }
    }

    /// Starts a flight unless one is running or the server asked to wait; never waits.
    fn renew_in_background(self: &Arc<Self>) {
        // During a backoff nothing starts; the current token is still good.
        let _ = self.join_or_start_flight(false);
    }

    /// The current token if it has not expired (even if it is due for renewal).
    fn unexpired_token(&self) -> Option<AccessToken> {
        let current = self.current.load();
        let live = current.as_deref()?;
        (self.freshness(live) != Freshness::Unusable).then(|| live.access_token.clone())
    }

    /// Ends the current token's use now if it is `rejected`; see [`Session::invalidate`].
    fn invalidate(&self, rejected: &AccessToken) -> bool {
        let current = self.current.load();
        let Some(live) = current.as_deref() else {
            return false;
        };
        let now = rt::now();
        if self.freshness(live) == Freshness::Unusable
            || live.access_token.expose_secret() != rejected.expose_secret()
        {
            return false;
        }
        let ended = Arc::new(Live {
            access_token: live.access_token.clone(),
            deadlines: Deadlines::ended(now),
            source: live.source,
        });
        // Only if no flight replaced the token since it was read.
        let previous = self.current.compare_and_swap(&current, Some(ended));
        let swapped = previous.as_deref().is_some_and(|p| std::ptr::eq(p, live));
        if swapped {
            self.count(Event::Invalidation);
            tracing::debug!("the server refused the current access token; renewing on next use");
        }
        swapped
    }

    /// How `live` may be used now, by both clocks.
    fn freshness(&self, live: &Live) -> Freshness {
        live.deadlines.freshness(rt::now(), self.clock.now())
    }

    /// Makes a token current for `lifetime` from `from` (`wall_from` on the wall clock),
    /// with deadlines from the renew policy, and restarts the idle watcher; `None` (and
    /// nothing changes) if the logout epoch is no longer `epoch`.
    fn set_current(
        self: &Arc<Self>,
        epoch: u64,
        access_token: AccessToken,
        (from, wall_from): (Instant, SystemTime),
        lifetime: Duration,
        source: TokenSource,
    ) -> Option<Arc<Live>> {
        let news = NewToken {
            access_token: access_token.clone(),
            expires_at: wall_from.checked_add(lifetime).unwrap_or(wall_from),
            source,
        };
        let live = Arc::new(Live {
            access_token,
            deadlines: self.config.renew.deadlines(from, wall_from, lifetime),
            source,
        });
        let replaced = {
            // Checked and stored under one lock, so a logout cannot slip in between.
            let flight = lock(&self.flight);
            if flight.epoch != epoch {
                return None;
            }
            let replaced = self.current.swap(Some(Arc::clone(&live)));
            // Under the lock too, so a logout's `None` is never overtaken.
            self.new_tokens.send_replace(Some(news));
            replaced
        };
        if source == TokenSource::Login
            && let Some(old) = replaced.filter(|old| old.obtained_here())
            && old.access_token.expose_secret() != live.access_token.expose_secret()
        {
            self.retire(old.access_token.clone());
        }
        self.restart_idle_watch();
        Some(live)
    }

    /// Logs `old`, a token this session obtained and a login replaced, out in the
    /// background after the authenticator's grace, if it asks for that.
    fn retire(self: &Arc<Self>, old: AccessToken) {
        let Some(grace) = self.authenticator.retire_replaced_after() else {
            return;
        };
        let inner = Arc::clone(self);
        // Detached: the old token is retired even if the session is dropped meanwhile.
        drop(rt::spawn(async move {
            rt::sleep_until(rt::now() + grace).await;
            match inner.authenticator.logout(&old, None).await {
                Ok(()) => tracing::debug!("replaced token logged out"),
                // Already dead (refused, expired) or unreachable: nothing more to do.
                Err(error) => tracing::debug!(%error, "replaced token not logged out"),
            }
        }));
    }

    /// Ends the logout epoch: forgets the current token and the server's request to wait,
    /// and makes every flight of the old epoch a no-op. Returns the forgotten token.
    fn end_epoch(&self) -> Option<Arc<Live>> {
        let mut flight = lock(&self.flight);
        flight.epoch = flight.epoch.wrapping_add(1);
        flight.backoff = None;
        self.new_tokens
            .send_if_modified(|news| news.take().is_some());
        self.current.swap(None)
    }
}

/// `clock - local` in milliseconds, saturating.
fn offset_ms(clock: SystemTime, local: SystemTime) -> i64 {
    match clock.duration_since(local) {
        Ok(ahead) => i64::try_from(ahead.as_millis()).unwrap_or(i64::MAX),
        Err(behind) => i64::try_from(behind.duration().as_millis()).map_or(i64::MIN, |ms| -ms),
    }
}
