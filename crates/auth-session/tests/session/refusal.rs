//! A 401 is evidence, not a verdict (`Session::report_refused`): the authenticator's check,
//! its failures, and the cap of 401-triggered renewals per minute, on the paused clock.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use auth_session::{Authenticator, Refusal, Tokens};

use super::*;

/// A [`FakeAuth`] whose `confirm_refused` answers what the test sets, and counts.
#[derive(Clone)]
struct Checked {
    fake: FakeAuth,
    verdict: Arc<Mutex<Result<bool, FakeError>>>,
    checks: Arc<AtomicUsize>,
}

impl Checked {
    fn new(verdict: Result<bool, FakeError>) -> Self {
        Checked {
            fake: FakeAuth::pear_like(),
            verdict: Arc::new(Mutex::new(verdict)),
            checks: Arc::default(),
        }
    }

    fn set(&self, verdict: Result<bool, FakeError>) {
        *self.verdict.lock().unwrap() = verdict;
    }

    fn checks(&self) -> usize {
        self.checks.load(Ordering::SeqCst)
    }

    fn renewals(&self) -> usize {
        self.fake.0.logins() + self.fake.0.refreshes()
    }
}

#[async_trait::async_trait]
impl Authenticator for Checked {
    type Error = FakeError;

    async fn login(&self) -> Result<Tokens, FakeError> {
        self.fake.login().await
    }

    async fn refresh(&self, refresh_token: &RefreshToken) -> Result<Tokens, FakeError> {
        self.fake.refresh(refresh_token).await
    }

    async fn confirm_refused(&self, _token: &AccessToken) -> Result<bool, FakeError> {
        self.checks.fetch_add(1, Ordering::SeqCst);
        self.verdict.lock().unwrap().clone()
    }

    async fn logout(
        &self,
        access_token: &AccessToken,
        refresh_token: Option<&RefreshToken>,
    ) -> Result<(), FakeError> {
        self.fake.logout(access_token, refresh_token).await
    }
}

fn checked_session(auth: &Checked, cap: u32) -> Session<Checked> {
    Session::builder(auth.clone())
        .refresh_jitter(Duration::ZERO)
        .wall_clock(paused_wall_clock())
        .renewals_for_401_per_minute(cap)
        .build()
}

#[tokio::test(start_paused = true)]
async fn a_token_found_alive_is_kept_and_checked_again_only_after_ten_seconds() {
    let auth = Checked::new(Ok(false));
    let session = checked_session(&auth, 3);
    let first = session.access_token().await.unwrap();

    for _ in 0..20 {
        assert_eq!(session.report_refused(&first).await, Refusal::Alive);
    }
    assert_eq!(auth.checks(), 1, "one check per token, not one per 401");
    assert_eq!(session.access_token().await.unwrap(), first);

    advance(10 * SECOND).await;
    assert_eq!(session.report_refused(&first).await, Refusal::Alive);
    assert_eq!(auth.checks(), 2);

    // Now the server says it is dead: one renewal.
    advance(10 * SECOND).await;
    auth.set(Ok(true));
    assert_eq!(session.report_refused(&first).await, Refusal::Renewing);
    assert_ne!(session.access_token().await.unwrap(), first);
    let stats = session.stats();
    assert_eq!(stats.refusals_not_confirmed, 2, "{stats:?}");
    assert_eq!(stats.refusals_passed_through, 21, "{stats:?}");
    assert_eq!(stats.renewals_for_401, 1, "{stats:?}");
    assert_eq!(auth.renewals(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_failed_check_keeps_the_token_and_the_next_401_asks_again() {
    let auth = Checked::new(Err(FakeError::new(FailureKind::Transient)));
    let session = checked_session(&auth, 3);
    let first = session.access_token().await.unwrap();

    assert_eq!(session.report_refused(&first).await, Refusal::Unconfirmed);
    assert_eq!(session.report_refused(&first).await, Refusal::Unconfirmed);
    assert_eq!(auth.checks(), 2);
    assert_eq!(session.access_token().await.unwrap(), first);
    assert_eq!(auth.renewals(), 1, "no login on a guess");
    let stats = session.stats();
    assert_eq!(stats.refusal_checks_failed, 2, "{stats:?}");
    assert_eq!(stats.renewals_for_401, 0, "{stats:?}");
}

#[tokio::test(start_paused = true)]
async fn the_cap_counts_renewals_of_the_last_minute() {
    let auth = Checked::new(Ok(true));
    let session = checked_session(&auth, 2);

    let mut outcomes = Vec::new();
    for _ in 0..4 {
        let token = session.access_token().await.unwrap();
        outcomes.push(session.report_refused(&token).await);
        advance(SECOND).await;
    }
    use Refusal::{LimitReached, Renewing};
    assert_eq!(outcomes, [Renewing, Renewing, LimitReached, LimitReached]);
    assert_eq!(auth.checks(), 2, "no check past the cap");
    assert_eq!(auth.renewals(), 3);

    // A minute after the first renewal, one more is allowed.
    advance(56 * SECOND).await;
    let token = session.access_token().await.unwrap();
    assert_eq!(session.report_refused(&token).await, Renewing);
    let token = session.access_token().await.unwrap();
    assert_eq!(session.report_refused(&token).await, LimitReached);
    assert!(Renewing.replay() && Refusal::Replaced.replay());
    assert!(!LimitReached.replay() && !Refusal::Alive.replay());
}

#[tokio::test(start_paused = true)]
async fn a_burst_of_reports_costs_one_check_and_one_renewal_and_late_ones_replay() {
    let auth = Checked::new(Ok(true));
    *auth.fake.0.latency.lock().unwrap() = SECOND;
    let session = checked_session(&auth, 3);
    let first = session.access_token().await.unwrap();

    let mut callers = tokio::task::JoinSet::new();
    for _ in 0..100 {
        let (session, first) = (session.clone(), first.clone());
        callers.spawn(async move { session.report_refused(&first).await });
    }
    let outcomes = callers.join_all().await;
    let renewing = outcomes.iter().filter(|o| **o == Refusal::Renewing).count();
    let replaced = outcomes.iter().filter(|o| **o == Refusal::Replaced).count();
    assert_eq!((renewing, replaced), (1, 99));
    assert_eq!(auth.checks(), 1);
    assert_ne!(session.access_token().await.unwrap(), first);
    assert_eq!(auth.renewals(), 2);
    assert_eq!(session.stats().renewals_for_401, 1);
}

#[tokio::test(start_paused = true)]
async fn a_cap_of_zero_never_renews_for_a_401() {
    let auth = Checked::new(Ok(true));
    let session = checked_session(&auth, 0);
    let first = session.access_token().await.unwrap();
    assert_eq!(session.report_refused(&first).await, Refusal::LimitReached);
    assert_eq!(auth.checks(), 0);
    assert_eq!(session.access_token().await.unwrap(), first);
    // `invalidate` is not capped.
    assert!(session.invalidate(&first));
    assert_ne!(session.access_token().await.unwrap(), first);
}
