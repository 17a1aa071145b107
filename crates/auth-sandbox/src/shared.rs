//! What every API of one sandbox shares: the session store, identifiers and the seeded
//! pseudo-random source, the rate limit, the injected faults, and the counters of the
//! machinery around the APIs. None of it knows any particular API.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use auth_types::lock;

use crate::config::{Faults, RateLimit, SandboxConfig};
use crate::counters::{Counters, read};
use crate::egress::EgressLimits;
use crate::sessions::Sessions;

/// The state every API of a sandbox instance shares.
pub(crate) struct Shared {
    /// Tokens and login sessions.
    pub(crate) sessions: Sessions,
    /// The injected faults now (the sandbox's `set_faults` replaces them).
    pub(crate) faults: Mutex<Faults>,
    /// Counts of the machinery around the APIs.
    pub(crate) counters: SharedCounters,
    /// The per-egress rate limit and its counts.
    pub(crate) egress: EgressLimits,
    /// The per-egress limit answers with a block page, not 429.
    pub(crate) egress_block_page: bool,
    rate_limit: Option<RateLimit>,
    rate_window: Mutex<(Instant, u32)>,
    next_id: AtomicU64,
    rng: AtomicU64,
}

/// What the machinery around the APIs counts: see the fields of the same names in
/// [`Counters`].
#[derive(Default)]
pub(crate) struct SharedCounters {
    pub(crate) json_posts_without_accept: AtomicU64,
    pub(crate) protected_ok: AtomicU64,
    pub(crate) protected_refused: AtomicU64,
    pub(crate) business_refusals: AtomicU64,
    pub(crate) faults_500: AtomicU64,
    pub(crate) faults_429: AtomicU64,
    pub(crate) rate_limit_429: AtomicU64,
    pub(crate) edge_blocks: AtomicU64,
    pub(crate) faults_drop_before: AtomicU64,
    pub(crate) faults_drop_after: AtomicU64,
}

impl SharedCounters {
    /// Writes the counts now into `counters`.
    pub(crate) fn report(&self, counters: &mut Counters) {
        counters.json_posts_without_accept = read(&self.json_posts_without_accept);
        counters.protected_ok = read(&self.protected_ok);
        counters.protected_refused = read(&self.protected_refused);
        counters.business_refusals = read(&self.business_refusals);
        counters.faults_500 = read(&self.faults_500);
        counters.faults_429 = read(&self.faults_429);
        counters.rate_limit_429 = read(&self.rate_limit_429);
        counters.edge_blocks = read(&self.edge_blocks);
        counters.faults_drop_before = read(&self.faults_drop_before);
        counters.faults_drop_after = read(&self.faults_drop_after);
    }
}

impl Shared {
    /// The shared state of a sandbox with these settings (of which it reads the faults,
    /// the rate limit and the seed).
    pub(crate) fn new(config: &SandboxConfig) -> Shared {
        Shared {
            sessions: Sessions::new(),
            faults: Mutex::new(config.faults.clone()),
            counters: SharedCounters::default(),
            egress: EgressLimits::new(config.egress_rate_limit),
            egress_block_page: config.egress_block_page,
            rate_limit: config.rate_limit,
            rate_window: Mutex::new((Instant::now(), 0)),
            next_id: AtomicU64::new(1),
            rng: AtomicU64::new(config.seed),
        }
    }

    /// A fresh identifier, unique within this instance.
    pub(crate) fn new_id(&self, prefix: &str) -> String {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        format!("{prefix}{n:06}-{:08x}", self.random() as u32)
    }

    /// A pseudo-random number (splitmix64 over an atomic counter): repeatable per seed.
    pub(crate) fn random(&self) -> u64 {
        let mut z = self
            .rng
            .fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed)
            .wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// True with probability `fraction`.
    pub(crate) fn chance(&self, fraction: f64) -> bool {
        fraction > 0.0 && (self.random() as f64 / u64::MAX as f64) < fraction
    }

    /// Counts a request against the rate limit (every API together); returns the wait in
    /// seconds if over it.
    pub(crate) fn over_rate_limit(&self) -> Option<u64> {
        let limit = self.rate_limit?;
        let mut window = lock(&self.rate_window);
        let now = Instant::now();
        if now.duration_since(window.0) >= limit.window {
            *window = (now, 0);
        }
        window.1 += 1;
        if window.1 > limit.requests {
            let left = limit.window.saturating_sub(now.duration_since(window.0));
            Some(left.as_secs_f64().ceil().max(1.0) as u64)
        } else {
            None
        }
    }
}
