//! The session: a cached access token that one background task at a time renews.
//!
//! - The fast path loads the cached token from an [`ArcSwapOption`] (no lock) and returns
//!   it while it is before its refresh deadline.
//! - Otherwise the caller joins the flight in progress, or starts one: a spawned task that
//!   takes the `tokens` mutex (held across I/O), refreshes or logs in, makes the new token
//!   current, saves it to the store, and publishes the result on a `watch` channel that
//!   every waiting caller reads. Because
//!   the flight is a task of its own, a caller that gives up (timeout, cancellation) never
//!   cuts a refresh in half, which would lose a single-use refresh token.
//! - Logout takes the same `tokens` mutex, so it never overlaps a refresh.

use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::Duration;

use arc_swap::ArcSwapOption;
use auth_types::{AccessToken, RefreshToken};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::authenticator::{AuthError as _, Authenticator, FailureKind};
use crate::clock::{SystemClock, WallClock};
use crate::error::SessionError;
use crate::store::{MemoryStore, StoredTokens, TokenStore};
use crate::tokens::{self, Live, MAX_LIFETIME, Tokens};

/// Default time before expiry from which the token is refreshed.
const DEFAULT_REFRESH_BUFFER: Duration = Duration::from_secs(60);
/// Default upper bound of the random extra added to the buffer.
const DEFAULT_REFRESH_JITTER: Duration = Duration::from_secs(15);
/// Default bound on waiting for a login or refresh.
const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_secs(30);

/// The result of one flight, shared by every caller that waited for it.
type Outcome<E> = Result<Arc<Live>, SessionError<E>>;
/// Where a waiting caller receives a flight's outcome (`None` while it runs).
type FlightResult<E> = watch::Receiver<Option<Outcome<E>>>;
/// The session error of authenticator `A`.
type ErrorOf<A> = SessionError<<A as Authenticator>::Error>;

/// A login session that hands out an access token that is alive.
///
/// [`access_token`](Session::access_token) returns the cached token while it is more than
/// the refresh buffer (default 60 s, plus a random 0 to 15 s so that many sessions do not
/// refresh together) away from expiry. Closer to expiry, exactly one refresh runs, or a
/// login when there is no refresh token or the server rejects it; all other callers wait
/// for its result. A token never gets less than half its lifetime of use: the buffer is
/// capped at half the lifetime.
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

/// Settings of a [`Session`], made with [`Session::builder`].
pub struct SessionBuilder<A: Authenticator> {
    authenticator: A,
    store: Arc<dyn TokenStore>,
    clock: Arc<dyn WallClock>,
    config: Config,
}

#[derive(Debug, Clone, Copy)]
struct Config {
    refresh_buffer: Duration,
    refresh_jitter: Duration,
    wait_timeout: Duration,
    idle_timeout: Option<Duration>,
}

impl Config {
    /// How long before expiry a token of `lifetime` is refreshed: the buffer plus jitter,
    /// at most half the lifetime.
    fn margin(&self, lifetime: Duration) -> Duration {
        self.refresh_buffer
            .saturating_add(random_up_to(self.refresh_jitter))
            .min(lifetime / 2)
    }
}

struct Inner<A: Authenticator> {
    authenticator: A,
    store: Arc<dyn TokenStore>,
    clock: Arc<dyn WallClock>,
    config: Config,
    /// The token callers get; the fast path reads only this.
    current: ArcSwapOption<Live>,
    /// Held by whoever changes the tokens (a flight, a logout), across I/O.
    tokens: tokio::sync::Mutex<Held>,
    /// The flight in progress and the server's request to wait. Never held across I/O.
    flight: Mutex<Flight<A::Error>>,
    /// Last use, when idle logout is on.
    activity: Option<Activity>,
    /// The idle watcher task, aborted when replaced or when the session is dropped.
    idle_watch: Mutex<Option<JoinHandle<()>>>,
}

/// State only a holder of the `tokens` mutex touches.
struct Held {
    /// The refresh token for the next refresh. Taken out before it is presented.
    refresh_token: Option<RefreshToken>,
    /// Whether the store has been read (once, on first use).
    loaded: bool,
}

struct Flight<E> {
    /// Receives the outcome of the flight started last; `None` while it runs.
    running: Option<FlightResult<E>>,
    /// No login or refresh before this instant, as the server asked.
    backoff: Option<(Instant, Arc<E>)>,
}

impl<A: Authenticator> Session<A> {
    /// A session with the default settings: in-memory store, system wall clock, 60 s
    /// refresh buffer with up to 15 s jitter, 30 s wait timeout, no idle logout.
    pub fn new(authenticator: A) -> Self {
        Session::builder(authenticator).build()
    }

    /// Starts configuring a session.
    pub fn builder(authenticator: A) -> SessionBuilder<A> {
        SessionBuilder {
            authenticator,
            store: Arc::new(MemoryStore::new()),
            clock: Arc::new(SystemClock),
            config: Config {
                refresh_buffer: DEFAULT_REFRESH_BUFFER,
                refresh_jitter: DEFAULT_REFRESH_JITTER,
                wait_timeout: DEFAULT_WAIT_TIMEOUT,
                idle_timeout: None,
            },
        }
    }

    /// An access token that is valid for at least the refresh buffer (or half its
    /// lifetime, if shorter), logging in or refreshing first if needed.
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
        let now = Instant::now();
        if let Some(activity) = &self.inner.activity {
            activity.touch(now);
        }
        if let Some(live) = self.inner.current.load().as_deref() {
            if now < live.refresh_at {
                return Ok(live.access_token.clone());
            }
        }
        self.inner.renew().await
    }

    /// Logs out on the server and forgets the tokens, in memory and in the store. Waits for
    /// a login or refresh in progress to finish first. Without tokens, only the store is
    /// cleared. A later [`access_token`](Session::access_token) logs in again.
    ///
    /// # Errors
    ///
    /// [`SessionError::Logout`] if the server call failed, else [`SessionError::Store`] if
    /// the store could not be cleared. The tokens in memory are cleared in every case.
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
            .map(|live| live.expires_at.saturating_duration_since(Instant::now()));
        f.debug_struct("Session")
            .field("token_valid_for", &valid_for)
            .field("refresh_buffer", &self.inner.config.refresh_buffer)
            .field("refresh_jitter", &self.inner.config.refresh_jitter)
            .field("wait_timeout", &self.inner.config.wait_timeout)
            .field("idle_timeout", &self.inner.config.idle_timeout)
            .field("store", &self.inner.store)
            .finish_non_exhaustive()
    }
}

impl<A: Authenticator> SessionBuilder<A> {
    /// Where tokens are kept between runs (default: [`MemoryStore`]).
    ///
    /// Store failures never cost a token: a failed load means logging in, a failed save
    /// leaves the new tokens in memory (both are logged with `tracing`), and a failed clear
    /// at logout is returned as [`SessionError::Store`].
    pub fn token_store(mut self, store: impl TokenStore + 'static) -> Self {
        self.store = Arc::new(store);
        self
    }

    /// The wall clock used for JWT `exp` claims and stored expiry times (default:
    /// [`SystemClock`]).
    pub fn wall_clock(mut self, clock: impl WallClock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// How long before expiry the token is renewed (default 60 s). Capped at half a
    /// token's lifetime.
    pub fn refresh_buffer(mut self, buffer: Duration) -> Self {
        self.config.refresh_buffer = buffer;
        self
    }

    /// The most that is randomly added to the refresh buffer for each token (default
    /// 15 s), so that many sessions do not refresh at the same moment. Zero turns it off.
    pub fn refresh_jitter(mut self, jitter: Duration) -> Self {
        self.config.refresh_jitter = jitter;
        self
    }

    /// How long a caller waits for a login or refresh in progress (default 30 s).
    pub fn wait_timeout(mut self, timeout: Duration) -> Self {
        self.config.wait_timeout = timeout;
        self
    }

    /// Logs out (on the server, and forgets the tokens) after no
    /// [`access_token`](Session::access_token) call for this long. Off by default. The
    /// watcher is a Tokio task that ends when the session is dropped.
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.config.idle_timeout = Some(idle);
        self
    }

    /// Makes the session. Nothing happens on the network until the first call.
    pub fn build(self) -> Session<A> {
        Session {
            inner: Arc::new(Inner {
                authenticator: self.authenticator,
                store: self.store,
                clock: self.clock,
                activity: self.config.idle_timeout.map(Activity::new),
                config: self.config,
                current: ArcSwapOption::empty(),
                tokens: tokio::sync::Mutex::new(Held {
                    refresh_token: None,
                    loaded: false,
                }),
                flight: Mutex::new(Flight {
                    running: None,
                    backoff: None,
                }),
                idle_watch: Mutex::new(None),
            }),
        }
    }
}

impl<A: Authenticator> fmt::Debug for SessionBuilder<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionBuilder")
            .field("config", &self.config)
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl<A: Authenticator> Inner<A> {
    /// The slow path: wait for a flight's result, or fall back to the unexpired token.
    async fn renew(self: &Arc<Self>) -> Result<AccessToken, ErrorOf<A>> {
        let after = self.config.wait_timeout;
        let outcome = match self.join_or_start_flight() {
            Ok(flight) => tokio::time::timeout(after, wait(flight))
                .await
                .unwrap_or(Err(SessionError::Timeout { after })),
            Err(backoff) => Err(backoff),
        };
        match outcome {
            Ok(live) => Ok(live.access_token.clone()),
            Err(error) if error.is_transient() => self.unexpired_token().ok_or(error),
            Err(error) => Err(error),
        }
    }

    /// Ends the current token's use now if it is `rejected`; see [`Session::invalidate`].
    fn invalidate(&self, rejected: &AccessToken) -> bool {
        let current = self.current.load();
        let Some(live) = current.as_deref() else {
            return false;
        };
        let now = Instant::now();
        if live.expires_at <= now || live.access_token.expose_secret() != rejected.expose_secret() {
            return false;
        }
        let ended = Arc::new(Live::new(
            live.access_token.clone(),
            now,
            Duration::ZERO,
            Duration::ZERO,
        ));
        // Only if no flight replaced the token since it was read.
        let previous = self.current.compare_and_swap(&current, Some(ended));
        let swapped = previous.as_deref().is_some_and(|p| std::ptr::eq(p, live));
        if swapped {
            tracing::debug!("the server refused the current access token; renewing on next use");
        }
        swapped
    }

    /// The current token if it has not expired (even if it is due for refresh).
    fn unexpired_token(&self) -> Option<AccessToken> {
        let current = self.current.load();
        let live = current.as_deref()?;
        (Instant::now() < live.expires_at).then(|| live.access_token.clone())
    }

    /// Subscribes to the flight in progress, or starts one; refuses during a backoff.
    fn join_or_start_flight(self: &Arc<Self>) -> Result<FlightResult<A::Error>, ErrorOf<A>> {
        let mut flight = lock(&self.flight);
        if let Some((until, source)) = &flight.backoff {
            let now = Instant::now();
            if now < *until {
                return Err(SessionError::Backoff {
                    retry_in: *until - now,
                    source: Arc::clone(source),
                });
            }
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
            if Instant::now() < live.refresh_at {
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

    /// Reads the store once. Stored tokens become current (an expired access token too:
    /// it is never handed out, but logout can still revoke it).
    async fn ensure_loaded(self: &Arc<Self>, held: &mut Held) {
        if held.loaded {
            return;
        }
        // Set before `set_current` starts an idle watcher, whose logout must not load.
        held.loaded = true;
        match self.store.load().await {
            Ok(Some(stored)) => {
                let wall_now = self.clock.now();
                let remaining = stored
                    .expires_at
                    .duration_since(wall_now)
                    .unwrap_or_default()
                    .min(MAX_LIFETIME);
                let lifetime = tokens::lifetime(&stored.access_token, remaining, wall_now);
                held.refresh_token = stored.refresh_token;
                self.set_current(stored.access_token, Instant::now(), lifetime);
            }
            Ok(None) => {}
            Err(error) => {
                tracing::warn!(%error, "could not load stored tokens; logging in instead");
            }
        }
    }

    fn set_current(
        self: &Arc<Self>,
        access_token: AccessToken,
        from: Instant,
        lifetime: Duration,
    ) -> Arc<Live> {
        let margin = self.config.margin(lifetime);
        let live = Arc::new(Live::new(access_token, from, lifetime, margin));
        self.current.store(Some(Arc::clone(&live)));
        self.restart_idle_watch();
        live
    }

    /// Remembers the server's request to wait, or forgets an old one.
    fn note_backoff(&self, outcome: &Outcome<A::Error>) {
        let backoff = match outcome {
            Err(SessionError::Login { source } | SessionError::Refresh { source })
                if source.kind() == FailureKind::Transient =>
            {
                source
                    .retry_after()
                    .and_then(|wait| Instant::now().checked_add(wait))
                    .map(|until| (until, Arc::clone(source)))
            }
            _ => None,
        };
        lock(&self.flight).backoff = backoff;
    }

    async fn logout(self: &Arc<Self>) -> Result<(), ErrorOf<A>> {
        let mut held = self.tokens.lock().await;
        self.ensure_loaded(&mut held).await;
        let current = self.current.swap(None);
        let refresh_token = held.refresh_token.take();
        lock(&self.flight).backoff = None;
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

    /// Starts a new idle watcher (after new tokens), replacing the old one.
    fn restart_idle_watch(self: &Arc<Self>) {
        let Some(idle) = self.config.idle_timeout else {
            return;
        };
        let watcher = tokio::spawn(idle_watch(Arc::downgrade(self), idle));
        if let Some(old) = lock(&self.idle_watch).replace(watcher) {
            old.abort();
        }
    }

    /// When the session counts as idle, if idle logout is on.
    fn idle_deadline(&self, idle: Duration) -> Option<Instant> {
        self.activity.as_ref()?.deadline(idle)
    }
}

impl<A: Authenticator> Drop for Inner<A> {
    fn drop(&mut self) {
        let watcher = self
            .idle_watch
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(watcher) = watcher.take() {
            watcher.abort();
        }
    }
}

/// Waits for a flight's outcome.
async fn wait<E>(mut flight: FlightResult<E>) -> Outcome<E> {
    match flight.wait_for(Option::is_some).await {
        Ok(outcome) => outcome.clone().unwrap_or(Err(SessionError::Interrupted)),
        Err(_) => Err(SessionError::Interrupted),
    }
}

/// Logs out once the session has been idle long enough. Holds only a weak reference, so
/// it ends when the session is dropped (which also aborts it).
async fn idle_watch<A: Authenticator>(session: Weak<Inner<A>>, idle: Duration) {
    loop {
        let Some(deadline) = session
            .upgrade()
            .and_then(|inner| inner.idle_deadline(idle))
        else {
            return;
        };
        tokio::time::sleep_until(deadline).await;
        let Some(inner) = session.upgrade() else {
            return;
        };
        if inner.current.load().is_none() {
            return; // Logged out already.
        }
        if inner
            .idle_deadline(idle)
            .is_some_and(|d| d <= Instant::now())
        {
            if let Err(error) = inner.logout().await {
                tracing::warn!(%error, "idle logout failed on the server; local tokens were cleared");
            }
            return;
        }
    }
}

/// The time of the last use, kept cheap for the fast path: the shared value is written
/// only when it is at least `step` old, so concurrent callers rarely write one cache line.
struct Activity {
    base: Instant,
    last_ms: AtomicU64,
    step_ms: u64,
}

impl Activity {
    fn new(idle: Duration) -> Self {
        let step = (idle / 32).min(Duration::from_secs(1));
        Activity {
            base: Instant::now(),
            last_ms: AtomicU64::new(0),
            step_ms: millis(step).max(1),
        }
    }

    fn touch(&self, now: Instant) {
        let ms = millis(now.saturating_duration_since(self.base));
        if ms.saturating_sub(self.last_ms.load(Ordering::Relaxed)) >= self.step_ms {
            self.last_ms.fetch_max(ms, Ordering::Relaxed);
        }
    }

    /// The last use plus `idle`, plus the recording step so a logout is never early.
    fn deadline(&self, idle: Duration) -> Option<Instant> {
        let last = self.last_ms.load(Ordering::Relaxed);
        self.base
            .checked_add(Duration::from_millis(last.saturating_add(self.step_ms)))?
            .checked_add(idle)
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// A random duration in `[0, max]` from the standard library's randomly keyed hasher
/// (jitter needs spread, not cryptographic strength).
fn random_up_to(max: Duration) -> Duration {
    let nanos = u64::try_from(max.as_nanos()).unwrap_or(u64::MAX);
    if nanos == 0 {
        return Duration::ZERO;
    }
    let random = RandomState::new().hash_one(Instant::now());
    Duration::from_nanos(random % nanos.saturating_add(1))
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
