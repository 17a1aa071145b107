//! The soak: killed Redis connections and slow renewals.

use std::time::{Duration, Instant};

use auth_sandbox::{Faults, Sandbox, SandboxConfig};
use auth_test_support::redis::RedisServer;
use serde_json::Value;

use super::{Worker, report, spawn_worker, sum};

/// The soak of issue 21: 8 processes on one Redis for 40 s with 15-second tokens, while
/// every client connection is killed (`CLIENT KILL TYPE normal`) every 1.5 s and, for a
/// while, each login and refresh takes 12 s (longer than a lease lasts unless kept
/// alive). No refresh token is presented twice, and every token handed out is accepted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fleet_on_redis_with_killed_connections_and_slow_renewals_never_reuses_a_token() {
    const PROCESSES: usize = 8;
    const SECONDS: u64 = 40;
    let redis = std::sync::Arc::new(RedisServer::start());
    let sb = Sandbox::start(
        SandboxConfig::default()
            .with_access_token_ttl(Duration::from_secs(15))
            .with_revoke_family_on_reuse(true),
    )
    .await
    .unwrap();
    let workers: Vec<Worker> = (0..PROCESSES)
        .map(|_| spawn_worker(&sb, &redis.url(), SECONDS))
        .collect();
    let started = Instant::now();
    // Connections killed every 1.5 s for the whole run (bounded: the run's length).
    let killer = std::thread::spawn({
        let redis = std::sync::Arc::clone(&redis);
        move || {
            let mut kills = 0u32;
            while started.elapsed() < Duration::from_secs(SECONDS) {
                std::thread::sleep(Duration::from_millis(1500));
                redis.command(&[b"CLIENT", b"KILL", b"TYPE", b"normal"]);
                kills += 1;
            }
            kills
        }
    });
    // From 5 s to 25 s, every renewal takes 12 s: the renewal due at half the first
    // token's life (7.5 s) holds the lease past the old fixed lease time (10 s).
    tokio::time::sleep(Duration::from_secs(5)).await;
    sb.set_faults(Faults::none().with_renewal_delay(Duration::from_secs(12)));
    tokio::time::sleep(Duration::from_secs(20)).await;
    sb.set_faults(Faults::none());
    let reports: Vec<Value> =
        tokio::task::spawn_blocking(move || workers.into_iter().map(report).collect())
            .await
            .unwrap();
    let kills = killer.join().unwrap();
    let c = sb.counters();
    let sum = |field: &str| sum(&reports, field);
    println!(
        "soak: {PROCESSES} processes, {:.1}s, {kills} connection kills: {} tokens, {} invalid, \
         {} errors; server: {} logins, {} refreshes, {} reuses refused, {} families revoked",
        started.elapsed().as_secs_f64(),
        sum("tokens"),
        sum("invalid"),
        sum("errors"),
        c.pear_logins,
        c.pear_refreshes,
        c.refused_reuses,
        c.families_revoked,
    );
    assert!(kills >= 20, "{kills}");
    assert!(reports.iter().all(|r| r["tokens"].as_u64().unwrap() > 0));
    assert_eq!(c.refused_reuses, 0, "a refresh token was presented twice");
    assert_eq!(c.families_revoked, 0);
    assert_eq!(
        sum("invalid"),
        0,
        "a token the server refused was handed out"
    );
    assert!(c.pear_refreshes >= 1, "{c:?}");
}
