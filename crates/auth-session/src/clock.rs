//! The wall clock, injectable because a JWT's `exp` is wall-clock time and tests pause time.

use std::time::SystemTime;

/// Tells the wall-clock time, used to read a JWT's `exp` and to store expiry times that
/// survive a restart.
///
/// Deadlines inside a running session use Tokio's monotonic clock, which tests can pause;
/// Tokio's paused time does not move [`SystemTime`], so tests supply their own wall clock.
/// Any `Fn() -> SystemTime + Send + Sync` closure is a `WallClock`.
pub trait WallClock: Send + Sync {
    /// The current wall-clock time.
    fn now(&self) -> SystemTime;
}

/// The system's wall clock ([`SystemTime::now`]): the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SystemClock;

impl WallClock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

impl<F> WallClock for F
where
    F: Fn() -> SystemTime + Send + Sync,
{
    fn now(&self) -> SystemTime {
        self()
    }
}
