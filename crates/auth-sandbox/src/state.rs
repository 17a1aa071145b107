//! The sandbox's shared state: keys, issued tokens, used login proofs, counters.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use auth_types::EvmAddress;
use serde::{Deserialize, Serialize};

use crate::config::{Faults, SandboxConfig};
use crate::counters::AtomicCounters;
use crate::jwt::Hs256;
use crate::time::{unix_now, unix_now_ms};

/// How long past the freshness window a used login proof is remembered, so that no
/// clock-second boundary between the freshness check and the pruning lets one through
/// twice.
const PRUNE_MARGIN_SECS: u64 = 60;

/// The claims of every token the sandbox issues.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Claims {
    /// The account: an Ethereum address (Pear) or a Solana wallet (pump.fun).
    pub(crate) sub: String,
    /// What the token is for.
    pub(crate) typ: TokenType,
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

/// What a token is for, its `typ` claim: `access`, `refresh` or `pump` on the wire. A
/// token with any other `typ` does not parse, so it is refused like a forged one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum TokenType {
    /// A Pear access token.
    Access,
    /// A Pear refresh token (single use).
    Refresh,
    /// A pump.fun token.
    Pump,
}

/// An API key issued by the sandbox.
#[derive(Debug, Clone)]
pub(crate) struct ApiKeyRecord {
    pub(crate) id: String,
    pub(crate) name: Option<String>,
    pub(crate) address: EvmAddress,
    /// Creation time, unix milliseconds.
    pub(crate) created_at_ms: u64,
    /// The last login with this key, unix milliseconds.
    pub(crate) last_used_at_ms: Option<u64>,
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
    /// Pear `(address, timestamp)` pairs that have logged in (single use).
    used_login_timestamps: Mutex<HashSet<([u8; 20], u64)>>,
    /// pump.fun login signatures that have logged in (single use), with the time of their
    /// message in unix milliseconds.
    used_pump_signatures: Mutex<HashMap<[u8; 64], u64>>,
    /// The last login of each pump.fun wallet, unix milliseconds.
    pub(crate) pump_last_logins: Mutex<HashMap<String, u64>>,
    rate_window: Mutex<(Instant, u32)>,
}

/// Locks a mutex, recovering the data if a handler panicked while holding it.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
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
            used_login_timestamps: Mutex::new(HashSet::new()),
            used_pump_signatures: Mutex::new(HashMap::new()),
            pump_last_logins: Mutex::new(HashMap::new()),
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
    pub(crate) fn verify(&self, token: &str, typ: TokenType) -> Option<Claims> {
        self.verify_at(token, typ, unix_now())
    }

    /// As [`State::verify`], with "not expired" judged at unix time `at`.
    pub(crate) fn verify_at(&self, token: &str, typ: TokenType, at: u64) -> Option<Claims> {
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

    /// Records that a Pear login with a verified signature used `(address, timestamp)`;
    /// `false` if that pair has logged in before. Pairs that the freshness window refuses
    /// anyway are forgotten.
    pub(crate) fn claim_login_timestamp(&self, address: [u8; 20], timestamp: u64) -> bool {
        let keep = self.config.freshness_window.as_secs() + PRUNE_MARGIN_SECS;
        let now = unix_now();
        let mut used = lock(&self.used_login_timestamps);
        used.retain(|(_, t)| now.abs_diff(*t) <= keep);
        used.insert((address, timestamp))
    }

    /// Records that a verified pump.fun login signature over a message of time `millis`
    /// was used; `false` if it has logged in before. Signatures whose message the
    /// freshness window refuses anyway are forgotten.
    pub(crate) fn claim_pump_signature(&self, signature: [u8; 64], millis: u64) -> bool {
        let window_ms = u64::try_from(self.config.freshness_window.as_millis()).unwrap_or(u64::MAX);
        let keep = window_ms.saturating_add(PRUNE_MARGIN_SECS * 1000);
        let now = unix_now_ms();
        let mut used = lock(&self.used_pump_signatures);
        used.retain(|_, t| now.abs_diff(*t) <= keep);
        used.insert(signature, millis).is_none()
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

    use serde_json::json;

    use super::*;

    fn claims(typ: TokenType) -> Claims {
        Claims {
            sub: "0xabc".to_owned(),
            typ,
            sid: "s1".to_owned(),
            jti: "j1".to_owned(),
            cid: String::new(),
            iat: 1,
            exp: u64::MAX,
        }
    }

    #[test]
    fn token_types_are_the_same_strings_on_the_wire() {
        for (typ, wire) in [
            (TokenType::Access, "access"),
            (TokenType::Refresh, "refresh"),
            (TokenType::Pump, "pump"),
        ] {
            assert_eq!(
                serde_json::to_string(&claims(typ)).unwrap(),
                format!(
                    r#"{{"sub":"0xabc","typ":"{wire}","sid":"s1","jti":"j1","iat":1,"exp":{}}}"#,
                    u64::MAX
                )
            );
        }
    }

    #[test]
    fn a_token_is_accepted_only_as_its_own_type() {
        let state = State::new(SandboxConfig::default());
        let access = state.issue(&claims(TokenType::Access));
        assert_eq!(
            state.verify(&access, TokenType::Access).unwrap().typ,
            TokenType::Access
        );
        assert!(state.verify(&access, TokenType::Refresh).is_none());
        assert!(state.verify(&access, TokenType::Pump).is_none());
    }

    #[test]
    fn a_signed_token_of_an_unknown_type_is_refused() {
        let state = State::new(SandboxConfig::default());
        let mut payload = serde_json::to_value(claims(TokenType::Access)).unwrap();
        for typ in [
            json!("admin"),
            json!("Access"),
            json!(""),
            json!(1),
            json!(null),
        ] {
            payload["typ"] = typ;
            let token = state.jwt.encode(&payload).unwrap();
            for expected in [TokenType::Access, TokenType::Refresh, TokenType::Pump] {
                assert!(state.verify(&token, expected).is_none(), "{payload}");
            }
            assert!(!state.revoke_session_of(&token), "{payload}");
        }
    }
}
