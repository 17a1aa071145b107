//! [`PoolBuilder`]: the settings of a [`SessionPool`](crate::SessionPool).

use std::fmt;
use std::hash::Hash;
use std::sync::Arc;
use std::time::Duration;

use auth_session::{Authenticator, SessionBuilder};

use crate::authenticator::PooledAuthenticator;
use crate::error::FactoryError;
use crate::store::StoreFactory;

/// Default bound on logins, refreshes and logouts in flight at once per egress.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 8;
/// Default refresh jitter of a pool's sessions: renewals of tokens issued together
/// spread over this window (a session alone defaults to a random 0 to 15 s).
pub const DEFAULT_REFRESH_JITTER: Duration = Duration::from_secs(60);
/// How long before expiry a pool's session renews its token, before its share of the
/// jitter window is added (the session's own default).
pub const REFRESH_BUFFER: Duration = Duration::from_secs(60);
/// Default idle time after which a session is evicted.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30 * 60);
/// Default number of evictions (logouts) one sweep runs at once.
pub const DEFAULT_SWEEP_CONCURRENCY: usize = 8;
/// The longest default pause between sweeps.
const MAX_DEFAULT_SWEEP_INTERVAL: Duration = Duration::from_secs(60);
/// The shortest pause between sweeps.
const MIN_SWEEP_INTERVAL: Duration = Duration::from_millis(10);

/// Makes a key's authenticator.
pub(crate) type Factory<K, A> = dyn Fn(&K) -> Result<A, FactoryError> + Send + Sync;
/// Names a key's egress.
pub(crate) type EgressOf<K> = dyn Fn(&K) -> Option<String> + Send + Sync;
/// The builder of a pooled session.
pub(crate) type Builder<A> = SessionBuilder<PooledAuthenticator<A>>;
/// Further settings of each session.
pub(crate) type Configure<A> = dyn Fn(Builder<A>) -> Builder<A> + Send + Sync;

/// The settings of a [`SessionPool`](crate::SessionPool), made with
/// [`SessionPool::builder`](crate::SessionPool::builder).
pub struct PoolBuilder<K, A: Authenticator> {
    pub(crate) factory: Arc<Factory<K, A>>,
    pub(crate) egress: Option<Arc<EgressOf<K>>>,
    pub(crate) stores: StoreFactory,
    pub(crate) max_in_flight: usize,
    pub(crate) refresh_jitter: Duration,
    pub(crate) idle_timeout: Option<Duration>,
    pub(crate) sweep_interval: Option<Duration>,
    pub(crate) sweep_concurrency: usize,
    pub(crate) logout_on_evict: bool,
    pub(crate) configure: Option<Arc<Configure<A>>>,
}

impl<K, A> PoolBuilder<K, A>
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
    A: Authenticator,
{
    pub(crate) fn new(factory: Arc<Factory<K, A>>) -> Self {
        PoolBuilder {
            factory,
            egress: None,
            stores: StoreFactory::private(),
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            refresh_jitter: DEFAULT_REFRESH_JITTER,
            idle_timeout: Some(DEFAULT_IDLE_TIMEOUT),
            sweep_interval: None,
            sweep_concurrency: DEFAULT_SWEEP_CONCURRENCY,
            logout_on_evict: true,
            configure: None,
        }
    }

    /// Names each key's egress (a proxy URL, a local address: any text; `None` is the
    /// default egress, `""`). The bound on calls in flight applies per egress. Default:
    /// every key on the default egress. The factory is what makes the key's
    /// authenticator use that egress (its transport); this only groups the bound.
    pub fn egress(mut self, egress: impl Fn(&K) -> Option<String> + Send + Sync + 'static) -> Self {
        self.egress = Some(Arc::new(egress));
        self
    }

    /// Where each session keeps its tokens (default [`StoreFactory::private`]).
    pub fn stores(mut self, stores: StoreFactory) -> Self {
        self.stores = stores;
        self
    }

    /// At most this many logins, refreshes and logouts run at once per egress (default
    /// [`DEFAULT_MAX_IN_FLIGHT`]; zero counts as one).
    pub fn max_in_flight(mut self, permits: usize) -> Self {
        self.max_in_flight = permits.max(1);
        self
    }

    /// The window over which the sessions' renewals are spread (default
    /// [`DEFAULT_REFRESH_JITTER`]). Each session renews its tokens [`REFRESH_BUFFER`] plus
    /// its own share of the window before expiry: the n-th session made gets the
    /// fractional part of n times the golden ratio of it, so any number of sessions made
    /// in a row cover the window evenly: 1,000 tokens issued together are renewed at most
    /// one more than 1,000 / window-in-seconds in any second (random draws would put 25
    /// or more into some second of a minute). The session caps buffer plus share at half a token's lifetime.
    /// [`session_options`](Self::session_options) may override the session's buffer
    /// and jitter.
    pub fn refresh_jitter(mut self, window: Duration) -> Self {
        self.refresh_jitter = window;
        self
    }

    /// Evicts a session after no use through the pool for this long (default
    /// [`DEFAULT_IDLE_TIMEOUT`]): logs it out ([`logout_on_evict`](Self::logout_on_evict))
    /// and drops it. `None`: sessions are kept until the pool is dropped.
    pub fn idle_timeout(mut self, idle: Option<Duration>) -> Self {
        self.idle_timeout = idle;
        self
    }

    /// How often the background sweep looks for idle sessions (default: a quarter of the
    /// idle timeout, at most 60 s; at least 10 ms).
    pub fn sweep_interval(mut self, every: Duration) -> Self {
        self.sweep_interval = Some(every);
        self
    }

    /// How many evictions one sweep runs at once (default
    /// [`DEFAULT_SWEEP_CONCURRENCY`]; zero counts as one). Their logouts also take the
    /// egress's permits.
    pub fn sweep_concurrency(mut self, evictions: usize) -> Self {
        self.sweep_concurrency = evictions.max(1);
        self
    }

    /// Whether an evicted session is logged out (default `true`: the server session ends,
    /// and the store is cleared) or only dropped (its tokens stay in the store until they
    /// expire). With a store shared by processes, an idle session in one process may be in
    /// use in another, which a logout would cut off (the others then log in again): pass
    /// `false` there.
    pub fn logout_on_evict(mut self, logout: bool) -> Self {
        self.logout_on_evict = logout;
        self
    }

    /// Any further session settings (wait timeout, refresh buffer, hard margin, wall
    /// clock, ...), applied to each session's builder after the pool's own (token store,
    /// refresh jitter), so it may override them.
    pub fn session_options(
        mut self,
        configure: impl Fn(Builder<A>) -> Builder<A> + Send + Sync + 'static,
    ) -> Self {
        self.configure = Some(Arc::new(configure));
        self
    }

    /// The pause between sweeps, or `None` when nothing is evicted.
    pub(crate) fn sweep_every(&self) -> Option<Duration> {
        let idle = self.idle_timeout?;
        let every = self
            .sweep_interval
            .unwrap_or_else(|| (idle / 4).min(MAX_DEFAULT_SWEEP_INTERVAL));
        Some(every.max(MIN_SWEEP_INTERVAL))
    }
}

impl<K, A: Authenticator> fmt::Debug for PoolBuilder<K, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PoolBuilder")
            .field("stores", &self.stores)
            .field("max_in_flight", &self.max_in_flight)
            .field("refresh_jitter", &self.refresh_jitter)
            .field("idle_timeout", &self.idle_timeout)
            .field("sweep_interval", &self.sweep_interval)
            .field("sweep_concurrency", &self.sweep_concurrency)
            .field("logout_on_evict", &self.logout_on_evict)
            .finish_non_exhaustive()
    }
}
