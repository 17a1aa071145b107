//! The limiter a fleet shares: a rate budget's slots taken from one count that many
//! processes see (Redis in `auth-store`), named here so neither side knows the other.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A future a [`SharedRateLimiter`] returns.
pub type LimiterFuture<'a> =
    Pin<Box<dyn Future<Output = Result<SharedReservation, SharedLimiterError>> + Send + 'a>>;

/// A rate limiter whose count many processes share: one GCRA per key (a host and an
/// egress), each reservation atomic, so processes that leave through the same IP stay
/// under its limit together. `auth_provider::RateBudget` calls it; `auth_store`'s
/// `RedisRateLimiter` implements it with one Lua script.
pub trait SharedRateLimiter: Send + Sync + fmt::Debug {
    /// Reserves the next slot of `key`, one every `interval`, unless it is more than
    /// `max_wait` away (then nothing is reserved). The caller sleeps the granted wait.
    fn reserve<'a>(
        &'a self,
        key: &'a str,
        interval: Duration,
        max_wait: Duration,
    ) -> LimiterFuture<'a>;
}

/// What a shared reservation decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SharedReservation {
    /// Send after `wait` (zero: at once).
    Granted {
        /// How long to wait before sending.
        wait: Duration,
    },
    /// The slot is further than the maximum wait; nothing was reserved.
    TooLong {
        /// How long until a slot is free.
        retry_after: Duration,
    },
}

/// The shared count could not be reached or read; the budget then paces this process
/// alone.
#[derive(Debug, thiserror::Error)]
#[error("the shared rate limiter failed: {reason}")]
pub struct SharedLimiterError {
    reason: String,
}

impl SharedLimiterError {
    /// An error saying `reason` (never a secret: it is logged).
    pub fn new(reason: impl Into<String>) -> Self {
        SharedLimiterError {
            reason: reason.into(),
        }
    }
}
