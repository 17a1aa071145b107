//! Failed logins and refreshes: transient and permanent failures, `Retry-After` and its cap, tokens expired on arrival, and what the store keeps after a failure.

use super::*;

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
