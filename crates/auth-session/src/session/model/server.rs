//! The model's server: an [`Authenticator`] that issues numbered tokens on the virtual
//! clock and keeps the ledger every invariant is checked against.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use auth_types::{AccessToken, RefreshToken};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use shuttle::rand::Rng as _;

use crate::authenticator::{AuthError, Authenticator, FailureKind};
use crate::rt::clock;
use crate::tokens::Tokens;
use auth_store::{StoreEntry, StoredTokens};

/// What the server knows of an access token it issued.
#[derive(Debug)]
pub(super) struct Issued {
    /// When it expires (its JWT `exp`), on the wall clock.
    pub(super) expires_at: SystemTime,
    /// The ledger's step when it was issued.
    pub(super) at: u64,
    /// The ledger's step when a logout revoked it.
    pub(super) revoked_at: Option<u64>,
}

/// Everything the model saw, in one order: every event takes the next step.
#[derive(Debug, Default)]
pub(super) struct Ledger {
    step: u64,
    /// Issued access tokens, by text.
    pub(super) access: HashMap<String, Issued>,
    /// Issued refresh tokens.
    pub(super) refresh: HashSet<String>,
    /// Refresh tokens the server has seen (at refresh or logout): each at most once.
    pub(super) presented: HashSet<String>,
    /// Tokens reported refused with `invalidate` (when it returned `true`), with the step.
    pub(super) invalidated: HashMap<String, u64>,
    /// Logouts that returned: the step each began and the step it returned.
    pub(super) logouts: Vec<(u64, u64)>,
    /// A logout gave up waiting (`LogoutTimeout`): tokens may be forgotten without telling
    /// the server, as documented.
    pub(super) gave_up: bool,
    /// How often each kind of event happened (so a scenario can show what it reached).
    pub(super) seen: BTreeMap<&'static str, usize>,
}

impl Ledger {
    /// Counts an event of kind `what`.
    pub(super) fn saw(&mut self, what: &'static str) {
        *self.seen.entry(what).or_default() += 1;
    }

    /// The next step.
    pub(super) fn tick(&mut self) -> u64 {
        self.step += 1;
        self.step
    }
}

/// The ledger, shared by the server and the actors.
pub(super) type SharedLedger = Arc<Mutex<Ledger>>;

/// Locks the ledger (never held across a scheduling point).
pub(super) fn ledger(shared: &SharedLedger) -> MutexGuard<'_, Ledger> {
    auth_types::lock(shared)
}

/// A failure of the model's server.
#[derive(Debug)]
pub(super) struct ModelError(FailureKind);

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "model server: {:?}", self.0)
    }
}

impl std::error::Error for ModelError {}

impl AuthError for ModelError {
    fn kind(&self) -> FailureKind {
        self.0
    }
}

/// The server. Each call crosses the "network" (a scheduling point) on the way there and
/// back, so the virtual clock may move while it runs; tokens live for `lifetime` from
/// when they are issued, as their JWT `exp` says.
pub(super) struct Server {
    pub(super) ledger: SharedLedger,
    pub(super) lifetime: Duration,
    /// Whether a login or refresh may fail transiently, before reaching the server (so a
    /// refresh token it carried is not spent), as the scheduler's random choice decides.
    pub(super) transient_failures: bool,
}

impl Server {
    /// A new pair, valid for the server's lifetime from now.
    fn issue(&self) -> Tokens {
        let mut ledger = ledger(&self.ledger);
        let step = ledger.tick();
        let expires_at = clock::wall() + self.lifetime;
        let exp = expires_at
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let payload = format!(r#"{{"jti":"a{step}","exp":{exp}}}"#);
        let access = format!(
            "eyJhbGciOiJub25lIn0.{}.c2ln",
            URL_SAFE_NO_PAD.encode(payload)
        );
        let refresh = format!("r{step}");
        ledger.access.insert(
            access.clone(),
            Issued {
                expires_at,
                at: step,
                revoked_at: None,
            },
        );
        ledger.refresh.insert(refresh.clone());
        Tokens::new(AccessToken::new(access), self.lifetime)
            .with_refresh_token(RefreshToken::new(refresh))
    }

    /// A store entry of this server's identity, as an earlier run left it.
    pub(super) fn earlier_run(&self) -> StoreEntry {
        let tokens = self.issue();
        StoreEntry {
            generation: 0,
            identity: Some(self.identity()),
            tokens: StoredTokens {
                access_token: tokens.access_token,
                refresh_token: tokens.refresh_token,
                expires_at: clock::wall() + self.lifetime,
            },
        }
    }

    /// Whether this call fails on the way to the server.
    fn fails_in_transit(&self) -> bool {
        self.transient_failures && shuttle::rand::thread_rng().gen_bool(0.25)
    }

    /// Records `refresh_token` as presented; a second presentation breaks invariant (a).
    fn present(&self, refresh_token: &RefreshToken) {
        let token = refresh_token.expose_secret();
        let mut ledger = ledger(&self.ledger);
        assert!(
            ledger.refresh.contains(token),
            "a refresh token the server never issued was presented"
        );
        assert!(
            ledger.presented.insert(token.to_owned()),
            "invariant (a): refresh token {token} was presented twice"
        );
    }
}

#[async_trait]
impl Authenticator for Server {
    type Error = ModelError;

    async fn login(&self) -> Result<Tokens, ModelError> {
        shuttle::future::yield_now().await;
        if self.fails_in_transit() {
            ledger(&self.ledger).saw("transient failure");
            return Err(ModelError(FailureKind::Transient));
        }
        let tokens = self.issue();
        ledger(&self.ledger).saw("login");
        shuttle::future::yield_now().await;
        Ok(tokens)
    }

    async fn refresh(&self, refresh_token: &RefreshToken) -> Result<Tokens, ModelError> {
        shuttle::future::yield_now().await;
        if self.fails_in_transit() {
            ledger(&self.ledger).saw("transient failure");
            return Err(ModelError(FailureKind::Transient));
        }
        self.present(refresh_token);
        let tokens = self.issue();
        ledger(&self.ledger).saw("refresh");
        shuttle::future::yield_now().await;
        Ok(tokens)
    }

    async fn logout(
        &self,
        access_token: &AccessToken,
        refresh_token: Option<&RefreshToken>,
    ) -> Result<(), ModelError> {
        shuttle::future::yield_now().await;
        if let Some(refresh_token) = refresh_token {
            self.present(refresh_token);
        }
        {
            let mut ledger = ledger(&self.ledger);
            let step = ledger.tick();
            ledger.saw("revoked");
            if let Some(issued) = ledger.access.get_mut(access_token.expose_secret()) {
                issued.revoked_at.get_or_insert(step);
            }
        }
        shuttle::future::yield_now().await;
        Ok(())
    }
}
