//! The session's surface: `Send + Sync`, redacted `Debug`, the error chain, `refresh_now`, stats and subscriptions.

use super::*;

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
