//! Expiry: the JWT `exp` against `expiresIn`, short lifetimes, the wall clock after a suspend, and the largest durations.

use super::*;

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
