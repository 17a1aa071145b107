//! What a session counts, in one place: the counters behind [`SessionStats`], and, with
//! the `metrics` feature, the same events through the `metrics` facade, with gauges of the
//! token's remaining life and the refresh token's age and a histogram of renewal
//! latency. Labels: `provider` and `identity` (a short hash of provider, server, account
//! and client id); never a token, a key or an address.
//!
//! | metric | kind | labels |
//! |---|---|---|
//! | `auth_session_logins_total` | counter | |
//! | `auth_session_refreshes_total` | counter | |
//! | `auth_session_adoptions_total` | counter | |
//! | `auth_session_failures_total` | counter | `kind`: `transient`, `refresh_rejected`, `permanent`, `expired_on_arrival` |
//! | `auth_session_waits_total` | counter | |
//! | `auth_session_invalidations_total` | counter | |
//! | `auth_session_401_renewals_total` | counter | |
//! | `auth_session_401_replays_total` | counter | |
//! | `auth_session_401_passed_through_total` | counter | |
//! | `auth_session_access_token_expires_in_seconds` | gauge | |
//! | `auth_session_refresh_token_age_seconds` | gauge | |
//! | `auth_session_renewal_seconds` | histogram | `by`: `login`, `refresh` |
//!
//! Gauges are set when a token is installed and at most once a second as tokens are
//! handed out (and on [`Session::stats`](super::Session::stats)).
//!
//! [`SessionStats`]: super::SessionStats

use auth_types::RefreshToken;

use super::Inner;
use crate::authenticator::{Authenticator, FailureKind};
use crate::tokens::Tokens;

/// Something a session did.
#[derive(Debug, Clone, Copy)]
// Without the `metrics` feature, the failure's kind is not read.
#[cfg_attr(not(feature = "metrics"), allow(dead_code))]
pub(super) enum Event {
    Login,
    Refresh,
    Failure(Failed),
    Wait,
    Invalidation,
    Adopted,
    RenewalFor401,
    /// A reported 401 whose request may be sent once more (no `SessionStats` field).
    Replay,
    RefusalPassedThrough,
    RefusalNotConfirmed,
    RefusalCheckFailed,
}

/// Why a login or refresh failed, as a label.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(not(feature = "metrics"), allow(dead_code))]
pub(super) enum Failed {
    Kind(FailureKind),
    ExpiredOnArrival,
}

impl Failed {
    #[cfg(feature = "metrics")]
    fn label(self) -> &'static str {
        match self {
            Failed::Kind(FailureKind::Transient) => "transient",
            Failed::Kind(FailureKind::RefreshRejected) => "refresh_rejected",
            Failed::Kind(FailureKind::Permanent) => "permanent",
            Failed::Kind(_) => "other",
            Failed::ExpiredOnArrival => "expired_on_arrival",
        }
    }
}

impl<A: Authenticator> Inner<A> {
    /// Counts `event`.
    pub(super) fn count(&self, event: Event) {
        let c = &self.counters;
        let counter = match event {
            Event::Login => Some(&c.logins),
            Event::Refresh => Some(&c.refreshes),
            Event::Failure(_) => Some(&c.failures),
            Event::Wait => Some(&c.waits),
            Event::Invalidation => Some(&c.invalidations),
            Event::Adopted => Some(&c.adopted),
            Event::RenewalFor401 => Some(&c.renewals_for_401),
            Event::Replay => None,
            Event::RefusalPassedThrough => Some(&c.refusals_passed_through),
            Event::RefusalNotConfirmed => Some(&c.refusals_not_confirmed),
            Event::RefusalCheckFailed => Some(&c.refusal_checks_failed),
        };
        if let Some(counter) = counter {
            counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        #[cfg(feature = "metrics")]
        exported::count(self, event);
    }
}

impl<A: Authenticator> Inner<A> {
    /// The authenticator's refresh, timed for the renewal histogram.
    pub(super) async fn refresh_timed(
        &self,
        refresh_token: &RefreshToken,
    ) -> Result<Tokens, A::Error> {
        #[cfg(feature = "metrics")]
        let started = Started::now();
        let refreshed = self.authenticator.refresh(refresh_token).await;
        #[cfg(feature = "metrics")]
        self.observe_renewal("refresh", started);
        refreshed
    }
}

#[cfg(feature = "metrics")]
pub(super) use exported::{Gauges, Started};

#[cfg(feature = "metrics")]
mod exported {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    use auth_store::Identity;
    use metrics::{Label, counter, gauge, histogram};

    use super::{Event, Inner};
    use crate::authenticator::Authenticator;
    use crate::rt::{self, Mutex, lock};

    /// The gauges' state: when they were last set, when the refresh token was obtained.
    #[derive(Default)]
    pub(in crate::session) struct Gauges {
        labels: OnceLock<[Label; 2]>,
        /// Unix second of the last setting.
        last_tick: AtomicU64,
        refresh_token_since: Mutex<Option<SystemTime>>,
    }

    /// The labels of `identity`: its provider, and 12 hex digits of a hash of it (FNV-1a:
    /// a stable name for a dashboard, not a secret; the account itself is never a label).
    fn labels(identity: &Identity) -> [Label; 2] {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let parts = [
            identity.provider(),
            identity.base_url(),
            identity.account().unwrap_or(""),
            identity.client_id().unwrap_or(""),
        ];
        for part in parts {
            for byte in part.bytes().chain([0xff]) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        [
            Label::new("provider", identity.provider().to_owned()),
            Label::new("identity", format!("{:012x}", hash >> 16)),
        ]
    }

    impl<A: Authenticator> Inner<A> {
        fn labels(&self) -> &[Label; 2] {
            self.counters
                .gauges
                .labels
                .get_or_init(|| labels(&self.identity))
        }
    }

    pub(super) fn count<A: Authenticator>(inner: &Inner<A>, event: Event) {
        let labels = inner.labels().to_vec();
        let name = match event {
            Event::Login => "auth_session_logins_total",
            Event::Refresh => "auth_session_refreshes_total",
            Event::Failure(failed) => {
                let mut labels = labels;
                labels.push(Label::new("kind", failed.label()));
                counter!("auth_session_failures_total", labels).increment(1);
                return;
            }
            Event::Wait => "auth_session_waits_total",
            Event::Invalidation => "auth_session_invalidations_total",
            Event::Adopted => "auth_session_adoptions_total",
            Event::RenewalFor401 => "auth_session_401_renewals_total",
            Event::Replay => "auth_session_401_replays_total",
            Event::RefusalPassedThrough => "auth_session_401_passed_through_total",
            Event::RefusalNotConfirmed | Event::RefusalCheckFailed => return,
        };
        counter!(name, labels).increment(1);
    }

    /// When a login or refresh call started.
    pub(in crate::session) struct Started(std::time::Instant);

    impl Started {
        pub(in crate::session) fn now() -> Started {
            Started(std::time::Instant::now())
        }
    }

    impl<A: Authenticator> Inner<A> {
        /// Records how long the login or refresh that began at `started` took.
        pub(in crate::session) fn observe_renewal(&self, by: &'static str, started: Started) {
            let mut labels = self.labels().to_vec();
            labels.push(Label::new("by", by));
            histogram!("auth_session_renewal_seconds", labels)
                .record(started.0.elapsed().as_secs_f64());
        }

        /// A token was installed at `at`; `with_refresh` whether a refresh token came with
        /// it. Sets the gauges now.
        pub(in crate::session) fn installed(&self, at: SystemTime, with_refresh: bool) {
            *lock(&self.counters.gauges.refresh_token_since) = with_refresh.then_some(at);
            self.set_gauges(at);
        }

        /// Sets the gauges if they were not set this second.
        pub(in crate::session) fn tick(&self, wall_now: SystemTime) {
            let second = wall_now
                .duration_since(UNIX_EPOCH)
                .map_or(0, |since| since.as_secs());
            let gauges = &self.counters.gauges;
            if gauges.last_tick.swap(second, Ordering::Relaxed) != second {
                self.set_gauges(wall_now);
            }
        }

        fn set_gauges(&self, wall_now: SystemTime) {
            let labels = self.labels().to_vec();
            let expires_in = self
                .current
                .load()
                .as_deref()
                .map_or(Duration::ZERO, |live| live.deadlines.valid_for(rt::now()));
            gauge!(
                "auth_session_access_token_expires_in_seconds",
                labels.clone()
            )
            .set(expires_in.as_secs_f64());
            if let Some(since) = *lock(&self.counters.gauges.refresh_token_since) {
                let age = wall_now.duration_since(since).unwrap_or_default();
                gauge!("auth_session_refresh_token_age_seconds", labels).set(age.as_secs_f64());
            }
        }
    }
}
