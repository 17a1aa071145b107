//! The server's clock: the local wall clock corrected by the offset learned from the
//! server's answers, so that times a server checks (sign-in message times, freshness
//! windows, token deadlines) are read on the server's clock even on a machine whose clock
//! drifted.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use auth_types::{Clock, SharedClock, lock};
use http::HeaderMap;
use http::header::DATE;

use crate::clock_estimate::{Estimator, Outcome, Sample, millis};

/// Offsets beyond this (either way) are absurd by default and never learned.
pub const DEFAULT_MAX_OFFSET: Duration = Duration::from_secs(24 * 3600);

/// An offset beyond this is logged (once, at `warn`) by default.
pub const DEFAULT_WARN_THRESHOLD: Duration = Duration::from_secs(30);

/// The server's clock as a client estimates it: the local wall clock plus the offset
/// learned from the server's answers. It is itself a [`Clock`], which a provider client
/// hands to everything that reads the time for that server (its message times, its
/// freshness checks, its sessions' token deadlines).
///
/// Every answer through [`ApiClient`](crate::ApiClient) is a sample: its `Date` header
/// (one-second resolution) was written between the moments the request left and the
/// answer arrived, which bounds the offset; a provider adds others (Pear's message
/// `timestamp`) with [`ServerClock::observe`]. The estimate is the median of the last 9
/// samples; samples beyond [`DEFAULT_MAX_OFFSET`] (or
/// [`with_max_offset`](Self::with_max_offset)) are thrown away, a single sample far from
/// the median is set aside, and three in a row that agree with one another are a real step
/// of a clock and replace the window. The offset in use moves only in steps of at least a
/// second (a clock within a second of the server's is used as it is), and the first
/// sample is used at once, so the first answer of a fresh client already corrects it.
///
/// When the offset in use goes past [`DEFAULT_WARN_THRESHOLD`] (or
/// [`with_warn_threshold`](Self::with_warn_threshold)) it is logged once at `warn`
/// (target `auth_provider`), and once more when it comes back within it.
///
/// Cheap to clone; clones share the estimate. Several clients of one server (a pool of
/// wallets) may share one with their builders' `server_clock` setter, so that the first
/// answer any of them gets corrects them all.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use auth_provider::ServerClock;
/// use auth_types::Clock;
///
/// let local = || UNIX_EPOCH + Duration::from_secs(1_000_000);
/// let clock = ServerClock::new(local);
/// assert_eq!(clock.unix_seconds(), 1_000_000);
/// // An answer written at 1_000_600 (whole seconds) to a request sent and answered at
/// // 1_000_000 on the local clock: the server is about 10 minutes ahead.
/// let sent = local();
/// assert!(clock.observe(sent, sent, UNIX_EPOCH + Duration::from_secs(1_000_600), Duration::from_secs(1)));
/// assert_eq!(clock.stats().offset_millis, 600_500);
/// assert_eq!(clock.unix_seconds(), 1_000_600);
/// ```
#[derive(Clone)]
pub struct ServerClock {
    inner: Arc<Inner>,
}

struct Inner {
    local: SharedClock,
    learn: bool,
    /// The offset in use, server minus local, in milliseconds (read without a lock).
    applied_ms: AtomicI64,
    state: Mutex<State>,
    /// The API named in logs: the first client built with this clock.
    api: OnceLock<&'static str>,
}

struct State {
    estimator: Estimator,
    warn_threshold_ms: u64,
    /// Whether the offset in use is past the threshold (and was logged as such).
    warned: bool,
    /// How many `warn` lines were logged (past the threshold, and back).
    warnings: u64,
}

/// What a [`ServerClock`] has learned so far ([`ServerClock::stats`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerClockStats {
    /// The offset in use: the server's clock minus the local one, in milliseconds
    /// (positive: the server is ahead). 0 until an offset of at least a second is learned.
    pub offset_millis: i64,
    /// How many samples the current estimate is the median of (at most 9).
    pub samples: usize,
    /// Samples taken into the estimate, in all.
    pub accepted: u64,
    /// Samples set aside as too far from the estimate.
    pub outliers: u64,
    /// Samples thrown away: beyond the bound, or from an exchange that says too little
    /// (a round trip over a minute, a local clock going back during it).
    pub rejected: u64,
    /// How many times the offset in use changed.
    pub changes: u64,
}

impl ServerClock {
    /// A server clock on `local` (any [`Clock`]), learning from answers, with the default
    /// bound and warning threshold.
    pub fn new(local: impl Clock + 'static) -> ServerClock {
        ServerClock::make(SharedClock::new(local), true)
    }

    /// A server clock on the system clock.
    pub fn system() -> ServerClock {
        ServerClock::make(SharedClock::system(), true)
    }

    /// A server clock that learns nothing: it reads `local` as it is (a caller that keeps
    /// its own clock right, or a test that pins the time and wants it kept).
    pub fn fixed(local: impl Clock + 'static) -> ServerClock {
        ServerClock::make(SharedClock::new(local), false)
    }

    fn make(local: SharedClock, learn: bool) -> ServerClock {
        ServerClock {
            inner: Arc::new(Inner {
                local,
                learn,
                applied_ms: AtomicI64::new(0),
                state: Mutex::new(State {
                    estimator: Estimator::new(DEFAULT_MAX_OFFSET),
                    warn_threshold_ms: millis(DEFAULT_WARN_THRESHOLD).unsigned_abs(),
                    warned: false,
                    warnings: 0,
                }),
                api: OnceLock::new(),
            }),
        }
    }

    /// Offsets larger than this, either way, are thrown away as absurd (default
    /// [`DEFAULT_MAX_OFFSET`], a day). Forgets what was learned.
    pub fn with_max_offset(self, max: Duration) -> ServerClock {
        lock(&self.inner.state).estimator = Estimator::new(max);
        self.inner.applied_ms.store(0, Ordering::Relaxed);
        self
    }

    /// Offsets larger than this are logged at `warn` (default [`DEFAULT_WARN_THRESHOLD`]).
    pub fn with_warn_threshold(self, threshold: Duration) -> ServerClock {
        lock(&self.inner.state).warn_threshold_ms = millis(threshold).unsigned_abs();
        self
    }

    /// Names the API in this clock's logs, unless it was named already.
    pub(crate) fn name_api(&self, api: &'static str) {
        let _ = self.inner.api.set(api);
    }

    /// The local clock it corrects.
    pub fn local(&self) -> &SharedClock {
        &self.inner.local
    }

    /// The offset in use: server minus local, in milliseconds.
    pub fn offset_millis(&self) -> i64 {
        self.inner.applied_ms.load(Ordering::Relaxed)
    }

    /// The server's time at local time `local`.
    pub fn to_server(&self, local: SystemTime) -> SystemTime {
        shift(local, self.offset_millis())
    }

    /// What it has learned so far.
    pub fn stats(&self) -> ServerClockStats {
        let state = lock(&self.inner.state);
        let e = &state.estimator;
        ServerClockStats {
            offset_millis: e.applied_ms(),
            samples: e.samples(),
            accepted: e.accepted,
            outliers: e.outliers,
            rejected: e.rejected,
            changes: e.changes,
        }
    }

    /// Takes in one reading of the server's clock: `server` (truncated by the server to
    /// `resolution`: a second for a `Date` header or Pear's `timestamp`), written while a
    /// request sent at `sent` was answered, the answer arriving at `received` (both on
    /// the [`local`](Self::local) clock). Returns whether the offset in use changed.
    pub fn observe(
        &self,
        sent: SystemTime,
        received: SystemTime,
        server: SystemTime,
        resolution: Duration,
    ) -> bool {
        if !self.inner.learn {
            return false;
        }
        let mut state = lock(&self.inner.state);
        let outcome = match Sample::from_exchange(sent, received, server, resolution) {
            Some(sample) => state.estimator.observe(sample),
            None => {
                state.estimator.rejected += 1;
                Outcome::Rejected
            }
        };
        let Outcome::Accepted { changed: true } = outcome else {
            return false;
        };
        let offset = state.estimator.applied_ms();
        self.inner.applied_ms.store(offset, Ordering::Relaxed);
        let api = self.inner.api.get().copied().unwrap_or("server");
        tracing::debug!(target: "auth_provider", api, offset_ms = offset, "the server's clock offset changed");
        let over = offset.unsigned_abs() > state.warn_threshold_ms;
        if over && !state.warned {
            state.warned = true;
            state.warnings += 1;
            tracing::warn!(
                target: "auth_provider",
                api,
                offset_ms = offset,
                "the server's clock is {} {} this machine's; its time is used for sign-in messages, freshness checks and token deadlines (set this machine's clock right, e.g. with NTP)",
                describe(offset),
                if offset > 0 { "ahead of" } else { "behind" },
            );
        } else if !over && state.warned {
            state.warned = false;
            state.warnings += 1;
            tracing::warn!(target: "auth_provider", api, offset_ms = offset, "the server's clock is back within the threshold of this machine's");
        }
        true
    }

    /// Takes in an answer's `Date` header (if it has a valid one) for a request sent at
    /// `sent` on the local clock, the answer having arrived just now. Returns whether the
    /// offset in use changed.
    pub fn observe_date(&self, sent: SystemTime, headers: &HeaderMap) -> bool {
        let Some(server) = headers
            .get(DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok())
        else {
            return false;
        };
        let received = self.inner.local.now();
        self.observe(sent, received, server, Duration::from_secs(1))
    }
}

/// `at` moved by `offset_ms` (saturating at the ends of `SystemTime`).
fn shift(at: SystemTime, offset_ms: i64) -> SystemTime {
    let by = Duration::from_millis(offset_ms.unsigned_abs());
    if offset_ms >= 0 {
        at.checked_add(by).unwrap_or(at)
    } else {
        at.checked_sub(by).unwrap_or(at)
    }
}

/// `12.3 s`, `10.0 min`, `2.5 h`.
fn describe(offset_ms: i64) -> String {
    let secs = offset_ms.unsigned_abs() as f64 / 1000.0;
    if secs < 120.0 {
        format!("{secs:.1} s")
    } else if secs < 7200.0 {
        format!("{:.1} min", secs / 60.0)
    } else {
        format!("{:.1} h", secs / 3600.0)
    }
}

impl Clock for ServerClock {
    /// The local clock's time plus the offset in use.
    fn now(&self) -> SystemTime {
        self.to_server(self.inner.local.now())
    }
}

impl fmt::Debug for ServerClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerClock")
            .field("learn", &self.inner.learn)
            .field("offset_millis", &self.offset_millis())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;
    use std::time::UNIX_EPOCH;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    fn date(headers: &mut HeaderMap, secs: u64) {
        let text = httpdate::fmt_http_date(at(secs));
        headers.insert(DATE, HeaderValue::from_str(&text).expect("a date"));
    }

    #[test]
    fn learns_from_date_headers_and_reads_the_servers_time() {
        let local = || at(1_700_000_000);
        let clock = ServerClock::new(local);
        let mut headers = HeaderMap::new();
        // No Date, a garbled one: nothing learned.
        assert!(!clock.observe_date(local(), &headers));
        headers.insert(DATE, HeaderValue::from_static("yesterday"));
        assert!(!clock.observe_date(local(), &headers));
        assert_eq!(clock.stats().samples, 0);
        // 10 minutes behind.
        date(&mut headers, 1_700_000_000 - 600);
        assert!(clock.observe_date(local(), &headers));
        assert_eq!(clock.offset_millis(), -599_500);
        assert_eq!(clock.unix_seconds(), 1_700_000_000 - 600);
        assert_eq!(clock.local().unix_seconds(), 1_700_000_000);
        // A shared clone sees it.
        assert_eq!(clock.clone().offset_millis(), -599_500);
        // Three years off: absurd, thrown away.
        date(&mut headers, 1_700_000_000 + 3 * 365 * 86_400);
        assert!(!clock.observe_date(local(), &headers));
        let stats = clock.stats();
        assert_eq!((stats.samples, stats.rejected, stats.changes), (1, 1, 1));
    }

    /// Counted by the clock itself, not through a `tracing` subscriber: a scoped subscriber
    /// misses events when tests on other threads race it for the callsites' interest cache
    /// (seen once in CI under load).
    #[test]
    fn an_offset_past_the_threshold_is_logged_once_and_once_more_when_it_comes_back() {
        let local = || at(1_700_000_000);
        let clock = ServerClock::new(local);
        let warnings = || lock(&clock.inner.state).warnings;
        let reading = |server_secs: u64| {
            clock.observe(local(), local(), at(server_secs), Duration::from_secs(1))
        };
        // Within the threshold: nothing.
        reading(1_700_000_010);
        assert_eq!(warnings(), 0);
        // Ten minutes ahead, confirmed by three readings: one warning, however many
        // readings follow.
        for _ in 0..6 {
            reading(1_700_000_600);
        }
        assert_eq!(clock.offset_millis(), 600_500);
        assert_eq!(warnings(), 1);
        // The clock is set right: once more, when it is back.
        for _ in 0..3 {
            reading(1_700_000_000);
        }
        assert_eq!(clock.offset_millis(), 500);
        assert_eq!(warnings(), 2);
    }

    #[test]
    fn a_fixed_clock_learns_nothing() {
        let local = || at(1_700_000_000);
        let clock = ServerClock::fixed(local);
        assert!(!clock.observe(local(), local(), at(1_700_000_600), Duration::from_secs(1)));
        assert_eq!(clock.unix_seconds(), 1_700_000_000);
        assert_eq!(clock.stats().accepted, 0);
    }

    #[test]
    fn bounds_and_thresholds_are_settable() {
        let local = || at(1_700_000_000);
        let clock = ServerClock::new(local)
            .with_max_offset(Duration::from_secs(60))
            .with_warn_threshold(Duration::from_secs(1));
        assert!(!clock.observe(local(), local(), at(1_700_000_600), Duration::from_secs(1)));
        assert!(clock.observe(local(), local(), at(1_700_000_030), Duration::from_secs(1)));
        assert_eq!(clock.offset_millis(), 30_500);
        assert!(clock.stats().rejected == 1);
        assert_eq!(describe(30_500), "30.5 s");
        assert_eq!(describe(-600_000), "10.0 min");
        assert_eq!(describe(7_200_000), "2.0 h");
    }
}
