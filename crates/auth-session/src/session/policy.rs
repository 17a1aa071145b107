//! The renew policy: when a token is fresh, when it is renewed in the background, when a
//! caller must wait for its renewal, when it is unusable.
//!
//! This is the one place that turns a token's lifetime into deadlines and a deadline into a
//! decision; the session acts on [`Freshness`] and never compares instants itself.
//!
//! Every deadline exists twice: on Tokio's monotonic clock (immune to wall-clock jumps) and
//! on the wall clock (which, unlike the monotonic clock, keeps running while a machine or
//! VM is suspended). A token is as fresh as the stricter of the two says.

use std::hash::{BuildHasher, RandomState};
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

/// How a cached token may be used at a given instant.
/// Ordered from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Freshness {
    /// Before its refresh deadline: hand it out.
    Fresh,
    /// Past its refresh deadline, before the hard margin: hand it out at once and renew it
    /// in the background.
    Due,
    /// Within the hard margin of expiry: wait for its renewal; hand it out only when
    /// renewing fails transiently.
    Urgent,
    /// Expired (or ended by [`Deadlines::ended`]): never hand it out.
    Unusable,
}

/// When a token is renewed: `refresh_buffer` plus a random extra of up to `refresh_jitter`
/// before expiry, at most half the token's lifetime. Callers wait for the renewal only
/// within `hard_margin` of expiry, at most half the refresh margin.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RenewPolicy {
    /// How long before expiry the token is renewed.
    pub(crate) refresh_buffer: Duration,
    /// The most that is randomly added to the buffer, per token.
    pub(crate) refresh_jitter: Duration,
    /// How long before expiry callers stop getting the token at once and wait for its
    /// renewal.
    pub(crate) hard_margin: Duration,
}

impl RenewPolicy {
    /// The deadlines of a token valid for `lifetime` from `from` (on the monotonic clock)
    /// and `wall_from` (the same moment on the wall clock).
    pub(crate) fn deadlines(
        &self,
        from: Instant,
        wall_from: SystemTime,
        lifetime: Duration,
    ) -> Deadlines {
        let expires_at = from.checked_add(lifetime).unwrap_or(from);
        let margin = self.margin(lifetime);
        let before_expiry =
            |margin: Duration| expires_at.checked_sub(margin).unwrap_or(from).max(from);
        let refresh_at = before_expiry(margin);
        let wait_at = before_expiry(self.hard_margin.min(margin / 2));
        let on_wall = |at: Instant| {
            let after = at.saturating_duration_since(from);
            wall_from.checked_add(after).unwrap_or(wall_from)
        };
        Deadlines {
            refresh_at,
            wait_at,
            expires_at,
            wall_refresh_at: on_wall(refresh_at),
            wall: WallDeadlines {
                wait_at: on_wall(wait_at),
                expires_at: on_wall(expires_at),
            },
        }
    }

    /// How long before expiry a token of `lifetime` is renewed: the buffer plus jitter, at
    /// most half the lifetime.
    fn margin(&self, lifetime: Duration) -> Duration {
        self.refresh_buffer
            .saturating_add(random_up_to(self.refresh_jitter))
            .min(lifetime / 2)
    }
}

/// A cached token's deadlines on Tokio's monotonic clock.
/// `refresh_at <= wait_at <= expires_at`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadlines {
    /// From here on, the token is due for renewal (in the background).
    refresh_at: Instant,
    /// From here on, callers wait for the renewal.
    wait_at: Instant,
    /// From here on, the token is never handed out.
    expires_at: Instant,
    /// `refresh_at` on the wall clock, read on the fast path.
    wall_refresh_at: SystemTime,
    /// The other deadlines on the wall clock.
    wall: WallDeadlines,
}

/// The cached access token with its deadlines on the monotonic clock.
pub(crate) struct Live {
    /// The token handed to callers.
    pub(crate) access_token: auth_types::AccessToken,
    /// When it is fresh, due for renewal, unusable.
    pub(crate) deadlines: Deadlines,
    /// How the session came by it.
    pub(crate) source: crate::session::TokenSource,
}

impl Live {
    /// Whether this session obtained the token itself (not from a store), so that it may
    /// carry it on a re-login and retire it once replaced.
    pub(crate) fn obtained_here(&self) -> bool {
        matches!(
            self.source,
            crate::session::TokenSource::Login | crate::session::TokenSource::Refresh
        )
    }
}

/// `wait_at` and `expires_at` on the wall clock.
#[derive(Debug, Clone, Copy)]
struct WallDeadlines {
    wait_at: SystemTime,
    expires_at: SystemTime,
}

impl Deadlines {
    /// Deadlines that ended at `now`: the token is unusable from then on.
    pub(crate) fn ended(now: Instant) -> Self {
        Deadlines {
            refresh_at: now,
            wait_at: now,
            expires_at: now,
            wall_refresh_at: SystemTime::UNIX_EPOCH,
            wall: WallDeadlines {
                wait_at: SystemTime::UNIX_EPOCH,
                expires_at: SystemTime::UNIX_EPOCH,
            },
        }
    }

    /// How the token may be used at `now` (monotonic) and `wall_now` (the wall clock): the
    /// stricter of the two clocks decides. On the fast path: two comparisons.
    #[inline]
    pub(crate) fn freshness(&self, now: Instant, wall_now: SystemTime) -> Freshness {
        if now < self.refresh_at && wall_now < self.wall_refresh_at {
            return Freshness::Fresh;
        }
        self.monotonic(now).max(self.on_wall(wall_now))
    }

    fn monotonic(&self, now: Instant) -> Freshness {
        if now < self.refresh_at {
            Freshness::Fresh
        } else if now < self.wait_at {
            Freshness::Due
        } else if now < self.expires_at {
            Freshness::Urgent
        } else {
            Freshness::Unusable
        }
    }

    fn on_wall(&self, now: SystemTime) -> Freshness {
        if now < self.wall_refresh_at {
            Freshness::Fresh
        } else if now < self.wall.wait_at {
            Freshness::Due
        } else if now < self.wall.expires_at {
            Freshness::Urgent
        } else {
            Freshness::Unusable
        }
    }

    /// How long the token stays valid after `now` (zero once expired).
    pub(crate) fn valid_for(&self, now: Instant) -> Duration {
        self.expires_at.saturating_duration_since(now)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);
    const WALL: SystemTime = SystemTime::UNIX_EPOCH;

    /// The wall-clock time at `instant`, for a wall clock that read `WALL` at the
    /// test's start and ran in step with the monotonic clock.
    fn at(instant: Instant) -> SystemTime {
        WALL + instant.saturating_duration_since(start())
    }

    fn start() -> Instant {
        use std::sync::OnceLock;
        static START: OnceLock<Instant> = OnceLock::new();
        *START.get_or_init(Instant::now)
    }

    fn policy(buffer: u32, jitter: u32) -> RenewPolicy {
        RenewPolicy {
            refresh_buffer: buffer * SECOND,
            refresh_jitter: jitter * SECOND,
            hard_margin: 5 * SECOND,
        }
    }

    #[test]
    fn fresh_then_due_then_unusable() {
        let from = start();
        let deadlines = policy(60, 0).deadlines(from, WALL, 900 * SECOND);
        assert_eq!(deadlines.freshness(from, at(from)), Freshness::Fresh);
        assert_eq!(
            deadlines.freshness(from + 839 * SECOND, at(from + 839 * SECOND)),
            Freshness::Fresh
        );
        assert_eq!(
            deadlines.freshness(from + 840 * SECOND, at(from + 840 * SECOND)),
            Freshness::Due
        );
        assert_eq!(
            deadlines.freshness(from + 894 * SECOND, at(from + 894 * SECOND)),
            Freshness::Due
        );
        assert_eq!(
            deadlines.freshness(from + 895 * SECOND, at(from + 895 * SECOND)),
            Freshness::Urgent
        );
        assert_eq!(
            deadlines.freshness(from + 899 * SECOND, at(from + 899 * SECOND)),
            Freshness::Urgent
        );
        assert_eq!(
            deadlines.freshness(from + 900 * SECOND, at(from + 900 * SECOND)),
            Freshness::Unusable
        );
        assert_eq!(deadlines.valid_for(from + 890 * SECOND), 10 * SECOND);
        assert_eq!(deadlines.valid_for(from + 901 * SECOND), Duration::ZERO);
    }

    #[test]
    fn the_margin_is_at_most_half_the_lifetime() {
        let from = start();
        let deadlines = policy(60, 15).deadlines(from, WALL, 10 * SECOND);
        assert_eq!(
            deadlines.freshness(from + 4 * SECOND, at(from + 4 * SECOND)),
            Freshness::Fresh
        );
        assert_eq!(
            deadlines.freshness(from + 5 * SECOND, at(from + 5 * SECOND)),
            Freshness::Due
        );
        // The hard margin is at most half the refresh margin: 2.5 s of 5 s.
        assert_eq!(
            deadlines.freshness(from + 7499 * SECOND / 1000, at(from + 7499 * SECOND / 1000)),
            Freshness::Due
        );
        assert_eq!(
            deadlines.freshness(from + 7500 * SECOND / 1000, at(from + 7500 * SECOND / 1000)),
            Freshness::Urgent
        );
    }

    #[test]
    fn jitter_moves_the_refresh_deadline_earlier_by_at_most_its_bound() {
        let from = start();
        for _ in 0..100 {
            let deadlines = policy(60, 30).deadlines(from, WALL, 900 * SECOND);
            assert_eq!(
                deadlines.freshness(from + 809 * SECOND, at(from + 809 * SECOND)),
                Freshness::Fresh
            );
            assert_eq!(
                deadlines.freshness(from + 840 * SECOND, at(from + 840 * SECOND)),
                Freshness::Due
            );
        }
    }

    #[test]
    fn a_zero_lifetime_and_ended_deadlines_are_unusable_at_once() {
        let from = start();
        let deadlines = policy(60, 0).deadlines(from, WALL, Duration::ZERO);
        assert_eq!(deadlines.freshness(from, at(from)), Freshness::Unusable);
        assert_eq!(
            Deadlines::ended(from).freshness(from, WALL),
            Freshness::Unusable
        );
    }

    #[test]
    fn the_wall_clock_also_decides_after_a_suspend() {
        let from = start();
        let deadlines =
            policy(60, 0).deadlines(from, SystemTime::UNIX_EPOCH, 900 * Duration::from_secs(1));
        let wall = |s: u64| SystemTime::UNIX_EPOCH + Duration::from_secs(s);
        // The monotonic clock stood still while the machine slept for 1000 s.
        assert_eq!(deadlines.freshness(from, wall(0)), Freshness::Fresh);
        assert_eq!(deadlines.freshness(from, wall(850)), Freshness::Due);
        assert_eq!(deadlines.freshness(from, wall(897)), Freshness::Urgent);
        assert_eq!(deadlines.freshness(from, wall(1000)), Freshness::Unusable);
        // A wall clock set back changes nothing: the monotonic clock still counts.
        assert_eq!(
            deadlines.freshness(from + Duration::from_secs(1000), wall(0)),
            Freshness::Unusable
        );
    }
}
