//! The running SIWE or SIWS unit: its settings, counters, nonces, cookie sessions and
//! refresh tokens, and the claims of its access tokens.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use auth_types::lock;
use serde::{Deserialize, Serialize};

use super::counters::SiwxCounters;
use super::nonces::{Nonces, random_token};
use super::{Kind, Settings};
use crate::sessions::SessionClaims;
use crate::shared::Shared;
use crate::time::{unix_now, unix_now_ms};

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Claims {
    /// The account: an EIP-55 address (SIWE) or a base58 public key (SIWS).
    pub(crate) sub: String,
    /// Which API issued it.
    pub(crate) typ: Kind,
    /// The login session.
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

/// A login behind an opaque value (a cookie session or a refresh token).
#[derive(Debug, Clone)]
pub(crate) struct Login {
    /// The account.
    pub(crate) address: String,
    /// The login session.
    pub(crate) sid: String,
    /// Expiry, unix milliseconds.
    expires_ms: u64,
    /// A refresh token once presented (single use); unused for cookies.
    used: bool,
}

/// Why a refresh token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RefreshRefusal {
    /// Not one this unit issued, expired, or its session ended.
    Unknown,
    /// Presented before (rotation makes each one single use).
    Reused,
}

/// The running SIWE or SIWS unit.
pub(crate) struct SiwxState {
    pub(crate) kind: Kind,
    pub(crate) shared: Arc<Shared>,
    pub(crate) settings: Settings,
    /// The domain messages must name.
    pub(crate) domain: String,
    pub(crate) counters: SiwxCounters,
    pub(crate) nonces: Nonces,
    /// `connect.sid` values of live cookie sessions.
    cookies: Mutex<HashMap<String, Login>>,
    /// Refresh tokens issued.
    refresh_tokens: Mutex<HashMap<String, Login>>,
}

impl SiwxState {
    /// A unit of `kind` listening on `bound`.
    pub(crate) fn new(
        kind: Kind,
        settings: Settings,
        shared: Arc<Shared>,
        bound: SocketAddr,
    ) -> SiwxState {
        let domain = settings.domain.clone().unwrap_or_else(|| bound.to_string());
        SiwxState {
            kind,
            shared,
            nonces: Nonces::new(settings.nonce_ttl),
            settings,
            domain,
            counters: SiwxCounters::default(),
            cookies: Mutex::new(HashMap::new()),
            refresh_tokens: Mutex::new(HashMap::new()),
        }
    }

    /// The SIWE chain id messages must name.
    pub(crate) fn chain_id(&self) -> u64 {
        self.settings.chain_id
    }

    /// A new login session id.
    pub(crate) fn new_session(&self) -> String {
        self.shared.new_id("x")
    }

    /// The cookie session lifetime, whole seconds (at least 1).
    pub(crate) fn session_secs(&self) -> u64 {
        self.settings.session_ttl.as_secs().max(1)
    }

    /// The access-token lifetime, whole seconds (at least 1).
    pub(crate) fn access_secs(&self) -> u64 {
        self.settings.access_ttl.as_secs().max(1)
    }

    /// Starts a cookie session of `address` that lives `secs`; returns the `connect.sid`
    /// value.
    pub(crate) fn open_cookie(&self, address: &str, secs: u64) -> String {
        let cookie = random_token();
        let login = Login {
            address: address.to_owned(),
            sid: self.new_session(),
            expires_ms: expiry_ms(secs),
            used: false,
        };
        let now = unix_now_ms();
        let mut cookies = lock(&self.cookies);
        cookies.retain(|_, l| l.expires_ms > now);
        cookies.insert(cookie.clone(), login);
        cookie
    }

    /// The live login of a `connect.sid` value.
    pub(crate) fn cookie_login(&self, cookie: &str) -> Option<Login> {
        let login = lock(&self.cookies).get(cookie).cloned()?;
        self.live(&login).then_some(login)
    }

    /// Ends a cookie session; `false` if it was not live.
    pub(crate) fn close_cookie(&self, cookie: &str) -> bool {
        let login = lock(&self.cookies).remove(cookie);
        login.is_some_and(|l| {
            let was_live = self.live(&l);
            self.shared.sessions.end(&l.sid);
            was_live
        })
    }

    /// A new access and refresh token for `address` in session `sid`.
    pub(crate) fn issue_pair(&self, address: &str, sid: &str) -> (String, String) {
        let now = unix_now();
        let claims = Claims {
            sub: address.to_owned(),
            typ: self.kind,
            sid: sid.to_owned(),
            jti: self.shared.new_id("j"),
            iat: now,
            exp: now + self.access_secs(),
        };
        let refresh = random_token();
        let login = Login {
            address: address.to_owned(),
            sid: sid.to_owned(),
            expires_ms: expiry_ms(self.settings.refresh_ttl.as_secs().max(1)),
            used: false,
        };
        let now_ms = unix_now_ms();
        let mut tokens = lock(&self.refresh_tokens);
        tokens.retain(|_, l| l.expires_ms > now_ms);
        tokens.insert(refresh.clone(), login);
        (self.shared.sessions.issue(&claims), refresh)
    }

    /// Spends a refresh token: its login, if it is live and unused.
    pub(crate) fn spend_refresh(&self, token: &str) -> Result<Login, RefreshRefusal> {
        let mut tokens = lock(&self.refresh_tokens);
        let login = tokens.get_mut(token).ok_or(RefreshRefusal::Unknown)?;
        if login.used {
            return Err(RefreshRefusal::Reused);
        }
        login.used = true;
        let login = login.clone();
        drop(tokens);
        if self.live(&login) {
            Ok(login)
        } else {
            Err(RefreshRefusal::Unknown)
        }
    }

    /// Forgets a refresh token (logout): from now on it is unknown, not reused.
    pub(crate) fn forget_refresh(&self, token: &str) {
        lock(&self.refresh_tokens).remove(token);
    }

    /// The claims of a live access token this unit issued.
    pub(crate) fn access_claims(&self, token: &str) -> Option<Claims> {
        self.shared
            .sessions
            .verify_at::<Claims>(token, unix_now())
            .filter(|c| c.typ == self.kind)
    }

    /// The session of any live token or cookie of this unit, for `Sandbox::revoke`.
    pub(crate) fn session_of(&self, token: &str) -> Option<String> {
        if let Some(claims) = self.access_claims(token) {
            return Some(claims.sid);
        }
        let live = |map: &Mutex<HashMap<String, Login>>| {
            lock(map)
                .get(token)
                .filter(|l| self.live(l) && !l.used)
                .map(|l| l.sid.clone())
        };
        live(&self.cookies).or_else(|| live(&self.refresh_tokens))
    }

    /// Whether a login has not expired and its session has not ended.
    fn live(&self, login: &Login) -> bool {
        login.expires_ms > unix_now_ms() && !self.shared.sessions.ended(&login.sid)
    }
}

/// Unix milliseconds `secs` from now.
fn expiry_ms(secs: u64) -> u64 {
    unix_now_ms().saturating_add(secs.saturating_mul(1000))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

    use super::*;
    use crate::config::SandboxConfig;

    fn state(kind: Kind) -> SiwxState {
        let shared = Arc::new(Shared::new(&SandboxConfig::default()));
        let addr = SocketAddr::from(([127, 0, 0, 1], 4000));
        SiwxState::new(kind, Settings::default(), shared, addr)
    }

    #[test]
    fn the_default_domain_is_the_listen_authority() {
        assert_eq!(state(Kind::Siwe).domain, "127.0.0.1:4000");
    }

    #[test]
    fn a_refresh_token_is_spent_once_and_dies_with_its_session() {
        let state = state(Kind::Siwe);
        let (access, refresh) = state.issue_pair("0xabc", "s1");
        assert_eq!(state.access_claims(&access).unwrap().sub, "0xabc");
        assert_eq!(state.session_of(&refresh).as_deref(), Some("s1"));
        assert_eq!(state.spend_refresh(&refresh).unwrap().address, "0xabc");
        assert_eq!(
            state.spend_refresh(&refresh).unwrap_err(),
            RefreshRefusal::Reused
        );
        let (access, refresh) = state.issue_pair("0xabc", "s1");
        state.shared.sessions.end("s1");
        assert!(state.access_claims(&access).is_none());
        assert_eq!(
            state.spend_refresh(&refresh).unwrap_err(),
            RefreshRefusal::Unknown
        );
    }

    #[test]
    fn one_kinds_token_is_refused_by_the_other() {
        let siwe = state(Kind::Siwe);
        let (access, _) = siwe.issue_pair("0xabc", "s1");
        let siws = SiwxState::new(
            Kind::Siws,
            Settings::default(),
            siwe.shared.clone(),
            SocketAddr::from(([127, 0, 0, 1], 4001)),
        );
        assert!(siws.access_claims(&access).is_none());
    }

    #[test]
    fn a_closed_cookie_no_longer_works() {
        let state = state(Kind::Siws);
        let cookie = state.open_cookie("Key111", 60);
        assert_eq!(state.cookie_login(&cookie).unwrap().address, "Key111");
        assert!(state.close_cookie(&cookie));
        assert!(state.cookie_login(&cookie).is_none());
        assert!(!state.close_cookie(&cookie));
    }
}
