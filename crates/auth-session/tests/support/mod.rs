//! A counting fake authenticator and helpers shared by the integration tests.
#![allow(clippy::unwrap_used, dead_code, unreachable_pub)]

use std::collections::{HashSet, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use auth_session::{AuthError, Authenticator, FailureKind, Identity, Session, Tokens};
use auth_types::{AccessToken, RefreshToken};

/// A fixed start on the wall clock: 2023-11-14T22:13:20Z.
pub const WALL_START: u64 = 1_700_000_000;

/// A wall clock that follows Tokio's (possibly paused) clock from `WALL_START`.
pub fn paused_wall_clock() -> impl Fn() -> SystemTime + Send + Sync + Clone + 'static {
    let start = tokio::time::Instant::now();
    move || SystemTime::UNIX_EPOCH + Duration::from_secs(WALL_START) + start.elapsed()
}

/// The session's current access token, as text (fails the test on an error).
pub async fn token(session: &Session<FakeAuth>) -> String {
    session
        .access_token()
        .await
        .unwrap()
        .expose_secret()
        .to_owned()
}

/// Lets spawned tasks (the idle watcher, background saves) run until they wait again.
pub async fn settle() {
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("fake failure ({kind:?})")]
pub struct FakeError {
    pub kind: FailureKind,
    pub retry_after: Option<Duration>,
}

impl FakeError {
    pub fn new(kind: FailureKind) -> Self {
        FakeError {
            kind,
            retry_after: None,
        }
    }
}

impl AuthError for FakeError {
    fn kind(&self) -> FailureKind {
        self.kind
    }
    fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
}

/// What the fake does and has seen. Tokens are `access-N` and `refresh-N`.
#[derive(Debug)]
pub struct FakeState {
    pub logins: AtomicUsize,
    pub refreshes: AtomicUsize,
    pub logouts: AtomicUsize,
    issued: AtomicUsize,
    /// Lifetime announced as `expiresIn`.
    pub expires_in: Mutex<Duration>,
    /// Whether logins and refreshes hand out refresh tokens.
    pub issue_refresh: bool,
    /// How long each call takes (on the paused clock).
    pub latency: Mutex<Duration>,
    /// Errors to return before succeeding, per operation.
    pub login_failures: Mutex<VecDeque<FakeError>>,
    pub refresh_failures: Mutex<VecDeque<FakeError>>,
    pub logout_failures: Mutex<VecDeque<FakeError>>,
    /// Access tokens to hand out instead of `access-N` (e.g. JWTs).
    pub access_override: Mutex<VecDeque<String>>,
    /// Every refresh token ever presented.
    pub presented: Mutex<Vec<String>>,
    /// The refresh token the server currently accepts.
    pub valid_refresh: Mutex<Option<String>>,
    /// Tokens passed to logout.
    pub logged_out: Mutex<Vec<(String, Option<String>)>>,
    /// When set, login never answers.
    pub hang_login: Mutex<bool>,
    /// When set, refresh waits for a permit on `gate` before answering.
    pub gated: Mutex<bool>,
    pub gate: tokio::sync::Notify,
    /// Who the tokens belong to (`None`: the trait's default).
    pub identity: Mutex<Option<Identity>>,
}

#[derive(Debug, Clone)]
pub struct FakeAuth(pub Arc<FakeState>);

impl FakeAuth {
    pub fn new(expires_in: Duration, issue_refresh: bool) -> Self {
        FakeAuth(Arc::new(FakeState {
            logins: AtomicUsize::new(0),
            refreshes: AtomicUsize::new(0),
            logouts: AtomicUsize::new(0),
            issued: AtomicUsize::new(0),
            expires_in: Mutex::new(expires_in),
            issue_refresh,
            latency: Mutex::new(Duration::ZERO),
            login_failures: Mutex::default(),
            refresh_failures: Mutex::default(),
            logout_failures: Mutex::default(),
            access_override: Mutex::default(),
            presented: Mutex::default(),
            valid_refresh: Mutex::default(),
            logged_out: Mutex::default(),
            hang_login: Mutex::new(false),
            gated: Mutex::new(false),
            gate: tokio::sync::Notify::new(),
            identity: Mutex::new(None),
        }))
    }

    /// Like [`FakeAuth::pear_like`], with an explicit identity.
    pub fn with_identity(identity: Identity) -> Self {
        let auth = FakeAuth::pear_like();
        *auth.0.identity.lock().unwrap() = Some(identity);
        auth
    }

    /// 15-minute tokens with rotating refresh tokens, like Pear.
    pub fn pear_like() -> Self {
        FakeAuth::new(Duration::from_secs(900), true)
    }

    pub fn state(&self) -> Arc<FakeState> {
        Arc::clone(&self.0)
    }

    async fn delay(&self) {
        let latency = *self.0.latency.lock().unwrap();
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
    }

    fn issue(&self) -> Tokens {
        let n = self.0.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let access = self
            .0
            .access_override
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| format!("access-{n}"));
        let mut tokens = Tokens::new(AccessToken::new(access), *self.0.expires_in.lock().unwrap());
        if self.0.issue_refresh {
            let refresh = format!("refresh-{n}");
            *self.0.valid_refresh.lock().unwrap() = Some(refresh.clone());
            tokens = tokens.with_refresh_token(RefreshToken::new(refresh));
        }
        tokens
    }
}

impl FakeState {
    pub fn logins(&self) -> usize {
        self.logins.load(Ordering::SeqCst)
    }
    pub fn refreshes(&self) -> usize {
        self.refreshes.load(Ordering::SeqCst)
    }
    pub fn logouts(&self) -> usize {
        self.logouts.load(Ordering::SeqCst)
    }
    pub fn fail_login(&self, error: FakeError) {
        self.login_failures.lock().unwrap().push_back(error);
    }
    pub fn fail_refresh(&self, error: FakeError) {
        self.refresh_failures.lock().unwrap().push_back(error);
    }
    pub fn fail_logout(&self, error: FakeError) {
        self.logout_failures.lock().unwrap().push_back(error);
    }
    /// Asserts no refresh token was presented twice.
    pub fn assert_each_refresh_token_presented_once(&self) {
        let presented = self.presented.lock().unwrap();
        let distinct: HashSet<_> = presented.iter().collect();
        assert_eq!(distinct.len(), presented.len(), "reused: {presented:?}");
    }
}

#[async_trait]
impl Authenticator for FakeAuth {
    type Error = FakeError;

    fn identity(&self) -> Identity {
        let explicit = self.0.identity.lock().unwrap().clone();
        explicit.unwrap_or_else(|| Identity::new("fake", "http://fake.test"))
    }

    async fn login(&self) -> Result<Tokens, FakeError> {
        self.0.logins.fetch_add(1, Ordering::SeqCst);
        if *self.0.hang_login.lock().unwrap() {
            std::future::pending::<()>().await;
        }
        self.delay().await;
        if let Some(error) = self.0.login_failures.lock().unwrap().pop_front() {
            return Err(error);
        }
        Ok(self.issue())
    }

    async fn refresh(&self, refresh_token: &RefreshToken) -> Result<Tokens, FakeError> {
        self.0.refreshes.fetch_add(1, Ordering::SeqCst);
        let presented = refresh_token.expose_secret().to_owned();
        self.0.presented.lock().unwrap().push(presented.clone());
        let gated = *self.0.gated.lock().unwrap();
        if gated {
            self.0.gate.notified().await;
        }
        self.delay().await;
        if let Some(error) = self.0.refresh_failures.lock().unwrap().pop_front() {
            return Err(error);
        }
        // Single use: the server accepts only the latest refresh token, once.
        let mut valid = self.0.valid_refresh.lock().unwrap();
        if valid.as_deref() != Some(presented.as_str()) {
            return Err(FakeError::new(FailureKind::RefreshRejected));
        }
        *valid = None;
        drop(valid);
        Ok(self.issue())
    }

    async fn logout(
        &self,
        access_token: &AccessToken,
        refresh_token: Option<&RefreshToken>,
    ) -> Result<(), FakeError> {
        self.0.logouts.fetch_add(1, Ordering::SeqCst);
        self.0.logged_out.lock().unwrap().push((
            access_token.expose_secret().to_owned(),
            refresh_token.map(|t| t.expose_secret().to_owned()),
        ));
        self.delay().await;
        *self.0.valid_refresh.lock().unwrap() = None;
        if let Some(error) = self.0.logout_failures.lock().unwrap().pop_front() {
            return Err(error);
        }
        Ok(())
    }
}

/// Two sessions of one account over one shared store: the second adopts the first's
/// login, each adopts the other's renewal, and no refresh token is presented twice (the
/// fleet tests' core, for every shared store).
pub async fn renew_in_turns(auth: &FakeAuth, a: &Session<FakeAuth>, b: &Session<FakeAuth>) {
    let first = token(a).await;
    // The second session finds the first's token in the store: no second login.
    assert_eq!(token(b).await, first);
    assert_eq!(auth.state().logins(), 1);
    // A renewal by one is adopted by the other, which does not present the (spent) refresh
    // token it had read.
    let renewed = a.refresh_now().await.unwrap();
    let adopted = b.refresh_now().await.unwrap();
    assert_eq!(adopted, renewed);
    assert_eq!(b.stats().adopted, 1, "{:?}", b.stats());
    assert_eq!(b.stats().refreshes, 0);
    let state = auth.state();
    assert_eq!(state.logins(), 1);
    assert_eq!(state.refreshes(), 1);
    state.assert_each_refresh_token_presented_once();
    // And the other way round.
    let again = b.refresh_now().await.unwrap();
    assert_eq!(a.refresh_now().await.unwrap(), again);
    assert_eq!(state.refreshes(), 2);
    state.assert_each_refresh_token_presented_once();
}
