//! Login sessions and the tokens that carry them, for every API alike: HS256 JWTs signed
//! with a secret unique to this sandbox instance, and the set of sessions ended early
//! (logout, revocation). What a token's claims hold is each API's own business; this
//! module only needs a token's session and expiry.

use std::collections::HashSet;
use std::sync::Mutex;

use auth_types::lock;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::jwt::Hs256;
use crate::time::unix_now_ms;

/// What every token's claims tell the session store: the session and the expiry.
pub(crate) trait SessionClaims: Serialize + DeserializeOwned {
    /// The login session the token belongs to.
    fn session(&self) -> &str;
    /// Expiry, unix seconds: the token is dead from this second on.
    fn expires_at(&self) -> u64;
}

/// Issues and checks this instance's tokens, and remembers the sessions that ended.
pub(crate) struct Sessions {
    /// Signs and checks the tokens this instance issues.
    jwt: Hs256,
    /// Sessions ended early (their tokens are refused).
    revoked: Mutex<HashSet<String>>,
}

impl Sessions {
    /// A store with a signing secret unique to this instance: tokens from one sandbox are
    /// refused by another.
    pub(crate) fn new() -> Sessions {
        let secret: Vec<u8> = (0..4u64)
            .flat_map(|i| {
                use std::hash::{BuildHasher, RandomState};
                RandomState::new()
                    .hash_one((i, unix_now_ms()))
                    .to_le_bytes()
            })
            .collect();
        Sessions {
            jwt: Hs256::new(&secret),
            revoked: Mutex::new(HashSet::new()),
        }
    }

    /// A signed token of `claims` (empty if they do not serialize, which the claims of
    /// this crate always do).
    pub(crate) fn issue<C: Serialize>(&self, claims: &C) -> String {
        self.jwt.encode(claims).unwrap_or_default()
    }

    /// The claims of a token this instance issued, if they parse as `C` (so a token of
    /// another kind is refused like a forged one), it has not expired at unix time `at`,
    /// and its session has not ended.
    pub(crate) fn verify_at<C: SessionClaims>(&self, token: &str, at: u64) -> Option<C> {
        let claims: C = self.jwt.decode(token)?;
        if claims.expires_at() <= at || lock(&self.revoked).contains(claims.session()) {
            return None;
        }
        Some(claims)
    }

    /// Ends a session: every token of it is refused from now on. `false` if it had ended
    /// already.
    pub(crate) fn end(&self, session: &str) -> bool {
        lock(&self.revoked).insert(session.to_owned())
    }

    /// Whether a session was ended early (for an API's own opaque tokens, which carry
    /// their session outside a JWT).
    pub(crate) fn ended(&self, session: &str) -> bool {
        lock(&self.revoked).contains(session)
    }

    /// Signs any serializable payload, for tests that forge claims with the real key.
    #[cfg(test)]
    pub(crate) fn sign_raw(&self, payload: &serde_json::Value) -> String {
        self.jwt.encode(payload).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct Claims {
        sid: String,
        exp: u64,
    }

    impl SessionClaims for Claims {
        fn session(&self) -> &str {
            &self.sid
        }
        fn expires_at(&self) -> u64 {
            self.exp
        }
    }

    fn claims(exp: u64) -> Claims {
        Claims {
            sid: "s1".to_owned(),
            exp,
        }
    }

    #[test]
    fn a_token_lives_until_its_expiry_and_its_session_ends() {
        let sessions = Sessions::new();
        let token = sessions.issue(&claims(100));
        assert_eq!(sessions.verify_at::<Claims>(&token, 99), Some(claims(100)));
        assert_eq!(sessions.verify_at::<Claims>(&token, 100), None);
        assert!(sessions.end("s1"));
        assert!(!sessions.end("s1"));
        assert_eq!(sessions.verify_at::<Claims>(&token, 0), None);
    }

    #[test]
    fn another_instances_tokens_are_refused() {
        let token = Sessions::new().issue(&claims(100));
        assert_eq!(Sessions::new().verify_at::<Claims>(&token, 0), None);
    }
}
