//! Who waits: no caller while a valid token exists outside the hard margin, and callers that wait time out.

use super::*;

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
