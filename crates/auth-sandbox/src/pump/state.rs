//! The pump.fun API's state: its settings, counters, used login signatures and last
//! logins, and the claims of the tokens it issues.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::counters::PumpCounters;
use crate::config::SandboxConfig;
use crate::proofs::UsedProofs;
use crate::sessions::SessionClaims;
use crate::shared::Shared;
use crate::time::unix_now;

/// The claims of the tokens the pump.fun API issues.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Claims {
    /// The account: a base58 Solana wallet.
    pub(crate) sub: String,
    /// What the token is for: always [`TokenType::Pump`].
    pub(crate) typ: TokenType,
    /// The login session the token belongs to.
    pub(crate) sid: String,
    /// Unique token id.
    pub(crate) jti: String,
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

/// The `typ` claim of a pump.fun token: `pump` on the wire. A token with any other `typ`
/// (another API's, or an unknown one) does not parse, so it is refused like a forged one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum TokenType {
    /// A pump.fun token.
    Pump,
}

/// The pump.fun API's part of [`SandboxConfig`].
pub(crate) struct Settings {
    pub(crate) token_ttl: Duration,
    pub(crate) login_rotates: bool,
    pub(crate) freshness_window: Duration,
}

/// The running pump.fun API.
pub(crate) struct PumpState {
    pub(crate) shared: Arc<Shared>,
    pub(crate) settings: Settings,
    pub(crate) counters: PumpCounters,
    /// Login signatures that have logged in (single use).
    used_signatures: UsedProofs<[u8; 64]>,
    /// The last login of each wallet, unix milliseconds.
    pub(crate) last_logins: Mutex<HashMap<String, u64>>,
    /// The login session of each wallet's latest login (rotation ends the one before).
    current_sessions: Mutex<HashMap<String, String>>,
}

impl PumpState {
    pub(crate) fn new(shared: Arc<Shared>, config: &SandboxConfig) -> PumpState {
        PumpState {
            shared,
            settings: Settings {
                token_ttl: config.pump_token_ttl,
                login_rotates: config.pump_login_rotates,
                freshness_window: config.freshness_window,
            },
            counters: PumpCounters::default(),
            used_signatures: UsedProofs::new(config.freshness_window),
            last_logins: Mutex::new(HashMap::new()),
            current_sessions: Mutex::new(HashMap::new()),
        }
    }

    /// Makes `session` the latest login of `wallet`; with rotation on, ends the wallet's
    /// login before it (its token is refused from now on).
    pub(crate) fn rotate(&self, wallet: &str, session: &str) {
        let previous =
            auth_types::lock(&self.current_sessions).insert(wallet.to_owned(), session.to_owned());
        if let Some(previous) = previous
            && self.settings.login_rotates
            && self.shared.sessions.end(&previous)
        {
            crate::counters::bump(&self.counters.tokens_rotated);
        }
    }

    /// A signed token of `claims`.
    pub(crate) fn issue(&self, claims: &Claims) -> String {
        self.shared.sessions.issue(claims)
    }

    /// Decodes a pump.fun token this instance issued, not expired at unix time `at`,
    /// whose session was not ended.
    pub(crate) fn verify_at(&self, token: &str, at: u64) -> Option<Claims> {
        self.shared.sessions.verify_at::<Claims>(token, at)
    }

    /// As [`PumpState::verify_at`], now.
    pub(crate) fn verify(&self, token: &str) -> Option<Claims> {
        self.verify_at(token, unix_now())
    }

    /// Records that a verified login signature over a message of time `millis` was used;
    /// `false` if it has logged in before.
    pub(crate) fn claim_signature(&self, signature: [u8; 64], millis: u64) -> bool {
        self.used_signatures.claim(signature, millis)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

    use serde_json::json;

    use super::*;

    fn claims() -> Claims {
        Claims {
            sub: "wallet".to_owned(),
            typ: TokenType::Pump,
            sid: "s1".to_owned(),
            jti: "j1".to_owned(),
            iat: 1,
            exp: u64::MAX,
        }
    }

    fn state() -> PumpState {
        let config = SandboxConfig::default();
        PumpState::new(Arc::new(Shared::new(&config)), &config)
    }

    #[test]
    fn the_token_type_is_pump_on_the_wire() {
        assert_eq!(
            serde_json::to_string(&claims()).unwrap(),
            format!(
                r#"{{"sub":"wallet","typ":"pump","sid":"s1","jti":"j1","iat":1,"exp":{}}}"#,
                u64::MAX
            )
        );
    }

    #[test]
    fn a_signed_token_of_another_or_an_unknown_type_is_refused() {
        let state = state();
        assert!(state.verify(&state.issue(&claims())).is_some());
        let mut payload = serde_json::to_value(claims()).unwrap();
        for typ in [
            json!("access"),
            json!("refresh"),
            json!("Pump"),
            json!(""),
            json!(1),
            json!(null),
        ] {
            payload["typ"] = typ;
            let token = state.shared.sessions.sign_raw(&payload);
            assert!(state.verify(&token).is_none(), "{payload}");
        }
    }

    #[test]
    fn a_login_signature_is_claimed_once() {
        let state = state();
        let now = crate::time::unix_now_ms();
        assert!(state.claim_signature([7; 64], now));
        assert!(!state.claim_signature([7; 64], now));
    }
}
