//! Tokens the server refused early (`Session::invalidate` after a 401).

use super::*;

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
