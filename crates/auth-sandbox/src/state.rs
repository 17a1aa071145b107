//! The sandbox's shared state: keys, issued tokens, counters.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use auth_types::EvmAddress;
use serde::{Deserialize, Serialize};

use crate::config::{Faults, SandboxConfig};
use crate::jwt::Hs256;

/// What the sandbox has counted so far. Read with [`crate::Sandbox::counters`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Counters {
    /// Pear `GET /auth/eip712-message` answered.
    pub pear_messages: u64,
    /// Pear logins that succeeded (any method).
    pub pear_logins: u64,
    /// Pear logins refused (bad signature, stale timestamp, unknown key).
    pub pear_login_refusals: u64,
    /// Pear refreshes that succeeded.
    pub pear_refreshes: u64,
    /// Refresh tokens presented a second time (always refused). A correct client keeps
    /// this at zero.
    pub refused_reuses: u64,
    /// Pear logouts.
    pub pear_logouts: u64,
    /// pump.fun logins that succeeded.
    pub pump_logins: u64,
    /// pump.fun logins refused.
    pub pump_login_refusals: u64,
    /// pump.fun logouts.
    pub pump_logouts: u64,
    /// Requests that presented a live token (Pear `whoami` and API keys, pump.fun
    /// `my-profile` and logout).
    pub protected_ok: u64,
    /// Requests refused with 401 for a missing, dead or expired token.
    pub protected_refused: u64,
    /// Injected 500 answers.
    pub faults_500: u64,
    /// 429 answers (rate limit or injected).
    pub faults_429: u64,
    /// Connections dropped before processing.
    pub faults_drop_before: u64,
    /// Connections dropped after processing.
    pub faults_drop_after: u64,
}

#[derive(Default)]
pub(crate) struct AtomicCounters {
    pub(crate) pear_messages: AtomicU64,
    pub(crate) pear_logins: AtomicU64,
    pub(crate) pear_login_refusals: AtomicU64,
    pub(crate) pear_refreshes: AtomicU64,
    pub(crate) refused_reuses: AtomicU64,
    pub(crate) pear_logouts: AtomicU64,
    pub(crate) pump_logins: AtomicU64,
    pub(crate) pump_login_refusals: AtomicU64,
    pub(crate) pump_logouts: AtomicU64,
    pub(crate) protected_ok: AtomicU64,
    pub(crate) protected_refused: AtomicU64,
    pub(crate) faults_500: AtomicU64,
    pub(crate) faults_429: AtomicU64,
    pub(crate) faults_drop_before: AtomicU64,
    pub(crate) faults_drop_after: AtomicU64,
}

pub(crate) fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

impl AtomicCounters {
    pub(crate) fn snapshot(&self) -> Counters {
        let r = |c: &AtomicU64| c.load(Ordering::Relaxed);
        Counters {
            pear_messages: r(&self.pear_messages),
            pear_logins: r(&self.pear_logins),
            pear_login_refusals: r(&self.pear_login_refusals),
            pear_refreshes: r(&self.pear_refreshes),
            refused_reuses: r(&self.refused_reuses),
            pear_logouts: r(&self.pear_logouts),
            pump_logins: r(&self.pump_logins),
            pump_login_refusals: r(&self.pump_login_refusals),
            pump_logouts: r(&self.pump_logouts),
            protected_ok: r(&self.protected_ok),
            protected_refused: r(&self.protected_refused),
            faults_500: r(&self.faults_500),
            faults_429: r(&self.faults_429),
            faults_drop_before: r(&self.faults_drop_before),
            faults_drop_after: r(&self.faults_drop_after),
        }
    }
}

/// The claims of every token the sandbox issues.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Claims {
    /// The account: an Ethereum address (Pear) or a Solana wallet (pump.fun).
    pub(crate) sub: String,
    /// `access`, `refresh` or `pump`.
    pub(crate) typ: String,
    /// The login session the token belongs to.
    pub(crate) sid: String,
    /// Unique token id.
    pub(crate) jti: String,
    /// Pear client id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) cid: String,
    pub(crate) iat: u64,
    pub(crate) exp: u64,
}

/// An API key issued by the sandbox.
#[derive(Debug, Clone)]
pub(crate) struct ApiKeyRecord {
    pub(crate) id: String,
    pub(crate) name: Option<String>,
    pub(crate) address: EvmAddress,
    pub(crate) created_at: u64,
}

pub(crate) struct State {
    pub(crate) config: SandboxConfig,
    pub(crate) faults: Mutex<Faults>,
    pub(crate) hostile: AtomicBool,
    pub(crate) counters: AtomicCounters,
    /// Signs and checks the tokens this instance issues.
    jwt: Hs256,
    next_id: AtomicU64,
    rng: AtomicU64,
    /// Refresh-token ids: `true` while unused, `false` once used.
    pub(crate) refresh_tokens: Mutex<HashMap<String, bool>>,
    /// Sessions ended by logout (their tokens are refused).
    pub(crate) revoked_sessions: Mutex<HashSet<String>>,
    pub(crate) api_keys: Mutex<HashMap<String, ApiKeyRecord>>,
    rate_window: Mutex<(Instant, u32)>,
}

/// Locks a mutex, recovering the data if a handler panicked while holding it.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

pub(crate) fn unix_now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

impl State {
    pub(crate) fn new(config: SandboxConfig) -> State {
        // A signing secret unique to this instance: tokens from one sandbox are refused by
        // another.
        let secret: Vec<u8> = (0..4u64)
            .flat_map(|i| {
                use std::hash::{BuildHasher, RandomState};
                RandomState::new()
                    .hash_one((i, unix_now_ms()))
                    .to_le_bytes()
            })
            .collect();
        State {
            faults: Mutex::new(config.faults.clone()),
            hostile: AtomicBool::new(config.hostile),
            rng: AtomicU64::new(config.seed),
            config,
            counters: AtomicCounters::default(),
            jwt: Hs256::new(&secret),
            next_id: AtomicU64::new(1),
            refresh_tokens: Mutex::new(HashMap::new()),
            revoked_sessions: Mutex::new(HashSet::new()),
            api_keys: Mutex::new(HashMap::new()),
            rate_window: Mutex::new((Instant::now(), 0)),
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

    pub(crate) fn issue(&self, claims: &Claims) -> String {
        self.jwt.encode(claims).unwrap_or_default()
    }

    /// Decodes a token this instance issued, of the given type, not expired, whose session
    /// was not logged out.
    pub(crate) fn verify(&self, token: &str, typ: &str) -> Option<Claims> {
        self.verify_at(token, typ, unix_now())
    }

    /// As [`State::verify`], with "not expired" judged at unix time `at`.
    pub(crate) fn verify_at(&self, token: &str, typ: &str, at: u64) -> Option<Claims> {
        self.live_claims(token, at)
            .filter(|claims| claims.typ == typ)
    }

    /// The claims of a token this instance issued, of any type, if it has not expired at
    /// unix time `at` and its session was not logged out.
    fn live_claims(&self, token: &str, at: u64) -> Option<Claims> {
        let claims: Claims = self.jwt.decode(token)?;
        if claims.exp <= at || lock(&self.revoked_sessions).contains(&claims.sid) {
            return None;
        }
        Some(claims)
    }

    /// Revokes the login session of a live token this instance issued (any type); `false`
    /// if `token` is not one, or its session is already over.
    pub(crate) fn revoke_session_of(&self, token: &str) -> bool {
        self.live_claims(token, unix_now())
            .is_some_and(|claims| lock(&self.revoked_sessions).insert(claims.sid))
    }

    /// Counts a request against the rate limit; returns the wait if over it.
    pub(crate) fn over_rate_limit(&self) -> Option<u64> {
        let limit = self.config.rate_limit?;
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
