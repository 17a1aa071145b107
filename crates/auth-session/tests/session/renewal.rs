//! Renewal: the cache, refresh within the buffer, rotation, single flight across a thousand callers, login when refresh is impossible.

use super::*;

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
