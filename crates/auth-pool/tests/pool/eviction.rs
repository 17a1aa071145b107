//! Idle sessions are logged out and dropped; a session in use is kept.

use std::sync::Arc;
use std::time::Duration;

use auth_sandbox::{Sandbox, SandboxConfig};

use crate::support::{Gauge, eventually, pool};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sweep_logs_idle_sessions_out_and_a_wallet_used_again_logs_in_again() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let gauge = Arc::new(Gauge::default());
    let pool = pool(&sb, &gauge)
        .idle_timeout(Some(Duration::from_millis(200)))
        .sweep_interval(Duration::from_millis(50))
        .build();
    for seed in 1..=20u8 {
        pool.access_token(&seed).await.unwrap();
    }
    assert_eq!(sb.counters().pump_logins, 20);
    assert!(
        eventually(|| pool.stats().evicted == 20).await,
        "{:?}",
        pool.stats()
    );
    assert_eq!(sb.counters().pump_logouts, 20);
    assert_eq!(gauge.logouts.load(std::sync::atomic::Ordering::SeqCst), 20);
    let stats = pool.stats();
    assert_eq!((stats.sessions, stats.failed_logouts), (0, 0));
    assert!(pool.is_empty());
    // Back in use: a new session, a new login.
    pool.access_token(&1).await.unwrap();
    assert_eq!(sb.counters().pump_logins, 21);
    assert_eq!(pool.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_sessions_idle_for_the_idle_time_are_evicted() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let gauge = Arc::new(Gauge::default());
    let pool = pool(&sb, &gauge)
        .idle_timeout(Some(Duration::from_millis(1500)))
        .sweep_interval(Duration::from_secs(3600))
        .build();
    for seed in 1..=3u8 {
        pool.access_token(&seed).await.unwrap();
    }
    // Nothing is idle yet.
    assert_eq!(pool.evict_idle().await, 0);
    tokio::time::sleep(Duration::from_millis(1600)).await;
    pool.access_token(&2).await.unwrap();
    assert_eq!(pool.evict_idle().await, 2);
    assert!(pool.contains(&2) && !pool.contains(&1) && !pool.contains(&3));
    assert_eq!(sb.counters().pump_logouts, 2);
    assert_eq!(sb.counters().pump_logins, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evicted_sessions_may_be_dropped_without_logout_and_logout_all_ends_the_rest() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let gauge = Arc::new(Gauge::default());
    let pool = pool(&sb, &gauge)
        .idle_timeout(Some(Duration::ZERO))
        .sweep_interval(Duration::from_secs(3600))
        .logout_on_evict(false)
        .build();
    for seed in 1..=5u8 {
        pool.access_token(&seed).await.unwrap();
    }
    assert_eq!(pool.evict_idle().await, 5);
    assert_eq!(sb.counters().pump_logouts, 0);
    assert_eq!(pool.stats().evicted, 5);
    for seed in 1..=3u8 {
        pool.access_token(&seed).await.unwrap();
    }
    assert_eq!(pool.logout_all().await, 3);
    assert_eq!(sb.counters().pump_logouts, 3);
    assert!(pool.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_pool_stops_its_sweep_and_logs_nothing_out() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let gauge = Arc::new(Gauge::default());
    let pool = pool(&sb, &gauge)
        .idle_timeout(Some(Duration::from_millis(1)))
        .sweep_interval(Duration::from_millis(10))
        .build();
    let session = pool.session(&1).await.unwrap();
    // The sweep holds the pool weakly: dropping the last handle ends it, and with it
    // the pool's sessions (a sweep still running would log this one out, idle at once).
    drop(pool);
    let token = session.access_token().await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(session.access_token().await.unwrap(), token);
    assert_eq!(sb.counters().pump_logouts, 0);
    assert_eq!(sb.counters().pump_logins, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_sweep_evicts_nothing() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let gauge = Arc::new(Gauge::default());
    let pool = pool(&sb, &gauge)
        .idle_timeout(Some(Duration::from_millis(1)))
        .sweep_interval(Duration::from_millis(10))
        .build();
    pool.stop_sweep();
    pool.access_token(&1).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(pool.len(), 1);
    assert_eq!(sb.counters().pump_logouts, 0);
    // Called by hand, it still evicts.
    assert_eq!(pool.evict_idle().await, 1);
    assert_eq!(sb.counters().pump_logouts, 1);
}
