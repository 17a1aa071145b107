//! [`PoolStats`]: what a pool has done and is doing.

/// What a [`SessionPool`](crate::SessionPool) has done since it was built, and what it is
/// doing now; see [`SessionPool::stats`](crate::SessionPool::stats). Counts the pool's
/// own calls to its authenticators (sessions of the same wallets in other processes are
/// not seen).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PoolStats {
    /// Sessions kept now.
    pub sessions: usize,
    /// Egresses used so far (each has its own bound).
    pub egresses: usize,
    /// Logins (and re-logins) that succeeded.
    pub logins: u64,
    /// Refreshes that succeeded.
    pub refreshes: u64,
    /// Logins, re-logins and refreshes that failed.
    pub failures: u64,
    /// Logins, refreshes and logouts in flight now, all egresses together.
    pub in_flight: usize,
    /// Calls waiting for a permit of their egress now.
    pub waiting: usize,
    /// The most calls ever in flight at once on one egress: never more than
    /// [`max_in_flight`](crate::PoolBuilder::max_in_flight).
    pub max_in_flight: usize,
    /// Sessions evicted (idle, or by [`logout_all`](crate::SessionPool::logout_all)) whose
    /// eviction is over.
    pub evicted: u64,
    /// Evictions whose logout failed (the session was dropped all the same).
    pub failed_logouts: u64,
}
