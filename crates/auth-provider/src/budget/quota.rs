//! A request quota: how many requests an API allows in a window, and the known quotas of
//! the APIs this workspace serves.

use std::time::Duration;

/// How many requests a server allows from one egress (one outgoing IP) in a window:
/// `requests` per `per`. A budget paces to it as a GCRA with no burst: one request every
/// `per / requests` (plus the budget's margin), so that any window of length `per` holds
/// at most `requests`.
///
/// ```
/// use std::time::Duration;
/// use auth_provider::Quota;
///
/// assert_eq!(Quota::per_second(20).interval(), Duration::from_millis(50));
/// assert_eq!(Quota::PEAR.interval(), Duration::from_millis(30));
/// assert_eq!(Quota::new(0, Duration::from_secs(1)), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quota {
    requests: u32,
    per: Duration,
}

impl Quota {
    /// pump.fun: about one request a second per IP (WIRE.md; more is answered 429 with
    /// `Retry-After`, or Cloudflare's HTML 403).
    pub const PUMP: Quota = Quota {
        requests: 1,
        per: Duration::from_secs(1),
    };

    /// Pear Protocol: 2000 requests per 60 s (`x-ratelimit-limit: 2000` behind Cloudflare).
    pub const PEAR: Quota = Quota {
        requests: 2000,
        per: Duration::from_secs(60),
    };

    /// `requests` per `per`; `None` if either is zero.
    pub const fn new(requests: u32, per: Duration) -> Option<Quota> {
        if requests == 0 || per.is_zero() {
            None
        } else {
            Some(Quota { requests, per })
        }
    }

    /// `requests` a second (at least one).
    pub const fn per_second(requests: u32) -> Quota {
        Quota {
            requests: if requests == 0 { 1 } else { requests },
            per: Duration::from_secs(1),
        }
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
}
