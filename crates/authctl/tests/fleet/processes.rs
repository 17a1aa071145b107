//! Sixteen processes on one file or one Redis: one login, one refresh per period.

use std::time::Instant;

use auth_test_support::redis::RedisServer;
use serde_json::Value;

use super::{TOKEN_LIFETIME, Worker, report, sandbox, spawn_worker, sum};

/// 16 processes on the store `spec` for 30 s.
async fn sixteen_processes(label: &str, spec: &str) {
    const PROCESSES: usize = 16;
    const SECONDS: u64 = 30;
    let sb = sandbox().await;
    let started = Instant::now();
    let workers: Vec<Worker> = (0..PROCESSES)
        .map(|_| spawn_worker(&sb, spec, SECONDS))
        .collect();
    let reports: Vec<Value> =
        tokio::task::spawn_blocking(move || workers.into_iter().map(report).collect())
            .await
            .unwrap();
    let elapsed = started.elapsed();
    let c = sb.counters();
    let sum = |field: &str| sum(&reports, field);
    println!(
        "fleet ({label}): {PROCESSES} processes, {:.1}s: {} tokens, {} invalid, {} errors; \
         server: {} logins, {} refreshes, {} reuses refused, {} families revoked; \
         sessions: {} adopted",
        elapsed.as_secs_f64(),
        sum("tokens"),
        sum("invalid"),
        sum("errors"),
        c.pear_logins,
        c.pear_refreshes,
        c.refused_reuses,
        c.families_revoked,
        sum("adopted"),
    );
    assert!(reports.iter().all(|r| r["tokens"].as_u64().unwrap() > 0));
    assert_eq!(
        sum("invalid"),
        0,
        "a token the server refused was handed out"
    );
    assert_eq!(sum("errors"), 0);
    assert_eq!(c.pear_logins, 1, "one login for the whole fleet");
    assert_eq!(c.refused_reuses, 0, "a refresh token was presented twice");
    assert_eq!(c.families_revoked, 0);
    // A token is renewed at half its life: one refresh per 3 s period for the fleet (the
    // stored expiry is in whole seconds, so a period can be a second shorter).
    let periods = elapsed.as_secs() / (TOKEN_LIFETIME.as_secs() / 2 - 1) + 1;
    assert!(
        c.pear_refreshes >= SECONDS / TOKEN_LIFETIME.as_secs() && c.pear_refreshes <= periods,
        "{} refreshes in {elapsed:?}: not one per renewal period",
        c.pear_refreshes
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_processes_on_one_file_log_in_once_and_refresh_once_per_period() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fleet.json");
    sixteen_processes("file", path.to_str().unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_processes_on_one_redis_log_in_once_and_refresh_once_per_period() {
    let redis = RedisServer::start();
    sixteen_processes("redis", &redis.url()).await;
}
