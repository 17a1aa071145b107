//! Idle logout, on Tokio's paused clock.

use std::time::Duration;

use auth_session::Session;

use super::support::{FakeAuth, settle, token};

const SECOND: Duration = Duration::from_secs(1);
const IDLE: Duration = Duration::from_secs(600);

/// One-hour tokens, idle logout after ten minutes.
fn session(auth: &FakeAuth) -> Session<FakeAuth> {
    Session::builder(auth.clone()).idle_timeout(IDLE).build()
}

fn alive_tasks() -> usize {
    tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks()
}

#[tokio::test(start_paused = true)]
async fn an_idle_session_logs_out_and_forgets_its_tokens() {
    let auth = FakeAuth::new(3600 * SECOND, true);
    let session = session(&auth);
    assert_eq!(token(&session).await, "access-1");

    tokio::time::sleep(IDLE - SECOND).await;
    assert_eq!(auth.0.logouts(), 0);
    // Use is recorded in steps of at most a second, so the logout comes within a second.
    tokio::time::sleep(3 * SECOND).await;
    assert_eq!(auth.0.logouts(), 1);
    assert_eq!(
        *auth.0.logged_out.lock().unwrap(),
        [("access-1".to_owned(), Some("refresh-1".to_owned()))]
    );
    assert!(format!("{session:?}").contains("token_valid_for: None"));

    // The next call logs in again (no refresh with the revoked token).
    assert_eq!(token(&session).await, "access-2");
    assert_eq!((auth.0.logins(), auth.0.refreshes()), (2, 0));
}

#[tokio::test(start_paused = true)]
async fn use_postpones_the_idle_logout() {
    let auth = FakeAuth::new(3600 * SECOND, true);
    let session = session(&auth);
    for _ in 0..10 {
        assert_eq!(token(&session).await, "access-1");
        tokio::time::sleep(300 * SECOND).await;
    }
    assert_eq!(auth.0.logouts(), 0);
    tokio::time::sleep(IDLE).await;
    assert_eq!(auth.0.logouts(), 1);
}

#[tokio::test(start_paused = true)]
async fn the_watcher_ends_when_the_session_is_dropped() {
    let auth = FakeAuth::new(3600 * SECOND, true);
    let session = session(&auth);
    assert_eq!(token(&session).await, "access-1");
    settle().await;
    assert_eq!(alive_tasks(), 1, "the idle watcher runs");

    drop(session);
    settle().await;
    assert_eq!(alive_tasks(), 0);
    tokio::time::sleep(2 * IDLE).await;
    assert_eq!(auth.0.logouts(), 0);
}

#[tokio::test(start_paused = true)]
async fn refreshes_keep_a_single_watcher() {
    let auth = FakeAuth::new(3600 * SECOND, true);
    let session = session(&auth);
    // Five hours of use every five minutes: several refreshes, never idle.
    for _ in 0..60 {
        token(&session).await;
        tokio::time::sleep(300 * SECOND).await;
    }
    settle().await;
    assert_eq!(alive_tasks(), 1);
    assert_eq!((auth.0.logins(), auth.0.refreshes()), (1, 4)); // At 3600, 7200, 10800, 14400 s.
    assert_eq!(auth.0.logouts(), 0);
}

#[tokio::test(start_paused = true)]
async fn without_idle_timeout_no_task_lingers() {
    let auth = FakeAuth::new(3600 * SECOND, true);
    let session = Session::new(auth.clone());
    token(&session).await;
    settle().await;
    assert_eq!(alive_tasks(), 0);
}
