//! Logout: revoking on the server, forgetting locally, and a logout racing a login or refresh.

use super::*;

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
