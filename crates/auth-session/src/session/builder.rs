//! [`SessionBuilder`] and the settings it collects.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use auth_types::{Clock, SharedClock};

use super::flight::Flight;
use super::idle::Activity;
use super::policy::RenewPolicy;
use super::refusal::{DEFAULT_RENEWALS_FOR_401, Refusals};
use super::stats::Counters;
use super::{Held, Inner, Session};
use crate::authenticator::Authenticator;
use crate::rt::{ArcSwapOption, AsyncMutex, Mutex};
use auth_store::{MemoryStore, TokenStore};

/// Default time before expiry from which the token is refreshed.
const DEFAULT_REFRESH_BUFFER: Duration = Duration::from_secs(60);
/// Default upper bound of the random extra added to the buffer.
const DEFAULT_REFRESH_JITTER: Duration = Duration::from_secs(15);
/// Default hard margin: callers wait for a renewal only this close to expiry.
const DEFAULT_HARD_MARGIN: Duration = Duration::from_secs(5);
/// Default bound on the wait a server may ask for (`Retry-After`).
const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(5 * 60);
/// Default bound on waiting for a login or refresh.
const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_secs(30);

/// Settings of a [`Session`], made with [`Session::builder`].
pub struct SessionBuilder<A: Authenticator> {
    authenticator: A,
    store: Arc<dyn TokenStore>,
    /// Set by [`SessionBuilder::wall_clock`]; else the authenticator's server clock.
    clock: Option<SharedClock>,
    config: Config,
}

/// The settings a running session reads.
#[derive(Clone, Copy)]
pub(super) struct Config {
    /// When tokens are renewed.
    pub(super) renew: RenewPolicy,
    /// How long a caller waits for a flight.
    pub(super) wait_timeout: Duration,
    /// The longest wait a server's `Retry-After` can impose.
    pub(super) max_retry_after: Duration,
    /// Idle logout after this long without use, if on.
    pub(super) idle_timeout: Option<Duration>,
    /// The most 401-triggered renewals per minute.
    pub(super) renewals_for_401: u32,
}

impl<A: Authenticator> SessionBuilder<A> {
    /// The default settings; see [`Session::new`].
    pub(super) fn new(authenticator: A) -> Self {
        SessionBuilder {
            authenticator,
            store: Arc::new(MemoryStore::private()),
            clock: None,
            config: Config {
                renew: RenewPolicy {
                    refresh_buffer: DEFAULT_REFRESH_BUFFER,
                    refresh_jitter: DEFAULT_REFRESH_JITTER,
                    hard_margin: DEFAULT_HARD_MARGIN,
                },
                wait_timeout: DEFAULT_WAIT_TIMEOUT,
                max_retry_after: DEFAULT_MAX_RETRY_AFTER,
                idle_timeout: None,
                renewals_for_401: DEFAULT_RENEWALS_FOR_401,
            },
        }
    }

    /// Where tokens are kept between runs (default: [`MemoryStore`]).
    ///
    /// Entries are tagged with the authenticator's
    /// [`identity`](crate::Authenticator::identity); stored tokens of another identity
    /// (or of unknown owner) are ignored and never sent.
    ///
    /// Store failures never cost a token: a failed load means logging in, a failed save
    /// leaves the new tokens in memory (both are logged with `tracing`), and a failed clear
    /// at logout is returned as [`SessionError::Store`](crate::SessionError::Store).
    pub fn token_store(mut self, store: impl TokenStore + 'static) -> Self {
        self.store = Arc::new(store);
        self
    }

    /// The wall clock used for JWT `exp` claims and stored expiry times (default: the
    /// authenticator's [`server_clock`](crate::Authenticator::server_clock), which the
    /// provider crates' authenticators give: their client's estimate of the server's
    /// clock; else [`SystemClock`](crate::SystemClock)). Any `Fn() -> SystemTime + Send +
    /// Sync` closure is a [`Clock`].
    pub fn wall_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Some(SharedClock::new(clock));
        self
    }

    /// How long before expiry the token is renewed (default 60 s). Capped at half a
    /// token's lifetime.
    pub fn refresh_buffer(mut self, buffer: Duration) -> Self {
        self.config.renew.refresh_buffer = buffer;
        self
    }

    /// The most that is randomly added to the refresh buffer for each token (default
    /// 15 s), so that many sessions do not refresh at the same moment. Zero turns it off.
    pub fn refresh_jitter(mut self, jitter: Duration) -> Self {
        self.config.renew.refresh_jitter = jitter;
        self
    }

    /// How close to expiry a caller stops getting the current token at once and waits for
    /// its renewal instead (default 5 s). Capped at half the refresh margin (the buffer plus
    /// jitter, itself at most half the lifetime). Between the refresh point and this margin
    /// every caller gets the current token at once while one renewal runs in the
    /// background.
    pub fn hard_margin(mut self, margin: Duration) -> Self {
        self.config.renew.hard_margin = margin;
        self
    }

    /// How long a caller waits for a login or refresh in progress (default 30 s).
    pub fn wait_timeout(mut self, timeout: Duration) -> Self {
        self.config.wait_timeout = timeout;
        self
    }

    /// The longest wait a server can impose after a transient failure with a hint such as
    /// `Retry-After` (default 5 minutes): a longer request (years, or an HTTP date far in
    /// the future) is cut to this, so that a broken or hostile answer cannot lock the
    /// session out. Any value is accepted: `Duration::MAX` means "as long as the server
    /// asks", saturated at 30 years.
    pub fn max_retry_after(mut self, cap: Duration) -> Self {
        self.config.max_retry_after = cap;
        self
    }

    /// Logs out (on the server, and forgets the tokens) after no
    /// [`access_token`](Session::access_token) call for this long. Off by default. The
    /// watcher is a Tokio task that ends when the session is dropped.
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.config.idle_timeout = Some(idle);
        self
    }

    /// The most renewals a minute that reported 401s may cause (default 3), through
    /// [`Session::report_refused`] (as `auth_http`'s layer and middleware report them);
    /// shared by everything that reports to this session. Past it, a 401 is passed on to
    /// the caller without a renewal or a second try until the oldest of those renewals is
    /// a minute old. Zero: a 401 never causes a renewal. [`Session::invalidate`] is not
    /// capped.
    pub fn renewals_for_401_per_minute(mut self, renewals: u32) -> Self {
        self.config.renewals_for_401 = renewals;
        self
    }

    /// Makes the session. Nothing happens on the network until the first call.
    pub fn build(self) -> Session<A> {
        let clock = self
            .clock
            .or_else(|| self.authenticator.server_clock())
            .unwrap_or_default();
        Session {
            inner: Arc::new(Inner {
                identity: self.authenticator.identity(),
                authenticator: self.authenticator,
                store: self.store,
                clock,
                activity: self.config.idle_timeout.map(Activity::new),
                config: self.config,
                current: ArcSwapOption::empty(),
                tokens: AsyncMutex::new(Held {
                    refresh_token: None,
                    loaded: false,
                    generation: 0,
                    refresh_token_shared: false,
                }),
                flight: Mutex::new(Flight::default()),
                refusals: AsyncMutex::new(Refusals::default()),
                idle_watch: Mutex::new(None),
                counters: Counters::default(),
                new_tokens: tokio::sync::watch::Sender::new(None),
                store_warned: std::sync::atomic::AtomicBool::new(false),
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

impl fmt::Debug for Config {
    /// Flat, as before the renew policy had a type of its own.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("refresh_buffer", &self.renew.refresh_buffer)
            .field("refresh_jitter", &self.renew.refresh_jitter)
            .field("hard_margin", &self.renew.hard_margin)
            .field("wait_timeout", &self.wait_timeout)
            .field("max_retry_after", &self.max_retry_after)
            .field("idle_timeout", &self.idle_timeout)
            .field("renewals_for_401", &self.renewals_for_401)
            .finish()
    }
}
