//! A process killed with SIGKILL mid-refresh, on a file and on Redis.

use std::time::{Duration, Instant};

use auth_sandbox::Faults;
use auth_session::{FileStore, RedisStore, TokenStore};
use auth_test_support::redis::RedisServer;

use super::{report, sandbox, spawn_worker};

/// A worker holding the lease of the store `spec` (read through `store`) is killed
/// mid-refresh; the next process logs in once and presents nothing twice.
async fn killed_mid_refresh(spec: &str, store: &dyn TokenStore) {
    let sb = sandbox().await;
    let mut doomed = spawn_worker(&sb, spec, 120);
    // Logged in and saved.
    let deadline = Instant::now() + Duration::from_secs(30);
    while !matches!(store.load_entry().await, Ok(Some(ref e)) if e.tokens.refresh_token.is_some()) {
        assert!(Instant::now() < deadline, "the worker never logged in");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The server now holds every answer: the next refresh hangs with the lease held.
    sb.set_faults(Faults::none().with_delay(Duration::from_secs(60)));
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        assert!(
            Instant::now() < deadline,
            "the worker never started its refresh"
        );
        let entry = store.load_entry().await.unwrap().unwrap();
        let locked = store
            .lease(Duration::from_millis(10), Duration::from_secs(60))
            .await
            .is_err();
        if entry.tokens.refresh_token.is_none() && locked {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let child = doomed.0.as_mut().unwrap();
    child.kill().unwrap(); // SIGKILL: no destructor, no unlock, no save
    child.wait().unwrap();
    sb.set_faults(Faults::none());
    let before = sb.counters();
    // The next process gets the lease the dead one held (at once for a file lock, once its
    // time is up for Redis), finds no refresh token it could present, and logs in once.
    let survivor = report(spawn_worker(&sb, spec, 3));
    let c = sb.counters();
    assert_eq!(survivor["invalid"], 0);
    assert_eq!(survivor["errors"], 0);
    assert_eq!(c.pear_logins - before.pear_logins, 1, "{c:?}");
    assert_eq!(c.refused_reuses, 0, "a refresh token was presented twice");
    assert_eq!(c.families_revoked, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_killed_mid_refresh_costs_one_login_and_no_reuse() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fleet.json");
    killed_mid_refresh(path.to_str().unwrap(), &FileStore::new(&path)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_killed_mid_refresh_on_redis_costs_one_login_and_no_reuse() {
    let redis = RedisServer::start();
    let store = RedisStore::new(&redis.url(), "fleet:pear").unwrap();
    killed_mid_refresh(&redis.url(), &store).await;
}
