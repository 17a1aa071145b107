//! A fleet behind one wallet (issue 16): many processes, one token file, one sandbox
//! with 6-second tokens and refresh-token family revocation on. Real processes, real file
//! locks, real HTTP over loopback; a process killed with SIGKILL mid-refresh.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod support;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use auth_sandbox::{Faults, Sandbox, SandboxConfig};
use auth_session::{FileStore, RedisStore, TokenStore};
use auth_test_support::redis::RedisServer;
use serde_json::Value;
use support::{authctl, stderr};

const KEY: &str = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
const TOKEN_LIFETIME: Duration = Duration::from_secs(6);

/// The `fleet_worker` example, built if this test was run on its own.
fn worker_binary() -> PathBuf {
    let deps = std::env::current_exe().unwrap();
    let dir = deps.parent().unwrap().parent().unwrap();
    let path = dir
        .join("examples")
        .join(format!("fleet_worker{}", std::env::consts::EXE_SUFFIX));
    if !path.exists() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let status = Command::new(cargo)
            .args(["build", "-p", "authctl", "--example", "fleet_worker"])
            .status()
            .unwrap();
        assert!(status.success(), "building the fleet_worker example failed");
    }
    path
}

/// A worker process, killed when dropped.
struct Worker(Option<Child>);

impl Drop for Worker {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn spawn_worker(sb: &Sandbox, store: &str, seconds: u64) -> Worker {
    Worker(Some(
        Command::new(worker_binary())
            .env("FLEET_PEAR_URL", sb.pear_url())
            .env("FLEET_STORE", store)
            .env("FLEET_SECONDS", seconds.to_string())
            .env("FLEET_KEY", KEY)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap(),
    ))
}

/// The sum of `field` over the workers' reports.
fn sum(reports: &[Value], field: &str) -> u64 {
    reports.iter().map(|r| r[field].as_u64().unwrap()).sum()
}

/// Waits for a worker to finish (it stops by itself) and reads its report.
fn report(mut worker: Worker) -> Value {
    let out = worker.0.take().unwrap().wait_with_output().unwrap();
    assert!(out.status.success(), "a worker failed: {:?}", out.status);
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn sandbox() -> Sandbox {
    Sandbox::start(
        SandboxConfig::default()
            .with_access_token_ttl(TOKEN_LIFETIME)
            .with_revoke_family_on_reuse(true),
    )
    .await
    .unwrap()
}

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authctl_token_prints_a_stored_token_without_the_network_and_renews_once() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("tokens.json");
    let store = store.to_str().unwrap();
    let base = sb.pear_url();
    let token = |env: &[(&str, &str)]| {
        let mut vars = vec![("PK", KEY)];
        vars.extend_from_slice(env);
        authctl(
            &[
                "pear",
                "token",
                "--base-url",
                &base,
                "--private-key-env",
                "PK",
                "--store",
                store,
            ],
            &vars,
        )
    };
    let first = token(&[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let first = String::from_utf8(first.stdout).unwrap();
    assert_eq!(first.lines().count(), 1);
    let first = first.trim_end();
    assert!(sb.pear_access_token_valid_at(first, SystemTime::now()));
    // Stored and still good: printed again, no request at all.
    let before = sb.counters();
    let again = token(&[]);
    assert_eq!(String::from_utf8(again.stdout).unwrap().trim_end(), first);
    let after = sb.counters();
    assert_eq!(after.pear_messages, before.pear_messages);
    assert_eq!(after.pear_logins, before.pear_logins);
    assert_eq!(after.pear_refreshes, before.pear_refreshes);
    // Once due (past half the lifetime), four processes at once renew it once.
    tokio::time::sleep(TOKEN_LIFETIME / 2 + Duration::from_millis(500)).await;
    let outs: Vec<_> = (0..4)
        .map(|_| {
            let base = base.clone();
            let store = store.to_owned();
            std::thread::spawn(move || {
                authctl(
                    &[
                        "pear",
                        "token",
                        "--base-url",
                        &base,
                        "--private-key-env",
                        "PK",
                        "--store",
                        &store,
                    ],
                    &[("PK", KEY)],
                )
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    for out in &outs {
        assert!(out.status.success(), "{}", stderr(out));
        let printed = String::from_utf8(out.stdout.clone()).unwrap();
        assert!(sb.pear_access_token_valid_at(printed.trim_end(), SystemTime::now()));
    }
    let c = sb.counters();
    assert_eq!(c.pear_refreshes, 1, "{c:?}");
    assert_eq!(c.pear_logins, 1);
    assert_eq!(c.refused_reuses, 0);
    // The file is private.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(store).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pump_token_uses_the_default_store_under_the_state_directory() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let state = tempfile::tempdir().unwrap();
    let keypair = auth_signing::solana::SolanaKeypair::from_seed_bytes([0x44; 32]);
    let secret = keypair.to_keypair_json().as_str().to_owned();
    let run = || {
        authctl(
            &[
                "pump",
                "token",
                "--base-url",
                &sb.pump_url(),
                "--keypair-env",
                "KP",
            ],
            &[
                ("KP", &secret),
                ("XDG_STATE_HOME", state.path().to_str().unwrap()),
            ],
        )
    };
    let first = run();
    assert!(first.status.success(), "{}", stderr(&first));
    let second = run();
    assert_eq!(first.stdout, second.stdout);
    assert_eq!(sb.counters().pump_logins, 1);
    let files: Vec<_> = std::fs::read_dir(state.path().join("authctl"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let wallet = keypair.pubkey().to_string();
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("pump.fun_127.0.0.1_") && f.contains(&wallet)),
        "{files:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authctl_token_shares_a_redis_store_with_its_password_from_a_variable() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let password = "p@ss w0rd:/x";
    let redis = RedisServer::start_with_password(password);
    let url = format!("redis://127.0.0.1:{}/0", redis.port());
    let base = sb.pear_url();
    let run = |store: &str, env: &[(&str, &str)]| {
        let mut vars = vec![("PK", KEY)];
        vars.extend_from_slice(env);
        let mut args = vec![
            "pear",
            "token",
            "--base-url",
            &base,
            "--private-key-env",
            "PK",
            "--store",
            store,
        ];
        if env.iter().any(|(k, _)| *k == "REDIS_PASSWORD") {
            args.extend(["--store-password-env", "REDIS_PASSWORD"]);
        }
        authctl(&args, &vars)
    };
    let first = run(&url, &[("REDIS_PASSWORD", password)]);
    assert!(first.status.success(), "{}", stderr(&first));
    let second = run(&url, &[("REDIS_PASSWORD", password)]);
    assert_eq!(first.stdout, second.stdout);
    assert_eq!(sb.counters().pear_logins, 1);
    // A wrong password is a clear failure that does not show it.
    let wrong = run(&url, &[("REDIS_PASSWORD", "not-the-password")]);
    let err = stderr(&wrong);
    assert!(!wrong.status.success());
    assert!(!err.contains("not-the-password"), "{err}");
    // A password in the URL (visible in the process list) is refused without echoing it.
    let inline = format!("redis://:hunter22@127.0.0.1:{}/0", redis.port());
    let out = run(&inline, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains("hunter22"), "{}", stderr(&out));
}

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
