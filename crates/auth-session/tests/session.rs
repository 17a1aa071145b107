//! The session's token life cycle, on Tokio's paused clock.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use auth_session::{
    Authenticator as _, FailureKind, MemoryStore, Session, SessionError, StoreEntry, StoreError,
    StoredTokens, TokenStore,
};
use auth_test_support::tokens::jwt_with_exp;
use auth_types::{AccessToken, RefreshToken};
use support::{FakeAuth, FakeError, WALL_START, paused_wall_clock, settle, token};
use tokio::time::{Instant, advance};

const SECOND: Duration = Duration::from_secs(1);

/// A 15-minute-token session with a 60 s buffer and no jitter: it refreshes at 840 s.
fn session(auth: &FakeAuth) -> Session<FakeAuth> {
    Session::builder(auth.clone())
        .refresh_jitter(Duration::ZERO)
        .wall_clock(paused_wall_clock())
        .build()
}

#[tokio::test(start_paused = true)]
async fn first_call_logs_in_and_later_calls_use_the_cache() {
    let auth = FakeAuth::pear_like();
    let session = session(&auth);
    for _ in 0..100 {
        assert_eq!(token(&session).await, "access-1");
    }
    advance(839 * SECOND).await;
    assert_eq!(token(&session).await, "access-1");
    assert_eq!((auth.0.logins(), auth.0.refreshes()), (1, 0));
}

#[tokio::test(start_paused = true)]
async fn refreshes_within_the_buffer() {
    let auth = FakeAuth::pear_like();
    let session = session(&auth);
    assert_eq!(token(&session).await, "access-1");
    advance(841 * SECOND).await;
    // Due: the current token at once, the refresh in the background.
    assert_eq!(token(&session).await, "access-1");
    settle().await;
    assert_eq!(token(&session).await, "access-2");
    assert_eq!((auth.0.logins(), auth.0.refreshes()), (1, 1));
    assert_eq!(*auth.0.presented.lock().unwrap(), ["refresh-1"]);
}

#[tokio::test(start_paused = true)]
async fn jitter_refreshes_between_buffer_and_buffer_plus_jitter() {
    let auth = FakeAuth::pear_like();
    let session = Session::builder(auth.clone())
        .refresh_buffer(60 * SECOND)
        .refresh_jitter(30 * SECOND)
        .build();
    assert_eq!(token(&session).await, "access-1");
    advance(809 * SECOND).await; // 91 s before expiry: beyond buffer + jitter.
    assert_eq!(token(&session).await, "access-1");
    advance(32 * SECOND).await; // 59 s before expiry: within the buffer.
    assert_eq!(token(&session).await, "access-1"); // Renewed in the background.
    settle().await;
    assert_eq!(token(&session).await, "access-2");
}

#[tokio::test(start_paused = true)]
async fn a_thousand_callers_on_an_expired_token_cause_exactly_one_refresh() {
    let auth = FakeAuth::pear_like();
    *auth.0.latency.lock().unwrap() = SECOND;
    let session = session(&auth);
    assert_eq!(token(&session).await, "access-1");
    advance(1000 * SECOND).await; // Expired.

    let mut callers = tokio::task::JoinSet::new();
    for _ in 0..1000 {
        let session = session.clone();
        callers.spawn(async move { token(&session).await });
    }
    // Let every caller run up to its wait (time stands still: the refresh takes 1 s).
    for _ in 0..1000 {
        tokio::task::yield_now().await;
    }
    // Everyone waits on the one flight: 1000 callers plus one refresh task.
    assert_eq!(auth.0.refreshes(), 1);
    let alive = tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks();
    assert_eq!(alive, 1001);
    let tokens = callers.join_all().await;

    assert_eq!(tokens.len(), 1000);
    assert!(tokens.iter().all(|t| t == "access-2"));
    assert_eq!(auth.0.refreshes(), 1);
    assert_eq!(auth.0.logins(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_thousand_callers_on_a_new_session_cause_exactly_one_login() {
    let auth = FakeAuth::pear_like();
    *auth.0.latency.lock().unwrap() = SECOND;
    let session = session(&auth);
    let mut callers = tokio::task::JoinSet::new();
    for _ in 0..1000 {
        let session = session.clone();
        callers.spawn(async move { token(&session).await });
    }
    let tokens = callers.join_all().await;
    assert!(tokens.iter().all(|t| t == "access-1"));
    assert_eq!((auth.0.logins(), auth.0.refreshes()), (1, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_callers_on_two_threads_cause_exactly_one_refresh() {
    let auth = FakeAuth::pear_like();
    *auth.0.valid_refresh.lock().unwrap() = Some("stored-refresh".into());
    *auth.0.gated.lock().unwrap() = true;
    let expired = StoredTokens {
        access_token: AccessToken::new("stored-access"),
        refresh_token: Some(RefreshToken::new("stored-refresh")),
        expires_at: SystemTime::now() - 10 * SECOND,
    };
    let session = Session::builder(auth.clone())
        .token_store(MemoryStore::with_entry(StoreEntry {
            generation: 0,
            identity: Some(auth.identity()),
            tokens: expired,
        }))
        .build();

    let mut callers = tokio::task::JoinSet::new();
    for _ in 0..1000 {
        let session = session.clone();
        callers.spawn(async move { token(&session).await });
    }
    // Hold the refresh until it has started, so callers pile up behind it.
    for _ in 0..1_000_000 {
        if auth.0.refreshes() > 0 {
            break;
        }
        tokio::task::yield_now().await;
    }
    assert_eq!(auth.0.refreshes(), 1);
    for _ in 0..100 {
        tokio::task::yield_now().await;
    }
    auth.0.gate.notify_one();
    let tokens = callers.join_all().await;

    assert!(tokens.iter().all(|t| t == "access-1"));
    assert_eq!((auth.0.logins(), auth.0.refreshes()), (0, 1));
}

#[tokio::test(start_paused = true)]
async fn refresh_tokens_rotate_and_each_is_presented_once() {
    let auth = FakeAuth::pear_like();
    *auth.0.latency.lock().unwrap() = SECOND;
    let session = session(&auth);
    assert_eq!(token(&session).await, "access-1");
    for round in 2..=6 {
        advance(897 * SECOND).await; // Within the hard margin: callers wait.
        let mut callers = tokio::task::JoinSet::new();
        for _ in 0..50 {
            let session = session.clone();
            callers.spawn(async move { token(&session).await });
        }
        let tokens = callers.join_all().await;
        assert!(tokens.iter().all(|t| *t == format!("access-{round}")));
    }
    assert_eq!(
        *auth.0.presented.lock().unwrap(),
        [
            "refresh-1",
            "refresh-2",
            "refresh-3",
            "refresh-4",
            "refresh-5"
        ]
    );
    auth.0.assert_each_refresh_token_presented_once();
    assert_eq!(auth.0.logins(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_rejected_refresh_token_falls_back_to_login() {
    let auth = FakeAuth::pear_like();
    let session = session(&auth);
    assert_eq!(token(&session).await, "access-1");
    auth.0
        .fail_refresh(FakeError::new(FailureKind::RefreshRejected));
    advance(896 * SECOND).await; // Within the hard margin: the caller waits.
    assert_eq!(token(&session).await, "access-2");
    assert_eq!((auth.0.logins(), auth.0.refreshes()), (2, 1));
}

#[tokio::test(start_paused = true)]
async fn without_refresh_token_the_session_logs_in_again() {
    let auth = FakeAuth::new(900 * SECOND, false); // Like pump.fun.
    let session = session(&auth);
    assert_eq!(token(&session).await, "access-1");
    advance(896 * SECOND).await;
    assert_eq!(token(&session).await, "access-2");
    assert_eq!((auth.0.logins(), auth.0.refreshes()), (2, 0));
}

#[tokio::test(start_paused = true)]
async fn a_transient_failure_keeps_the_unexpired_token_and_the_next_call_retries() {
    let auth = FakeAuth::pear_like();
    let session = session(&auth);
    assert_eq!(token(&session).await, "access-1");
    advance(896 * SECOND).await; // Within the hard margin: the caller waits.
    auth.0.fail_refresh(FakeError::new(FailureKind::Transient));
    assert_eq!(token(&session).await, "access-1");
    assert_eq!(auth.0.refreshes(), 1);
    assert_eq!(token(&session).await, "access-2");
    assert_eq!((auth.0.logins(), auth.0.refreshes()), (1, 2));
}

#[tokio::test(start_paused = true)]
async fn a_transient_failure_after_expiry_is_returned_and_the_next_call_retries() {
    let auth = FakeAuth::pear_like();
    let session = session(&auth);
    assert_eq!(token(&session).await, "access-1");
    advance(901 * SECOND).await;
    auth.0.fail_refresh(FakeError::new(FailureKind::Transient));
    let error = session.access_token().await.unwrap_err();
    assert!(error.is_transient());
    let SessionError::Refresh { source } = &error else {
        panic!("expected a refresh error, got {error:?}");
    };
    assert_eq!(source.kind, FailureKind::Transient);
    assert!(std::error::Error::source(&error).is_some());
    assert_eq!(token(&session).await, "access-2");
}

#[tokio::test(start_paused = true)]
async fn a_permanent_failure_is_returned_even_with_an_unexpired_token() {
    let auth = FakeAuth::pear_like();
    let session = session(&auth);
    auth.0.fail_login(FakeError::new(FailureKind::Permanent));
    let error = session.access_token().await.unwrap_err();
    assert!(
        matches!(&error, SessionError::Login { source } if source.kind == FailureKind::Permanent)
    );
    assert!(!error.is_transient());

    assert_eq!(token(&session).await, "access-1");
    advance(896 * SECOND).await; // Within the hard margin: the caller waits.
    auth.0.fail_refresh(FakeError::new(FailureKind::Permanent));
    let error = session.access_token().await.unwrap_err();
    assert!(matches!(error, SessionError::Refresh { .. }), "{error:?}");
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured() {
    let auth = FakeAuth::pear_like();
    let session = session(&auth);
    assert_eq!(token(&session).await, "access-1");
    advance(901 * SECOND).await;
    auth.0.fail_refresh(FakeError {
        kind: FailureKind::Transient,
        retry_after: Some(10 * SECOND),
    });
    assert!(matches!(
        session.access_token().await,
        Err(SessionError::Refresh { .. })
    ));
    advance(4 * SECOND).await;
    match session.access_token().await {
        Err(SessionError::Backoff { retry_in, .. }) => assert_eq!(retry_in, 6 * SECOND),
        other => panic!("expected a backoff, got {other:?}"),
    }
    assert_eq!(auth.0.refreshes(), 1);
    advance(6 * SECOND).await;
    assert_eq!(token(&session).await, "access-2");
    assert_eq!(auth.0.refreshes(), 2);
}

#[tokio::test(start_paused = true)]
async fn during_a_backoff_the_unexpired_token_is_still_returned() {
    let auth = FakeAuth::pear_like();
    let session = session(&auth);
    assert_eq!(token(&session).await, "access-1");
    advance(896 * SECOND).await; // Within the hard margin: callers wait.
    auth.0.fail_refresh(FakeError {
        kind: FailureKind::Transient,
        retry_after: Some(30 * SECOND),
    });
    assert_eq!(token(&session).await, "access-1");
    assert_eq!(token(&session).await, "access-1");
    assert_eq!(auth.0.refreshes(), 1);
}

#[tokio::test(start_paused = true)]
async fn an_earlier_jwt_exp_wins_over_expires_in() {
    let auth = FakeAuth::pear_like(); // expiresIn: 900 s
    auth.0
        .access_override
        .lock()
        .unwrap()
        .push_back(jwt_with_exp(WALL_START + 300));
    let session = session(&auth);
    let first = token(&session).await;
    assert!(first.starts_with("eyJ"));
    advance(239 * SECOND).await;
    assert_eq!(token(&session).await, first);
    settle().await;
    assert_eq!(auth.0.refreshes(), 0);
    advance(2 * SECOND).await;
    assert_eq!(token(&session).await, first); // Renewed in the background.
    settle().await;
    assert_eq!(token(&session).await, "access-2");
}

#[tokio::test(start_paused = true)]
async fn a_later_jwt_exp_leaves_expires_in_in_charge() {
    let auth = FakeAuth::pear_like();
    auth.0
        .access_override
        .lock()
        .unwrap()
        .push_back(jwt_with_exp(WALL_START + 5000));
    let session = session(&auth);
    let first = token(&session).await;
    advance(839 * SECOND).await;
    assert_eq!(token(&session).await, first);
    settle().await;
    assert_eq!(auth.0.refreshes(), 0);
    advance(2 * SECOND).await;
    assert_eq!(token(&session).await, first); // Renewed in the background.
    settle().await;
    assert_eq!(token(&session).await, "access-2");
}

#[tokio::test(start_paused = true)]
async fn a_token_already_expired_on_arrival_is_refused() {
    let auth = FakeAuth::pear_like();
    auth.0
        .access_override
        .lock()
        .unwrap()
        .push_back(jwt_with_exp(WALL_START - 10));
    let session = session(&auth);
    let error = session.access_token().await.unwrap_err();
    assert!(matches!(error, SessionError::ExpiredOnArrival), "{error:?}");
    assert!(error.to_string().contains("clock"));
}

#[tokio::test(start_paused = true)]
async fn short_lived_tokens_get_half_their_lifetime() {
    let auth = FakeAuth::new(30 * SECOND, true); // Shorter than the 60 s buffer.
    let session = session(&auth);
    assert_eq!(token(&session).await, "access-1");
    advance(14 * SECOND).await;
    assert_eq!(token(&session).await, "access-1");
    settle().await;
    assert_eq!(auth.0.refreshes(), 0);
    advance(2 * SECOND).await;
    assert_eq!(token(&session).await, "access-1"); // Renewed in the background.
    settle().await;
    assert_eq!(token(&session).await, "access-2");
}

#[tokio::test(start_paused = true)]
async fn waiting_callers_time_out() {
    let auth = FakeAuth::pear_like();
    *auth.0.hang_login.lock().unwrap() = true;
    let session = Session::builder(auth.clone())
        .wait_timeout(5 * SECOND)
        .build();
    let started = Instant::now();
    let error = session.access_token().await.unwrap_err();
    assert!(
        matches!(error, SessionError::Timeout { after } if after == 5 * SECOND),
        "{error:?}"
    );
    assert_eq!(started.elapsed(), 5 * SECOND);
    // The hung login is still the one flight: a second caller joins it.
    assert!(session.access_token().await.is_err());
    assert_eq!(auth.0.logins(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_timeout_within_the_buffer_returns_the_unexpired_token() {
    let auth = FakeAuth::new(900 * SECOND, false);
    let session = Session::builder(auth.clone())
        .refresh_jitter(Duration::ZERO)
        .wait_timeout(5 * SECOND)
        .build();
    assert_eq!(token(&session).await, "access-1");
    *auth.0.hang_login.lock().unwrap() = true;
    advance(841 * SECOND).await;
    assert_eq!(token(&session).await, "access-1");
}

#[tokio::test(start_paused = true)]
async fn logout_revokes_on_the_server_and_forgets() {
    let auth = FakeAuth::pear_like();
    let store = Arc::new(MemoryStore::new());
    let session = Session::builder(auth.clone())
        .token_store(Arc::clone(&store))
        .build();
    assert_eq!(token(&session).await, "access-1");
    assert!(store.load().await.unwrap().is_some());
    session.logout().await.unwrap();
    assert_eq!(
        *auth.0.logged_out.lock().unwrap(),
        [("access-1".to_owned(), Some("refresh-1".to_owned()))]
    );
    assert!(store.load().await.unwrap().is_none());
    assert_eq!(token(&session).await, "access-2");
    assert_eq!(auth.0.logins(), 2);
}

#[tokio::test(start_paused = true)]
async fn logout_clears_local_state_even_when_the_server_fails() {
    let auth = FakeAuth::pear_like();
    let store = Arc::new(MemoryStore::new());
    let session = Session::builder(auth.clone())
        .token_store(Arc::clone(&store))
        .build();
    assert_eq!(token(&session).await, "access-1");
    auth.0.fail_logout(FakeError::new(FailureKind::Transient));
    let error = session.logout().await.unwrap_err();
    assert!(matches!(error, SessionError::Logout { .. }), "{error:?}");
    assert!(error.to_string().contains("cleared"));
    assert!(store.load().await.unwrap().is_none());
    assert!(!format!("{session:?}").contains("token_valid_for: Some"));
    assert_eq!(token(&session).await, "access-2");
}

#[tokio::test(start_paused = true)]
async fn logout_without_tokens_does_not_call_the_server() {
    let auth = FakeAuth::pear_like();
    let session = session(&auth);
    session.logout().await.unwrap();
    assert_eq!(auth.0.logouts(), 0);
}

#[tokio::test(start_paused = true)]
async fn logout_waits_for_a_refresh_in_progress() {
    let auth = FakeAuth::pear_like();
    *auth.0.latency.lock().unwrap() = SECOND;
    let session = session(&auth);
    assert_eq!(token(&session).await, "access-1");
    advance(901 * SECOND).await;
    let refreshing = tokio::spawn({
        let session = session.clone();
        async move { token(&session).await }
    });
    tokio::task::yield_now().await; // The refresh is now under way.
    assert_eq!(auth.0.refreshes(), 1);
    session.logout().await.unwrap();
    assert_eq!(refreshing.await.unwrap(), "access-2");
    // Logout revoked the refreshed tokens, not the spent ones.
    assert_eq!(
        *auth.0.logged_out.lock().unwrap(),
        [("access-2".to_owned(), Some("refresh-2".to_owned()))]
    );
}

#[tokio::test(start_paused = true)]
async fn session_is_send_sync_clone_and_never_prints_tokens() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Session<FakeAuth>>();
    assert_send_sync::<SessionError<FakeError>>();
    assert_send_sync::<StoreError>();

    let auth = FakeAuth::pear_like();
    let session = session(&auth);
    let copy = session.clone();
    assert_eq!(token(&copy).await, "access-1");
    assert_eq!(token(&session).await, "access-1");
    assert_eq!(auth.0.logins(), 1);

    let debug = format!("{session:?}");
    assert!(debug.contains("token_valid_for: Some"), "{debug}");
    assert!(
        !debug.contains("access-1") && !debug.contains("refresh-1"),
        "{debug}"
    );
}

#[test]
fn errors_chain_to_the_authenticator_error() {
    let error: SessionError<FakeError> = SessionError::Login {
        source: Arc::new(FakeError::new(FailureKind::Permanent)),
    };
    assert_eq!(error.to_string(), "login failed: fake failure (Permanent)");
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(error.clone());
    assert!(boxed.source().unwrap().to_string().contains("Permanent"));
}

#[tokio::test(start_paused = true)]
async fn an_invalidated_token_is_refreshed_on_next_use() {
    let auth = FakeAuth::pear_like();
    let session = session(&auth);
    let first = session.access_token().await.unwrap();
    assert_eq!(first.expose_secret(), "access-1");
    advance(10 * SECOND).await; // Far from the refresh deadline.
    assert!(session.invalidate(&first));
    assert_eq!(token(&session).await, "access-2");
    assert_eq!((auth.0.logins(), auth.0.refreshes()), (1, 1));
    assert_eq!(*auth.0.presented.lock().unwrap(), ["refresh-1"]);
    // The new token lives its full life again.
    advance(839 * SECOND).await;
    assert_eq!(token(&session).await, "access-2");
    assert_eq!(auth.0.refreshes(), 1);
}

#[tokio::test(start_paused = true)]
async fn many_reports_of_one_refused_token_cause_one_renewal() {
    let auth = FakeAuth::pear_like();
    *auth.0.latency.lock().unwrap() = SECOND;
    let session = session(&auth);
    let first = session.access_token().await.unwrap();
    let mut callers = tokio::task::JoinSet::new();
    for _ in 0..100 {
        let (session, first) = (session.clone(), first.clone());
        callers.spawn(async move {
            let reported = session.invalidate(&first);
            (reported, token(&session).await)
        });
    }
    let results = callers.join_all().await;
    assert_eq!(results.iter().filter(|(reported, _)| *reported).count(), 1);
    assert!(results.iter().all(|(_, t)| t == "access-2"));
    assert_eq!((auth.0.logins(), auth.0.refreshes()), (1, 1));
    // A late report of the old token changes nothing.
    assert!(!session.invalidate(&first));
    assert_eq!(token(&session).await, "access-2");
    assert_eq!(auth.0.refreshes(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_token_that_is_not_current_is_ignored() {
    let auth = FakeAuth::pear_like();
    let session = session(&auth);
    let stranger = AccessToken::new("access-999".to_owned());
    // Before any login: nothing to invalidate.
    assert!(!session.invalidate(&stranger));
    assert_eq!(token(&session).await, "access-1");
    assert!(!session.invalidate(&stranger));
    assert_eq!(token(&session).await, "access-1");
    assert_eq!((auth.0.logins(), auth.0.refreshes()), (1, 0));
}

#[tokio::test(start_paused = true)]
async fn an_invalidated_token_is_not_handed_out_when_the_refresh_fails_transiently() {
    let auth = FakeAuth::pear_like();
    let session = session(&auth);
    let first = session.access_token().await.unwrap();
    assert!(session.invalidate(&first));
    auth.0.fail_refresh(FakeError::new(FailureKind::Transient));
    // Unlike a token merely due for refresh, a refused one is never the fallback.
    let error = session.access_token().await.unwrap_err();
    assert!(error.is_transient(), "{error:?}");
    // A transient failure may not have reached the server: the same token is retried.
    assert_eq!(token(&session).await, "access-2");
    assert_eq!(
        *auth.0.presented.lock().unwrap(),
        ["refresh-1", "refresh-1"]
    );
}

#[tokio::test(start_paused = true)]
async fn a_refused_refresh_after_invalidation_logs_in() {
    let auth = FakeAuth::pear_like();
    let session = session(&auth);
    let first = session.access_token().await.unwrap();
    assert!(session.invalidate(&first));
    auth.0
        .fail_refresh(FakeError::new(FailureKind::RefreshRejected));
    assert_eq!(token(&session).await, "access-2");
    assert_eq!((auth.0.logins(), auth.0.refreshes()), (2, 1));
}

#[tokio::test(start_paused = true)]
async fn logout_still_revokes_an_invalidated_token() {
    let auth = FakeAuth::pear_like();
    let session = session(&auth);
    let first = session.access_token().await.unwrap();
    assert!(session.invalidate(&first));
    session.logout().await.unwrap();
    assert_eq!(
        *auth.0.logged_out.lock().unwrap(),
        [("access-1".to_owned(), Some("refresh-1".to_owned()))]
    );
}

/// Found by the model check (`src/session/model/`): the pair was kept only as a refresh
/// token, so a logout did not tell the server and left that refresh token alive.
#[tokio::test(start_paused = true)]
async fn logout_revokes_a_pair_that_expired_on_arrival() {
    let auth = FakeAuth::new(Duration::ZERO, true);
    let session = session(&auth);
    let error = session.access_token().await.unwrap_err();
    assert!(matches!(error, SessionError::ExpiredOnArrival), "{error:?}");
    session.logout().await.unwrap();
    assert_eq!(
        *auth.0.logged_out.lock().unwrap(),
        [("access-1".to_owned(), Some("refresh-1".to_owned()))]
    );
}

#[tokio::test(start_paused = true)]
async fn no_caller_waits_while_a_slow_refresh_runs_in_the_background() {
    let auth = FakeAuth::pear_like();
    let session = session(&auth);
    assert_eq!(token(&session).await, "access-1");
    *auth.0.latency.lock().unwrap() = 10 * SECOND;
    advance(841 * SECOND).await; // Past the refresh point, 59 s before expiry.

    let mut callers = tokio::task::JoinSet::new();
    for _ in 0..100 {
        let session = session.clone();
        callers.spawn(async move {
            let asked = Instant::now();
            let token = token(&session).await;
            (token, asked.elapsed())
        });
    }
    let answers = callers.join_all().await;
    assert!(
        answers
            .iter()
            .all(|(t, waited)| t == "access-1" && waited.is_zero()),
        "{answers:?}"
    );
    settle().await;
    assert_eq!(
        auth.0.refreshes(),
        1,
        "exactly one refresh, in the background"
    );

    // While it runs (10 s), callers still get the old token at once.
    for _ in 0..9 {
        advance(SECOND).await;
        let asked = Instant::now();
        assert_eq!(token(&session).await, "access-1");
        assert_eq!(asked.elapsed(), Duration::ZERO);
    }
    advance(SECOND).await;
    settle().await;
    assert_eq!(token(&session).await, "access-2");
    assert_eq!((auth.0.logins(), auth.0.refreshes()), (1, 1));
}

#[tokio::test(start_paused = true)]
async fn callers_wait_only_within_the_hard_margin() {
    let auth = FakeAuth::pear_like();
    let session = session(&auth); // Expires at 900 s; hard margin 5 s.
    assert_eq!(token(&session).await, "access-1");
    *auth.0.latency.lock().unwrap() = 2 * SECOND;
    *auth.0.gated.lock().unwrap() = true; // Every refresh hangs until let through.
    advance(894 * SECOND).await;
    let asked = Instant::now();
    assert_eq!(token(&session).await, "access-1");
    assert_eq!(
        asked.elapsed(),
        Duration::ZERO,
        "outside the margin: no wait"
    );
    settle().await;
    assert_eq!(auth.0.refreshes(), 1);

    advance(SECOND).await; // 5 s before expiry: inside the margin.
    let waiting = tokio::spawn({
        let session = session.clone();
        async move {
            let asked = Instant::now();
            (token(&session).await, asked.elapsed())
        }
    });
    settle().await;
    assert!(!waiting.is_finished(), "inside the margin the caller waits");
    auth.0.gate.notify_one();
    let (token, waited) = waiting.await.unwrap();
    assert_eq!(token, "access-2");
    assert_eq!(waited, 2 * SECOND, "for the refresh that was running");
    assert_eq!(auth.0.refreshes(), 1);
}

#[tokio::test(start_paused = true)]
async fn the_hard_margin_is_configurable() {
    let auth = FakeAuth::pear_like();
    let session = Session::builder(auth.clone())
        .refresh_jitter(Duration::ZERO)
        .hard_margin(20 * SECOND)
        .wall_clock(paused_wall_clock())
        .build();
    assert_eq!(token(&session).await, "access-1");
    *auth.0.latency.lock().unwrap() = SECOND;
    advance(881 * SECOND).await; // 19 s before expiry: inside a 20 s margin.
    let asked = Instant::now();
    assert_eq!(token(&session).await, "access-2");
    assert_eq!(asked.elapsed(), SECOND);
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_of_years_waits_at_most_five_minutes() {
    let auth = FakeAuth::pear_like();
    let session = session(&auth);
    assert_eq!(token(&session).await, "access-1");
    advance(901 * SECOND).await;
    auth.0.fail_refresh(FakeError {
        kind: FailureKind::Transient,
        retry_after: Some(10 * 365 * 24 * 3600 * SECOND),
    });
    assert!(session.access_token().await.is_err());
    match session.access_token().await {
        Err(SessionError::Backoff { retry_in, .. }) => assert_eq!(retry_in, 300 * SECOND),
        other => panic!("expected a backoff, got {other:?}"),
    }
    advance(300 * SECOND).await;
    assert_eq!(token(&session).await, "access-2");
    assert_eq!(auth.0.refreshes(), 2);
}

#[tokio::test(start_paused = true)]
async fn the_longest_retry_after_is_configurable() {
    let auth = FakeAuth::pear_like();
    let session = Session::builder(auth.clone())
        .max_retry_after(20 * SECOND)
        .build();
    auth.0.fail_login(FakeError {
        kind: FailureKind::Transient,
        retry_after: Some(3600 * SECOND),
    });
    assert!(session.access_token().await.is_err());
    advance(19 * SECOND).await;
    assert!(matches!(
        session.access_token().await,
        Err(SessionError::Backoff { .. })
    ));
    advance(SECOND).await;
    assert_eq!(token(&session).await, "access-1");
}

#[tokio::test(start_paused = true)]
async fn logout_gives_up_behind_a_hung_login() {
    let auth = FakeAuth::pear_like();
    *auth.0.hang_login.lock().unwrap() = true;
    let session = Session::builder(auth.clone())
        .wait_timeout(5 * SECOND)
        .build();
    let caller = tokio::spawn({
        let session = session.clone();
        async move { session.access_token().await }
    });
    settle().await;
    assert_eq!(auth.0.logins(), 1, "the login hangs");
    let started = Instant::now();
    let logout = tokio::time::timeout(3600 * SECOND, session.logout())
        .await
        .expect("logout must not wait forever behind a hung login");
    assert!(
        matches!(logout, Err(SessionError::LogoutTimeout { after }) if after == 5 * SECOND),
        "{logout:?}"
    );
    assert_eq!(started.elapsed(), 5 * SECOND);
    assert!(logout.unwrap_err().to_string().contains("wait timeout"));
    assert!(caller.await.unwrap().is_err());
    assert_eq!(auth.0.logouts(), 0, "never called during the hung login");
}

#[tokio::test(start_paused = true)]
async fn tokens_obtained_after_a_logout_gave_up_are_revoked_not_used() {
    let auth = FakeAuth::pear_like();
    let store = Arc::new(MemoryStore::new());
    let session = Session::builder(auth.clone())
        .token_store(Arc::clone(&store))
        .wait_timeout(5 * SECOND)
        .build();
    assert_eq!(token(&session).await, "access-1");
    *auth.0.gated.lock().unwrap() = true;
    advance(901 * SECOND).await;
    let caller = tokio::spawn({
        let session = session.clone();
        async move { session.access_token().await }
    });
    settle().await;
    assert_eq!(auth.0.refreshes(), 1, "the refresh hangs");
    let logout = session.logout().await;
    assert!(
        matches!(logout, Err(SessionError::LogoutTimeout { .. })),
        "{logout:?}"
    );
    assert!(store.load().await.unwrap().is_none());
    auth.0.gate.notify_one(); // The refresh answers after all.
    settle().await;
    assert!(caller.await.unwrap().is_err());
    assert_eq!(
        *auth.0.logged_out.lock().unwrap(),
        [("access-2".to_owned(), Some("refresh-2".to_owned()))],
        "the late tokens were revoked"
    );
    assert!(store.load().await.unwrap().is_none(), "and never saved");
    assert!(format!("{session:?}").contains("token_valid_for: None"));
    // The next call logs in afresh.
    *auth.0.gated.lock().unwrap() = false;
    assert_eq!(token(&session).await, "access-3");
    assert_eq!((auth.0.logins(), auth.0.refreshes()), (2, 1));
}

#[tokio::test(start_paused = true)]
async fn a_call_queued_behind_logout_does_not_log_back_in() {
    let auth = FakeAuth::pear_like();
    let session = session(&auth);
    assert_eq!(token(&session).await, "access-1");
    *auth.0.latency.lock().unwrap() = SECOND; // The server takes a second to log out.
    let logout = tokio::spawn({
        let session = session.clone();
        async move { session.logout().await }
    });
    settle().await;
    assert_eq!(auth.0.logouts(), 1, "the logout is under way");
    let queued = tokio::spawn({
        let session = session.clone();
        async move { session.access_token().await }
    });
    logout.await.unwrap().unwrap();
    let queued = queued.await.unwrap();
    assert!(matches!(queued, Err(SessionError::LoggedOut)), "{queued:?}");
    assert!(queued.unwrap_err().to_string().contains("call again"));
    assert_eq!(auth.0.logins(), 1, "no login after the logout");
    // A call made after the logout returned logs in.
    assert_eq!(token(&session).await, "access-2");
}

#[tokio::test(start_paused = true)]
async fn a_zero_lifetime_refresh_still_saves_the_rotated_refresh_token() {
    let auth = FakeAuth::pear_like();
    let store = Arc::new(MemoryStore::new());
    let session = Session::builder(auth.clone())
        .token_store(Arc::clone(&store))
        .build();
    assert_eq!(token(&session).await, "access-1");
    *auth.0.expires_in.lock().unwrap() = Duration::ZERO;
    advance(901 * SECOND).await;
    let error = session.access_token().await.unwrap_err();
    assert!(matches!(error, SessionError::ExpiredOnArrival), "{error:?}");
    let stored = store.load().await.unwrap().unwrap();
    assert_eq!(
        stored.refresh_token.unwrap().expose_secret(),
        "refresh-2",
        "the spent refresh-1 must not stay in the store"
    );
}

#[tokio::test(start_paused = true)]
async fn a_token_expired_on_arrival_pauses_before_the_next_login() {
    let auth = FakeAuth::new(Duration::ZERO, false);
    let session = session(&auth);
    for _ in 0..3 {
        let error = session.access_token().await.unwrap_err();
        assert!(matches!(error, SessionError::ExpiredOnArrival), "{error:?}");
    }
    assert_eq!(auth.0.logins(), 1, "no retry storm");
    advance(29 * SECOND).await;
    assert!(session.access_token().await.is_err());
    assert_eq!(auth.0.logins(), 1);
    advance(SECOND).await;
    *auth.0.expires_in.lock().unwrap() = 900 * SECOND;
    assert_eq!(token(&session).await, "access-2");
}

#[tokio::test(start_paused = true)]
async fn a_refused_refresh_then_a_failed_login_clears_the_spent_refresh_token_from_the_store() {
    let auth = FakeAuth::pear_like();
    let store = Arc::new(MemoryStore::new());
    let session = Session::builder(auth.clone())
        .token_store(Arc::clone(&store))
        .build();
    assert_eq!(token(&session).await, "access-1");
    auth.0
        .fail_refresh(FakeError::new(FailureKind::RefreshRejected));
    auth.0.fail_login(FakeError::new(FailureKind::Permanent));
    advance(901 * SECOND).await;
    assert!(session.access_token().await.is_err());
    // Written out before it was presented (the store has a lease), or cleared after.
    let stored = store.load().await.unwrap();
    assert!(
        stored.is_none_or(|tokens| tokens.refresh_token.is_none()),
        "the spent refresh-1 must not stay in the store"
    );
}

#[tokio::test(start_paused = true)]
async fn after_a_suspend_the_wall_clock_expiry_applies() {
    use std::sync::atomic::{AtomicU64, Ordering};
    let auth = FakeAuth::pear_like();
    // A wall clock that runs on while Tokio's monotonic clock stands still, as during a
    // suspend of the machine.
    let slept = Arc::new(AtomicU64::new(0));
    let clock = {
        let (slept, paused) = (Arc::clone(&slept), paused_wall_clock());
        move || paused() + Duration::from_secs(slept.load(Ordering::SeqCst))
    };
    let session = Session::builder(auth.clone())
        .refresh_jitter(Duration::ZERO)
        .wall_clock(clock)
        .build();
    assert_eq!(token(&session).await, "access-1");
    slept.store(1000, Ordering::SeqCst); // Woke up 1000 s later: access-1 has expired.
    assert_eq!(token(&session).await, "access-2");
    assert_eq!(auth.0.refreshes(), 1);
}

#[tokio::test(start_paused = true)]
async fn refresh_now_renews_a_fresh_token_and_waits_for_it() {
    let auth = FakeAuth::pear_like();
    *auth.0.latency.lock().unwrap() = SECOND;
    let session = session(&auth);
    assert_eq!(token(&session).await, "access-1");
    let asked = Instant::now();
    let renewed = session.refresh_now().await.unwrap();
    assert_eq!(renewed.expose_secret(), "access-2");
    assert_eq!(asked.elapsed(), SECOND);
    assert_eq!(token(&session).await, "access-2");
    assert_eq!((auth.0.logins(), auth.0.refreshes()), (1, 1));
}

#[tokio::test(start_paused = true)]
async fn refresh_now_does_not_settle_for_a_renewal_that_kept_a_fresh_token() {
    let auth = FakeAuth::pear_like();
    *auth.0.latency.lock().unwrap() = SECOND;
    let session = session(&auth);
    assert_eq!(token(&session).await, "access-1");
    advance(841 * SECOND).await;
    assert_eq!(token(&session).await, "access-1"); // Starts a background refresh.
    let renewed = session.refresh_now().await.unwrap();
    assert_eq!(renewed.expose_secret(), "access-3", "a renewal of its own");
    assert_eq!(auth.0.refreshes(), 2);
    auth.0.assert_each_refresh_token_presented_once();
}

#[tokio::test(start_paused = true)]
async fn stats_count_what_the_session_did() {
    let auth = FakeAuth::pear_like();
    let session = session(&auth);
    let stats = session.stats();
    assert_eq!(
        (stats.logins, stats.waits, stats.last_renewal),
        (0, 0, None)
    );

    for _ in 0..100 {
        token(&session).await;
    }
    let stats = session.stats();
    assert_eq!((stats.logins, stats.refreshes, stats.waits), (1, 0, 1));
    let start = SystemTime::UNIX_EPOCH + Duration::from_secs(WALL_START);
    assert_eq!(stats.last_renewal, Some(start));

    advance(841 * SECOND).await;
    assert_eq!(token(&session).await, "access-1"); // In the background: no wait.
    settle().await;
    let stats = session.stats();
    assert_eq!((stats.refreshes, stats.waits), (1, 1));
    assert_eq!(stats.last_renewal, Some(start + 841 * SECOND));

    let current = session.access_token().await.unwrap();
    assert!(session.invalidate(&current));
    assert!(!session.invalidate(&current));
    assert_eq!(token(&session).await, "access-3");
    auth.0
        .fail_refresh(FakeError::new(FailureKind::RefreshRejected));
    session.refresh_now().await.unwrap();
    let stats = session.stats();
    assert_eq!(
        (
            stats.logins,
            stats.refreshes,
            stats.failures,
            stats.waits,
            stats.invalidations
        ),
        (2, 2, 1, 2, 1)
    );
}

#[tokio::test(start_paused = true)]
async fn subscribers_see_each_new_token_and_none_after_logout() {
    use auth_session::TokenSource;
    let auth = FakeAuth::pear_like();
    let session = session(&auth);
    let mut news = session.subscribe();
    assert!(news.borrow().is_none());

    assert_eq!(token(&session).await, "access-1");
    assert!(news.has_changed().unwrap());
    {
        let seen = news.borrow_and_update();
        let seen = seen.as_ref().unwrap();
        assert_eq!(seen.access_token.expose_secret(), "access-1");
        assert_eq!(seen.source, TokenSource::Login);
        assert_eq!(
            seen.expires_at,
            SystemTime::UNIX_EPOCH + Duration::from_secs(WALL_START + 900)
        );
    }
    session.refresh_now().await.unwrap();
    {
        let seen = news.borrow_and_update();
        let seen = seen.as_ref().unwrap();
        assert_eq!(seen.access_token.expose_secret(), "access-2");
        assert_eq!(seen.source, TokenSource::Refresh);
        let debug = format!("{seen:?}");
        assert!(!debug.contains("access-2"), "{debug}");
    }
    session.logout().await.unwrap();
    assert!(news.has_changed().unwrap());
    assert!(news.borrow_and_update().is_none());
}

#[tokio::test(start_paused = true)]
async fn durations_configured_as_large_as_possible_never_overflow() {
    let auth = FakeAuth::pear_like();
    let session = Session::builder(auth.clone())
        .refresh_buffer(Duration::MAX)
        .refresh_jitter(Duration::MAX)
        .hard_margin(Duration::MAX)
        .wait_timeout(Duration::MAX)
        .max_retry_after(Duration::MAX)
        .idle_timeout(Duration::MAX)
        .wall_clock(paused_wall_clock())
        .build();
    // The margin is capped at half the lifetime: the token is handed out, then renewed.
    assert_eq!(token(&session).await, "access-1");
    assert_eq!(token(&session).await, "access-1");
    settle().await;
    advance(901 * SECOND).await;
    assert!(token(&session).await.starts_with("access-"));

    // A server asking to wait "forever", under a cap of `Duration::MAX`: the session
    // still backs off (it does not forget the request) and does not panic.
    auth.0.fail_refresh(FakeError {
        kind: FailureKind::Transient,
        retry_after: Some(Duration::MAX),
    });
    auth.0.fail_login(FakeError {
        kind: FailureKind::Transient,
        retry_after: Some(Duration::MAX),
    });
    advance(901 * SECOND).await;
    assert!(session.access_token().await.is_err());
    let attempts = auth.0.refreshes() + auth.0.logins();
    match session.access_token().await {
        Err(SessionError::Backoff { retry_in, .. }) => {
            assert!(retry_in > 365 * 24 * 3600 * SECOND, "{retry_in:?}");
        }
        other => panic!("expected a backoff, got {other:?}"),
    }
    advance(3600 * SECOND).await;
    assert!(matches!(
        session.access_token().await,
        Err(SessionError::Backoff { .. })
    ));
    assert_eq!(auth.0.refreshes() + auth.0.logins(), attempts);
    session.logout().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_token_valid_for_the_longest_duration_is_used_and_kept() {
    let auth = FakeAuth::new(Duration::MAX, true);
    let session = Session::builder(auth.clone())
        .refresh_jitter(Duration::MAX)
        .wall_clock(paused_wall_clock())
        .build();
    assert_eq!(token(&session).await, "access-1");
    advance(3600 * SECOND).await;
    assert_eq!(token(&session).await, "access-1");
    assert_eq!((auth.0.logins(), auth.0.refreshes()), (1, 0));
}
