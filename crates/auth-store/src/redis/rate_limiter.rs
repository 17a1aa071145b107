//! A rate limiter many processes share through Redis (feature `redis`): one GCRA per key,
//! each reservation one Lua script, on the server's clock.

use std::sync::LazyLock;
use std::time::Duration;

use auth_types::{LimiterFuture, SharedLimiterError, SharedRateLimiter, SharedReservation};

use super::RedisStore;
use crate::error::StoreError;

/// Reserves the next slot of `KEYS[1]` (its theoretical arrival time, microseconds on
/// the server's clock): `ARGV[1]` the interval, `ARGV[2]` the longest wait, both in
/// microseconds. Answers `{1, wait}` when reserved, `{0, wait}` when the wait is longer
/// than allowed (nothing reserved). The key expires once its slot has passed.
static RESERVE: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
local due = math.max(tat, now)
local wait = due - now
if wait > tonumber(ARGV[2]) then return {0, wait} end
local next = due + tonumber(ARGV[1])
redis.call('SET', KEYS[1], string.format('%d', next), 'PX', math.ceil((next - now) / 1000) + 1000)
return {1, wait}
",
    )
});

/// A [`SharedRateLimiter`] on Redis: a fleet's processes that leave through the same IP
/// give their `auth_provider::RateBudget` the same limiter (same server, same prefix), and
/// together take one slot after another. The count of a host and egress is the key
/// `<prefix>:<egress>|<host>`, holding the next free slot on the server's clock (so the
/// machines' clocks do not matter); each reservation is one atomic script.
///
/// Connections are made and bounded as [`RedisStore`]'s (2 s to connect and per answer by
/// default). When Redis cannot be reached, the budget paces its own process alone and
/// says so in a warning.
///
/// ```no_run
/// use std::sync::Arc;
/// use auth_store::RedisRateLimiter;
///
/// # fn main() -> Result<(), auth_store::StoreError> {
/// let limiter = Arc::new(RedisRateLimiter::new("redis://127.0.0.1:6379/0", "auth:budget")?);
/// // RateBudget::builder("proxy-1").shared(limiter).build()
/// # let _ = limiter;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct RedisRateLimiter {
    store: RedisStore,
}

impl RedisRateLimiter {
    /// A limiter on the Redis at `url` (as [`RedisStore::new`]), its keys under `prefix`.
    pub fn new(url: &str, prefix: impl Into<String>) -> Result<Self, StoreError> {
        Ok(RedisRateLimiter {
            store: RedisStore::new(url, prefix)?,
        })
    }

    async fn reserve_now(
        &self,
        key: &str,
        interval: Duration,
        max_wait: Duration,
    ) -> Result<SharedReservation, StoreError> {
        let key = format!("{}:{key}", self.store.key());
        let micros = |d: Duration| u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
        let (granted, wait): (i64, i64) = self
            .store
            .exchange(async |connection| {
                RESERVE
                    .key(&key)
                    .arg(micros(interval))
                    .arg(micros(max_wait).min(1 << 50))
                    .invoke_async(connection)
                    .await
            })
            .await?;
        let wait = Duration::from_micros(u64::try_from(wait).unwrap_or(0));
        Ok(if granted == 1 {
            SharedReservation::Granted { wait }
        } else {
            SharedReservation::TooLong { retry_after: wait }
        })
    }
}

impl SharedRateLimiter for RedisRateLimiter {
    fn reserve<'a>(
        &'a self,
        key: &'a str,
        interval: Duration,
        max_wait: Duration,
    ) -> LimiterFuture<'a> {
        Box::pin(async move {
            self.reserve_now(key, interval, max_wait)
                .await
                .map_err(|e| SharedLimiterError::new(e.to_string()))
        })
    }
}
