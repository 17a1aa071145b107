//! The rate budget: requests paced per host and egress before they leave, so the server
//! never has to say no. [`RateBudget`] is the shareable handle, [`Quota`] the limits, the
//! GCRA arithmetic is in `gcra.rs`, and what answers teach (`Retry-After`,
//! `x-ratelimit-*`) in `learn.rs`.

mod gcra;
mod learn;
mod pacing;
mod quota;
mod window;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use auth_types::{SharedRateLimiter, SharedReservation, lock};
use http::{HeaderMap, StatusCode};
use tokio::time::Instant;

use crate::error::ApiError;
use gcra::Reservation;
pub(crate) use pacing::{BudgetChoice, Pacing, Sent};
pub use quota::Quota;

/// The longest a request waits for its slot unless told otherwise.
const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(30);

/// Added to each quota's window before it is divided among its requests, unless told
/// otherwise: none (the sliding-window guard keeps late requests honest).
const DEFAULT_MARGIN: Duration = Duration::ZERO;

/// How often a request waiting on an answer still in flight looks again.
const IN_FLIGHT_POLL: Duration = Duration::from_millis(5);

/// A rate budget for one egress (one outgoing IP, named by its label): for each host it
/// reaches, the requests of every client that shares this handle are paced to the host's
/// [`Quota`] before they are sent, and what the host's answers say about its limit
/// (`Retry-After` on 429 and 503, `x-ratelimit-remaining` / `-reset`) holds them back
/// further.
///
/// - **Shared by cloning.** A `RateBudget` is a handle (`Arc`): give the same one to every
///   client that leaves through the same egress (one per wallet, say), and they share its
///   pace. Clients of another egress (a proxy, another local address) get their own.
/// - **Quota.** Each client brings its API's known quota ([`Quota::PUMP`],
///   [`Quota::PEAR`]); [`RateBudgetBuilder::quota`] overrides it for every host of this
///   budget. Without either, requests are only held back by what answers said.
/// - **Pacing** is a GCRA with reservations: each request takes the next free slot, one
///   every `quota.per() / quota.requests()` plus [`margin`](RateBudgetBuilder::margin) /
///   `requests`, and sleeps until it (tokio's timer); a quota [`with_burst`](Quota::with_burst)
///   lets that many leave at once after a quiet spell. Waiters go in the order they came.
///   Then a sliding-window guard: a request leaves only when fewer than `requests` of the
///   last ones may have reached the server within `per` before it (a request counts from
///   when it left until its answer came back), so a request that left late never makes a
///   window of a strict server hold one too many.
/// - **Bounded.** A request whose slot is further away than
///   [`max_wait`](RateBudgetBuilder::max_wait) (30 s by default) is not sent: it fails with
///   [`ApiError::OverBudget`], transient, carrying the wait as `retry_after`.
/// - **Fleet.** With [`RateBudgetBuilder::shared`] the slots are taken from a
///   [`SharedRateLimiter`] (Redis: `auth_store::RedisRateLimiter`), so processes on many
///   machines that leave through the same IP share one pace.
///
/// ```
/// use std::time::Duration;
/// use auth_provider::{Quota, RateBudget};
///
/// // Four wallets' clients behind one proxy share this handle.
/// let budget = RateBudget::builder("proxy-1")
///     .quota(Quota::per_second(20))
///     .max_wait(Duration::from_secs(10))
///     .build();
/// assert_eq!(budget.egress(), "proxy-1");
/// let shared = budget.clone(); // the same budget
/// # let _ = shared;
/// ```
#[derive(Clone)]
pub struct RateBudget {
    inner: Arc<Inner>,
}

struct Inner {
    egress: String,
    quota: Option<Quota>,
    max_wait: Duration,
    margin: Duration,
    shared: Option<Arc<dyn SharedRateLimiter>>,
    origin: Instant,
    hosts: Mutex<HashMap<String, HostState>>,
}

/// What a budget knows of one host.
#[derive(Default)]
struct HostState {
    /// The next free slot, from the budget's origin.
    tat: Option<Duration>,
    /// No request before this (the host said so), from the budget's origin.
    hold_until: Option<Duration>,
    /// The last requests, for the sliding-window guard.
    window: window::Window,
}

/// Settings of a [`RateBudget`]; made by [`RateBudget::builder`].
#[derive(Debug)]
#[must_use = "a builder does nothing until built"]
pub struct RateBudgetBuilder {
    egress: String,
    quota: Option<Quota>,
    max_wait: Duration,
    margin: Duration,
    shared: Option<Arc<dyn SharedRateLimiter>>,
}

impl RateBudgetBuilder {
    /// The quota for every host of this budget, instead of each API's own.
    pub fn quota(mut self, quota: Quota) -> Self {
        self.quota = Some(quota);
        self
    }

    /// The longest a request waits for its slot (default 30 s); past it the request fails
    /// with [`ApiError::OverBudget`].
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }

    /// Added to each quota's window before it is divided among its requests (default
    /// none): with 50 ms, 20 requests a second are paced one every 52.5 ms, for a server
    /// that counts more strictly than a sliding window.
    pub fn margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Takes slots from a limiter shared by many processes (one key per host and egress)
    /// instead of this process's own count.
    pub fn shared(mut self, limiter: Arc<dyn SharedRateLimiter>) -> Self {
        self.shared = Some(limiter);
        self
    }

    /// The budget.
    pub fn build(self) -> RateBudget {
        RateBudget {
            inner: Arc::new(Inner {
                egress: self.egress,
                quota: self.quota,
                max_wait: self.max_wait,
                margin: self.margin,
                shared: self.shared,
                origin: Instant::now(),
                hosts: Mutex::default(),
            }),
        }
    }
}

impl RateBudget {
    /// Settings for the budget of the egress named `egress` (a label: `"default"`,
    /// `"proxy-1"`, `"127.0.0.2"`).
    pub fn builder(egress: impl Into<String>) -> RateBudgetBuilder {
        RateBudgetBuilder {
            egress: egress.into(),
            quota: None,
            max_wait: DEFAULT_MAX_WAIT,
            margin: DEFAULT_MARGIN,
            shared: None,
        }
    }

    /// The budget of this process's default egress (label `"default"`), which every
    /// client built without a budget of its own shares when its host is not loopback:
    /// all of them leave from the machine's one address.
    pub fn process_default() -> RateBudget {
        static DEFAULT: OnceLock<RateBudget> = OnceLock::new();
        DEFAULT
            .get_or_init(|| RateBudget::builder("default").build())
            .clone()
    }

    /// The egress label.
    pub fn egress(&self) -> &str {
        &self.inner.egress
    }

    /// The quota in force for a client whose API's own is `api_quota`.
    fn quota_for(&self, api_quota: Option<Quota>) -> Option<Quota> {
        self.inner.quota.or(api_quota)
    }

    fn now(&self) -> Duration {
        Instant::now().saturating_duration_since(self.inner.origin)
    }

    /// Waits for the next slot of `host` (and for any hold the host asked for); fails with
    /// [`ApiError::OverBudget`] rather than wait longer than the budget's maximum.
    pub(crate) async fn acquire(
        &self,
        api: &'static str,
        host: &str,
        api_quota: Option<Quota>,
    ) -> Result<Sent, ApiError> {
        let inner = &self.inner;
        let quota = self.quota_for(api_quota);
        let interval = quota.map(|q| (q.per() + inner.margin) / q.requests());
        let now = self.now();
        let wait = {
            let mut hosts = lock(&inner.hosts);
            let state = hosts.entry(host.to_owned()).or_default();
            let held = state
                .hold_until
                .map_or(Duration::ZERO, |until| until.saturating_sub(now));
            if held > inner.max_wait {
                return Err(self.over_budget(api, host, held));
            }
            let start = now + held;
            match interval {
                Some(interval) if inner.shared.is_none() => {
                    let tolerance = quota.map_or(Duration::ZERO, |q| q.tolerance(interval));
                    match gcra::reserve(
                        state.tat,
                        start,
                        interval,
                        tolerance,
                        inner.max_wait.saturating_sub(held),
                    ) {
                        Reservation::Granted { wait, tat } => {
                            state.tat = Some(tat);
                            held + wait
                        }
                        Reservation::TooLong { retry_after } => {
                            return Err(self.over_budget(api, host, held + retry_after));
                        }
                    }
                }
                _ => held,
            }
        };
        let wait = match (&inner.shared, interval) {
            (Some(shared), Some(interval)) => {
                let key = format!("{}|{host}", inner.egress);
                let max_wait = inner.max_wait.saturating_sub(wait);
                match shared.reserve(&key, interval, max_wait).await {
                    Ok(SharedReservation::Granted { wait: shared_wait }) => wait + shared_wait,
                    Ok(SharedReservation::TooLong { retry_after }) => {
                        return Err(self.over_budget(api, host, wait + retry_after));
                    }
                    Err(e) => {
                        // The shared count is out of reach: pace alone rather than stop.
                        tracing::warn!(target: "auth_provider", api, egress = %inner.egress, error = %e, "shared rate limiter unavailable; pacing this process alone");
                        self.local_only(api, host, interval, now, wait)?
                    }
                }
            }
            _ => wait,
        };
        if !wait.is_zero() {
            tracing::trace!(target: "auth_provider", api, egress = %inner.egress, wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX), "paced");
            tokio::time::sleep(wait).await;
        }
        let Some(quota) = quota else {
            return Ok(self.sent(host, None));
        };
        loop {
            let admit = lock(&inner.hosts)
                .entry(host.to_owned())
                .or_default()
                .window
                .admit(self.now(), quota.requests(), quota.per());
            match admit {
                window::Admit::Sent(id) => return Ok(self.sent(host, Some(id))),
                window::Admit::InFlight => tokio::time::sleep(IN_FLIGHT_POLL).await,
                window::Admit::Wait(wait) if wait > inner.max_wait => {
                    return Err(self.over_budget(api, host, wait));
                }
                window::Admit::Wait(wait) => tokio::time::sleep(wait).await,
            }
        }
    }

    /// Waits for a slot for a request of your own to `host` (its authority, e.g.
    /// `frontend-api-v3.pump.fun`) under the same pace, holds and bound as every provider
    /// client sharing this budget, so a bot's API calls and its logins stay under one
    /// limit together. `api_quota` is that API's limit ([`Quota::PUMP`], say); the
    /// budget's own [`quota`](RateBudgetBuilder::quota) wins over it, and with neither the
    /// request waits only for holds. Keep the [`RateSlot`] until the answer has come back
    /// (it counts as in flight until dropped) and show it the answer with
    /// [`RateSlot::learn`].
    ///
    /// ```
    /// # async fn demo() -> Result<(), auth_provider::ApiError> {
    /// use auth_provider::{Quota, RateBudget};
    ///
    /// let budget = RateBudget::builder("default").build();
    /// let slot = budget.slot("frontend-api-v3.pump.fun", Some(Quota::PUMP)).await?;
    /// // ... send the request, then:
    /// slot.learn(http::StatusCode::OK, &http::HeaderMap::new());
    /// drop(slot);
    /// # Ok(()) }
    /// ```
    pub async fn slot(&self, host: &str, api_quota: Option<Quota>) -> Result<RateSlot, ApiError> {
        self.acquire("your", host, api_quota)
            .await
            .map(|sent| RateSlot { sent })
    }

    fn sent(&self, host: &str, id: Option<u64>) -> Sent {
        Sent {
            budget: self.clone(),
            host: host.to_owned(),
            id,
        }
    }

    /// A local reservation after `held`, when the shared limiter cannot be reached.
    fn local_only(
        &self,
        api: &'static str,
        host: &str,
        interval: Duration,
        now: Duration,
        held: Duration,
    ) -> Result<Duration, ApiError> {
        let mut hosts = lock(&self.inner.hosts);
        let state = hosts.entry(host.to_owned()).or_default();
        match gcra::reserve(
            state.tat,
            now + held,
            interval,
            // Alone for a while among processes that still share: no burst.
            Duration::ZERO,
            self.inner.max_wait.saturating_sub(held),
        ) {
            Reservation::Granted { wait, tat } => {
                state.tat = Some(tat);
                Ok(held + wait)
            }
            Reservation::TooLong { retry_after } => {
                Err(self.over_budget(api, host, held + retry_after))
            }
        }
    }

    fn over_budget(&self, api: &'static str, host: &str, retry_after: Duration) -> ApiError {
        ApiError::OverBudget {
            api,
            host: host.to_owned(),
            egress: self.inner.egress.clone(),
            retry_after,
        }
    }

    /// Learns from an answer of `host`: a `Retry-After` on 429 or 503, or
    /// `x-ratelimit-remaining: 0` with its reset, holds every request to that host until
    /// then.
    pub(crate) fn learn(&self, host: &str, status: StatusCode, headers: &HeaderMap) {
        let Some(hold) = learn::hold(status, headers) else {
            return;
        };
        let until = self.now().saturating_add(hold);
        let mut hosts = lock(&self.inner.hosts);
        let state = hosts.entry(host.to_owned()).or_default();
        state.hold_until = Some(state.hold_until.map_or(until, |old| old.max(until)));
        tracing::debug!(target: "auth_provider", host, egress = %self.inner.egress, hold_ms = u64::try_from(hold.as_millis()).unwrap_or(u64::MAX), "host asked to hold requests");
    }
}

/// A request of your own sent under a [`RateBudget`] ([`RateBudget::slot`]): in flight
/// until dropped.
#[derive(Debug)]
#[must_use = "the request counts as in flight until the slot is dropped: keep it until the answer"]
pub struct RateSlot {
    sent: Sent,
}

impl RateSlot {
    /// Learns from the request's answer: a `Retry-After` on 429 or 503, or
    /// `x-ratelimit-remaining: 0` with its reset, holds every request of the budget to
    /// that host until then.
    pub fn learn(&self, status: StatusCode, headers: &HeaderMap) {
        self.sent.learn(status, headers);
    }
}

impl fmt::Debug for RateBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateBudget")
            .field("egress", &self.inner.egress)
            .field("quota", &self.inner.quota)
            .field("max_wait", &self.inner.max_wait)
            .field("margin", &self.inner.margin)
            .field("shared", &self.inner.shared)
            .finish_non_exhaustive()
    }
}
