//! The Pear API's state: its settings, counters, refresh tokens, API keys and used login
//! timestamps, and the claims of the tokens it issues.

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use auth_types::EvmAddress;
use serde::{Deserialize, Serialize};

use super::counters::PearCounters;
use crate::config::SandboxConfig;
use crate::proofs::UsedProofs;
use crate::sessions::SessionClaims;
use crate::shared::Shared;
use crate::time::unix_now;

/// The claims of the tokens the Pear API issues.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Claims {
    /// The account: a lowercase Ethereum address.
    pub(crate) sub: String,
    /// What the token is for.
    pub(crate) typ: TokenType,
    /// The login session the token belongs to.
    pub(crate) sid: String,
    /// Unique token id.
    pub(crate) jti: String,
    /// The client id of the login.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) cid: String,
    /// Issued at, unix seconds.
    pub(crate) iat: u64,
    /// Expiry, unix seconds.
    pub(crate) exp: u64,
}

impl SessionClaims for Claims {
    fn session(&self) -> &str {
        &self.sid
    }

    fn expires_at(&self) -> u64 {
        self.exp
    }
}

/// What a Pear token is for, its `typ` claim: `access` or `refresh` on the wire. A token
/// with any other `typ` (another API's, or an unknown one) does not parse, so it is
/// refused like a forged one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum TokenType {
    /// An access token.
    Access,
    /// A refresh token (single use).
    Refresh,
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

/// The Pear API's part of [`SandboxConfig`].
pub(crate) struct Settings {
    pub(crate) access_token_ttl: Duration,
    pub(crate) refresh_token_ttl: Duration,
    pub(crate) freshness_window: Duration,
    pub(crate) chain_id: u64,
    pub(crate) verifying_contract: EvmAddress,
    pub(crate) privy_tokens: Vec<(String, String, EvmAddress)>,
    pub(crate) revoke_family_on_reuse: bool,
}

impl Settings {
    fn of(config: &SandboxConfig) -> Settings {
        Settings {
            access_token_ttl: config.access_token_ttl,
            refresh_token_ttl: config.refresh_token_ttl,
            freshness_window: config.freshness_window,
            chain_id: config.chain_id,
            verifying_contract: config.verifying_contract,
            privy_tokens: config.privy_tokens.clone(),
            revoke_family_on_reuse: config.revoke_family_on_reuse,
        }
    }
}

/// The running Pear API.
pub(crate) struct PearState {
    pub(crate) shared: Arc<Shared>,
    pub(crate) settings: Settings,
    pub(crate) counters: PearCounters,
    /// Hands out a token approval instead of a login message.
    pub(crate) hostile: AtomicBool,
    /// Refresh-token ids: `true` while unused, `false` once used.
    pub(crate) refresh_tokens: Mutex<HashMap<String, bool>>,
    pub(crate) api_keys: Mutex<HashMap<String, ApiKeyRecord>>,
    /// `(address, timestamp)` pairs that have logged in (single use).
    used_login_timestamps: UsedProofs<([u8; 20], u64)>,
}

impl PearState {
    pub(crate) fn new(shared: Arc<Shared>, config: &SandboxConfig) -> PearState {
        PearState {
            shared,
            settings: Settings::of(config),
            counters: PearCounters::default(),
            hostile: AtomicBool::new(config.hostile),
            refresh_tokens: Mutex::new(HashMap::new()),
            api_keys: Mutex::new(HashMap::new()),
            used_login_timestamps: UsedProofs::new(config.freshness_window),
        }
    }

    /// A signed token of `claims`.
    pub(crate) fn issue(&self, claims: &Claims) -> String {
        self.shared.sessions.issue(claims)
    }

    /// Decodes a Pear token this instance issued, of the given type, not expired, whose
    /// session was not ended.
    pub(crate) fn verify(&self, token: &str, typ: TokenType) -> Option<Claims> {
        self.verify_at(token, typ, unix_now())
    }

    /// As [`PearState::verify`], with "not expired" judged at unix time `at`.
    pub(crate) fn verify_at(&self, token: &str, typ: TokenType, at: u64) -> Option<Claims> {
        self.shared
            .sessions
            .verify_at::<Claims>(token, at)
            .filter(|claims| claims.typ == typ)
    }

    /// Records that a login with a verified signature used `(address, timestamp)`;
    /// `false` if that pair has logged in before.
    pub(crate) fn claim_login_timestamp(&self, address: [u8; 20], timestamp: u64) -> bool {
        self.used_login_timestamps
            .claim((address, timestamp), timestamp.saturating_mul(1000))
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

    fn state() -> PearState {
        let config = SandboxConfig::default();
        PearState::new(Arc::new(Shared::new(&config)), &config)
    }

    #[test]
    fn token_types_are_the_same_strings_on_the_wire() {
        for (typ, wire) in [
            (TokenType::Access, "access"),
            (TokenType::Refresh, "refresh"),
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
        let state = state();
        let access = state.issue(&claims(TokenType::Access));
        assert_eq!(
            state.verify(&access, TokenType::Access).unwrap().typ,
            TokenType::Access
        );
        assert!(state.verify(&access, TokenType::Refresh).is_none());
    }

    #[test]
    fn a_signed_token_of_another_or_an_unknown_type_is_refused() {
        let state = state();
        let mut payload = serde_json::to_value(claims(TokenType::Access)).unwrap();
        for typ in [
            json!("pump"),
            json!("admin"),
            json!("Access"),
            json!(""),
            json!(1),
            json!(null),
        ] {
            payload["typ"] = typ;
            let token = state.shared.sessions.sign_raw(&payload);
            for expected in [TokenType::Access, TokenType::Refresh] {
                assert!(state.verify(&token, expected).is_none(), "{payload}");
            }
        }
    }

    #[test]
    fn a_login_timestamp_is_claimed_once_per_address() {
        let state = state();
        let now = unix_now();
        assert!(state.claim_login_timestamp([1; 20], now));
        assert!(!state.claim_login_timestamp([1; 20], now));
        assert!(state.claim_login_timestamp([2; 20], now));
    }
}
