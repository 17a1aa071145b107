//! A wallet farm (issue 24): `authctl pump tokens` over a directory of keypairs, and the
//! `farm_worker` example's session pool of Pear wallets, each run by 16 processes at once
//! on one Redis.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_test_support::keys::solana_keypair;
use auth_test_support::redis::RedisServer;

use super::support::{authctl, stderr};
use super::{TOKEN_LIFETIME, Worker, example_binary, report, sum};

const WALLETS: u8 = 50;
const PROCESSES: usize = 16;

/// Writes `count` Solana CLI keypair files into `dir`; returns their addresses.
fn keypair_dir(dir: &Path, count: u8) -> BTreeSet<String> {
    (1..=count)
        .map(|seed| {
            let key = solana_keypair(seed);
            std::fs::write(
                dir.join(format!("wallet-{seed:03}.json")),
                key.to_keypair_json().as_bytes(),
            )
            .unwrap();
            key.pubkey().to_string()
        })
        .collect()
}

/// `address -> token` from one run's standard output, every line checked.
fn tokens(stdout: &[u8]) -> BTreeMap<String, String> {
    let text = std::str::from_utf8(stdout).unwrap();
    text.lines()
        .map(|line| {
            let (address, token) = line.split_once(' ').unwrap();
            assert!(!token.is_empty() && !token.contains(' '), "{line}");
            (address.to_owned(), token.to_owned())
        })
        .collect()
}

fn pump_tokens(sb: &Sandbox, keys: &Path, store: &str) -> std::process::Output {
    authctl(
        &[
            "pump",
            "tokens",
            "--base-url",
            &sb.pump_url(),
            "--keypairs",
            keys.to_str().unwrap(),
            "--store",
            store,
            "--max-in-flight",
            "4",
        ],
        &[],
    )
}

/// The sandbox's limit per egress (every process here leaves from 127.0.0.1): 20 requests
/// in any second, the rest answered 429.
const EGRESS_LIMIT: u32 = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_processes_on_one_redis_log_each_of_fifty_wallets_in_once() {
    let sb = Sandbox::start(
        SandboxConfig::default()
            .with_egress_rate_limit(EGRESS_LIMIT, std::time::Duration::from_secs(1)),
    )
    .await
    .unwrap();
    let redis = RedisServer::start();
    let keys = tempfile::tempdir().unwrap();
    let addresses = keypair_dir(keys.path(), WALLETS);
    let store = redis.url();

    let runs: Vec<_> = (0..PROCESSES)
        .map(|_| {
            let (sb_url, keys, store) = (sb.pump_url(), keys.path().to_owned(), store.clone());
            std::thread::spawn(move || {
                authctl(
                    &[
                        "pump",
                        "tokens",
                        "--base-url",
                        &sb_url,
                        "--keypairs",
                        keys.to_str().unwrap(),
                        "--store",
                        &store,
                        "--max-in-flight",
                        "4",
                        // One pace for the fleet, through the store's Redis.
                        "--rate-limit",
                        &EGRESS_LIMIT.to_string(),
                    ],
                    &[],
                )
            })
        })
        .collect();
    let outputs: Vec<_> = runs.into_iter().map(|run| run.join().unwrap()).collect();

    let mut seen: Option<BTreeMap<String, String>> = None;
    for out in &outputs {
        assert!(out.status.success(), "{}", stderr(out));
        let lines = tokens(&out.stdout);
        // One line per wallet, in the order of the files (wallet-001 first).
        assert_eq!(lines.keys().cloned().collect::<BTreeSet<_>>(), addresses);
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).lines().count(),
            usize::from(WALLETS)
        );
        // Every process printed the same token for a wallet: the one login's.
        match &seen {
            None => seen = Some(lines),
            Some(first) => assert_eq!(first, &lines),
        }
    }
    let counters = sb.counters();
    assert_eq!(
        counters.pump_logins,
        u64::from(WALLETS),
        "one login per wallet"
    );
    assert_eq!(counters.pump_login_refusals, 0);
    // Sixteen processes together never went past the egress's 20 a second.
    assert_eq!(
        (counters.faults_429, counters.rate_limit_429),
        (0, 0),
        "{:?}",
        sb.egress_counts()
    );
    assert_eq!(sb.egress_counts()[0].allowed, u64::from(WALLETS));
    for token in seen.unwrap().values() {
        assert!(
            sb.pump_token_valid_at(token, std::time::SystemTime::now()),
            "a printed token the sandbox does not know"
        );
    }

    // A second round finds every token in Redis: no request at all.
    let again = pump_tokens(&sb, keys.path(), &store);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(sb.counters().pump_logins, u64::from(WALLETS));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_keypair_file_stops_the_farm_before_any_login_and_is_named() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let keys = tempfile::tempdir().unwrap();
    keypair_dir(keys.path(), 3);
    std::fs::write(keys.path().join("wallet-bad.json"), "[1,2,3]").unwrap();
    let store = tempfile::tempdir().unwrap();
    let out = pump_tokens(&sb, keys.path(), store.path().to_str().unwrap());
    assert!(!out.status.success());
    assert!(stderr(&out).contains("wallet-bad.json"), "{}", stderr(&out));
    assert_eq!(sb.counters().pump_logins, 0);

    // An empty directory says what it wanted.
    let empty = tempfile::tempdir().unwrap();
    let out = pump_tokens(&sb, empty.path(), store.path().to_str().unwrap());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no *.json keypair files"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_directory_store_is_shared_with_pump_token() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let keys = tempfile::tempdir().unwrap();
    keypair_dir(keys.path(), 3);
    let store = tempfile::tempdir().unwrap();
    let out = pump_tokens(&sb, keys.path(), store.path().to_str().unwrap());
    assert!(out.status.success(), "{}", stderr(&out));
    let farm = tokens(&out.stdout);
    assert_eq!(sb.counters().pump_logins, 3);

    // `pump token` for one of the wallets, on that wallet's file of the directory, prints
    // the farm's token without a login.
    let address = solana_keypair(2).pubkey().to_string();
    let file = std::fs::read_dir(store.path())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| {
            path.to_string_lossy().contains(&address) && !path.to_string_lossy().ends_with(".lock")
        })
        .unwrap();
    let one = authctl(
        &[
            "pump",
            "token",
            "--base-url",
            &sb.pump_url(),
            "--keypair",
            keys.path().join("wallet-002.json").to_str().unwrap(),
            "--store",
            file.to_str().unwrap(),
        ],
        &[],
    );
    assert!(one.status.success(), "{}", stderr(&one));
    assert_eq!(
        String::from_utf8(one.stdout).unwrap().trim_end(),
        farm[&address]
    );
    assert_eq!(sb.counters().pump_logins, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_pools_on_one_redis_log_each_of_fifty_pear_wallets_in_once_and_never_reuse() {
    const SECONDS: u64 = 15;
    // 6-second tokens, refresh-token family revocation on: a refresh token presented twice
    // would be counted and would kill the wallet's tokens. All sixteen processes leave
    // from 127.0.0.1, which may send 200 requests in any second (the workers would send
    // about 400 a second unpaced): logins, refreshes and the workers' checks share one
    // pace through Redis.
    const FLEET_LIMIT: u32 = 200;
    let sb = Sandbox::start(
        SandboxConfig::default()
            .with_access_token_ttl(TOKEN_LIFETIME)
            .with_revoke_family_on_reuse(true)
            .with_egress_rate_limit(FLEET_LIMIT, std::time::Duration::from_secs(1)),
    )
    .await
    .unwrap();
    let redis = RedisServer::start();
    let workers: Vec<Worker> = (0..PROCESSES)
        .map(|_| {
            Worker(Some(
                std::process::Command::new(example_binary("farm_worker"))
                    .env("FARM_PEAR_URL", sb.pear_url())
                    .env("FARM_REDIS", redis.url())
                    .env("FARM_WALLETS", WALLETS.to_string())
                    .env("FARM_SECONDS", SECONDS.to_string())
                    .env("FARM_RATE", FLEET_LIMIT.to_string())
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::inherit())
                    .spawn()
                    .unwrap(),
            ))
        })
        .collect();
    let reports: Vec<serde_json::Value> =
        tokio::task::spawn_blocking(move || workers.into_iter().map(report).collect())
            .await
            .unwrap();
    let c = sb.counters();
    let sum = |field: &str| sum(&reports, field);
    println!(
        "farm: {PROCESSES} processes x {WALLETS} Pear wallets, {SECONDS}s: {} tokens, {} invalid, \
         {} errors; server: {} logins, {} refreshes, {} reuses refused, {} families revoked, \
         {} answers 429, {:?}",
        sum("tokens"),
        sum("invalid"),
        sum("errors"),
        c.pear_logins,
        c.pear_refreshes,
        c.refused_reuses,
        c.families_revoked,
        c.faults_429,
        sb.egress_counts(),
    );
    assert_eq!(sum("errors"), 0);
    assert_eq!(
        sum("invalid"),
        0,
        "a token the server refused was handed out"
    );
    assert_eq!(
        c.pear_logins,
        u64::from(WALLETS),
        "one login per wallet for the fleet"
    );
    assert_eq!(c.refused_reuses, 0, "a refresh token was presented twice");
    assert_eq!(c.families_revoked, 0);
    assert_eq!((c.faults_429, c.rate_limit_429), (0, 0));
    // Each wallet's token lived through at least one renewal (at half its 6-s life).
    assert!(
        c.pear_refreshes >= u64::from(WALLETS),
        "{} refreshes: the tokens were not renewed during the run ({TOKEN_LIFETIME:?} tokens)",
        c.pear_refreshes
    );
}
