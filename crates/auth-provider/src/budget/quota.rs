//! A request quota: how many requests an API allows in a window, and the known quotas of
//! the APIs this workspace serves.

use std::time::Duration;

/// How many requests a server allows from one egress (one outgoing IP) in a window:
/// `requests` per `per`. By default a budget paces to it as a GCRA with no burst: one
/// request every `per / requests` (plus the budget's margin), so that any window of length
/// `per` holds at most `requests`.
///
/// [`with_burst`](Quota::with_burst) lets up to `burst` requests leave at once after a
/// quiet spell (a GCRA with tolerance `(burst - 1) * interval`), for a server that counts
/// in a sliding window: 50 requests at 20 a second then take two windows (about 2 s)
/// instead of 49 intervals (2.45 s). The budget's sliding-window guard still keeps every
/// window of length `per` at `requests` or fewer, so a burst never costs a 429. The burst
/// applies to a process's own pacing; slots taken from a shared limiter (a fleet) are
/// paced without one, since no process sees the others' windows.
///
/// ```
/// use std::time::Duration;
/// use auth_provider::Quota;
///
/// assert_eq!(Quota::per_second(20).interval(), Duration::from_millis(50));
/// assert_eq!(Quota::PEAR.interval(), Duration::from_millis(30));
/// assert_eq!(Quota::new(0, Duration::from_secs(1)), None);
/// assert_eq!(Quota::per_second(20).burst(), 1);
/// assert_eq!(Quota::per_second(20).with_burst(20).burst(), 20);
/// // At most the window's count, at least one.
/// assert_eq!(Quota::per_second(20).with_burst(500).burst(), 20);
/// assert_eq!(Quota::per_second(20).with_burst(0).burst(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quota {
    requests: u32,
    per: Duration,
    burst: u32,
}

impl Quota {
    /// pump.fun: about one request a second per IP (WIRE.md; more is answered 429 with
    /// `Retry-After`, or Cloudflare's HTML 403).
    pub const PUMP: Quota = Quota {
        requests: 1,
        per: Duration::from_secs(1),
        burst: 1,
    };

    /// Pear Protocol: 2000 requests per 60 s (`x-ratelimit-limit: 2000` behind Cloudflare).
    pub const PEAR: Quota = Quota {
        requests: 2000,
        per: Duration::from_secs(60),
        burst: 1,
    };

    /// `requests` per `per`; `None` if either is zero.
    pub const fn new(requests: u32, per: Duration) -> Option<Quota> {
        if requests == 0 || per.is_zero() {
            None
        } else {
            Some(Quota {
                requests,
                per,
                burst: 1,
            })
        }
    }

    /// `requests` a second (at least one).
    pub const fn per_second(requests: u32) -> Quota {
        Quota {
            requests: if requests == 0 { 1 } else { requests },
            per: Duration::from_secs(1),
            burst: 1,
        }
    }

    /// The same quota, letting up to `burst` requests leave at once (clamped to
    /// `1..=requests`; 1 is no burst). See the type's docs.
    pub const fn with_burst(mut self, burst: u32) -> Quota {
        self.burst = if burst == 0 {
            1
        } else if burst > self.requests {
            self.requests
        } else {
            burst
        };
        self
    }

    /// How many requests may leave at once (1: none).
    pub const fn burst(&self) -> u32 {
        self.burst
    }

    /// Requests allowed per window.
    pub const fn requests(&self) -> u32 {
        self.requests
    }

    /// The window.
    pub const fn per(&self) -> Duration {
        self.per
    }

    /// The time between two requests: `per / requests`.
    pub fn interval(&self) -> Duration {
        self.per / self.requests
    }

    /// How far ahead of the pace a request may leave: `(burst - 1)` intervals of
    /// `interval`.
    pub(crate) fn tolerance(&self, interval: Duration) -> Duration {
        interval.saturating_mul(self.burst.saturating_sub(1))
    }
}
