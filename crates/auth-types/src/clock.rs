//! The one wall clock of the workspace: every builder and check that needs the time of day
//! takes a [`Clock`].

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Tells the wall-clock time: login messages are checked against it, sign-in messages
/// carry it, JWT `exp` claims are read against it, and stored expiry times use it.
///
/// Any `Fn() -> SystemTime + Send + Sync` closure is a `Clock`, so tests pin the time with
/// `|| UNIX_EPOCH + Duration::from_secs(1_700_000_000)`. Deadlines inside a running
/// session use a monotonic clock instead; this one is only for wall-clock facts.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use auth_types::Clock;
///
/// let pinned = || UNIX_EPOCH + Duration::from_millis(1_732_076_598_123);
/// assert_eq!(pinned.unix_seconds(), 1_732_076_598);
/// assert_eq!(pinned.unix_millis(), 1_732_076_598_123);
/// ```
pub trait Clock: Send + Sync {
    /// The current wall-clock time.
    fn now(&self) -> SystemTime;

    /// Whole seconds since the unix epoch (0 for a clock set before 1970).
    fn unix_seconds(&self) -> u64 {
        since_epoch(self.now()).as_secs()
    }

    /// Whole milliseconds since the unix epoch (0 before 1970; saturates far in the
    /// future).
    fn unix_millis(&self) -> u64 {
        u64::try_from(since_epoch(self.now()).as_millis()).unwrap_or(u64::MAX)
    }
}

fn since_epoch(time: SystemTime) -> Duration {
    time.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO)
}

/// The system's wall clock ([`SystemTime::now`]): the default everywhere.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

impl<F> Clock for F
where
    F: Fn() -> SystemTime + Send + Sync,
{
    fn now(&self) -> SystemTime {
        self()
    }
}

/// A shared clock, as builders store it. `Debug` says only whether it is the system's.
#[derive(Clone)]
pub struct SharedClock(Arc<dyn Clock>);

impl SharedClock {
    /// Shares `clock`.
    pub fn new(clock: impl Clock + 'static) -> Self {
        SharedClock(Arc::new(clock))
    }

    /// The system clock.
    pub fn system() -> Self {
        SharedClock::new(SystemClock)
    }
}

impl Default for SharedClock {
    fn default() -> Self {
        SharedClock::system()
    }
}

impl Clock for SharedClock {
    fn now(&self) -> SystemTime {
        self.0.now()
    }
}

impl fmt::Debug for SharedClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedClock")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn before_the_epoch_reads_zero_and_far_future_saturates() {
        let early = || UNIX_EPOCH - Duration::from_secs(5);
        assert_eq!(early.unix_seconds(), 0);
        assert_eq!(early.unix_millis(), 0);
        let late = || UNIX_EPOCH + Duration::from_secs(1 << 60);
        assert_eq!(late.unix_millis(), u64::MAX);
        assert_eq!(late.unix_seconds(), 1 << 60);
    }

    #[test]
    fn shared_clock_reads_through() {
        let shared = SharedClock::new(|| UNIX_EPOCH + Duration::from_secs(42));
        assert_eq!(shared.clone().unix_seconds(), 42);
        assert!(SharedClock::system().unix_seconds() > 1_600_000_000);
    }
}
