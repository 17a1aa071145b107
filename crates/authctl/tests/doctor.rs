//! `authctl doctor` against the sandbox: an unchanged sandbox passes every check (with a
//! key, a full login round in each format too); each drift the sandbox can inject is named
//! by its check, and the command exits 1.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;

use auth_sandbox::{Drift, Sandbox, SandboxConfig};
use auth_test_support::keys::solana_keypair;
use serde_json::Value;

use support::{authctl, stderr};

const KEY: &str = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

/// `check -> ok` of one run with `--json`, and its exit code.
fn doctor(args: &[&str], env: &[(&str, &str)]) -> (BTreeMap<String, bool>, Option<i32>) {
    let mut all = vec!["doctor"];
    all.extend_from_slice(args);
    all.push("--json");
    let out = authctl(&all, env);
    let rows: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    let rows = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["check"].as_str().unwrap().to_owned(),
                row["ok"].as_bool().unwrap(),
            )
        })
        .collect();
    (rows, out.status.code())
}

async fn sandbox(drift: Option<Drift>) -> Sandbox {
    let mut config = SandboxConfig::default();
    if let Some(drift) = drift {
        config = config.with_drift(drift);
    }
    Sandbox::start(config).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unchanged_sandbox_passes_every_check_with_and_without_a_key() {
    let sb = sandbox(None).await;
    let (rows, code) = doctor(&["pear", "--base-url", &sb.pear_url()], &[]);
    assert_eq!(code, Some(0), "{rows:?}");
    assert!(rows.len() >= 10 && rows.values().all(|ok| *ok), "{rows:?}");
    let (rows, code) = doctor(
        &[
            "pear",
            "--base-url",
            &sb.pear_url(),
            "--private-key-env",
            "PK",
        ],
        &[("PK", KEY)],
    );
    assert_eq!(code, Some(0), "{rows:?}");
    assert_eq!(rows.get("pear.login"), Some(&true));
    assert_eq!(sb.counters().pear_logins, 1);
    assert_eq!(sb.counters().pear_logouts, 1);

    let keys = tempfile::tempdir().unwrap();
    let file = keys.path().join("id.json");
    std::fs::write(&file, solana_keypair(40).to_keypair_json().as_bytes()).unwrap();
    let (rows, code) = doctor(
        &[
            "pump",
            "--base-url",
            &sb.pump_url(),
            "--keypair",
            file.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, Some(0), "{rows:?}");
    for format in ["documented", "cookie", "token"] {
        assert_eq!(
            rows.get(&format!("pump.login.{format}")),
            Some(&true),
            "{rows:?}"
        );
    }
    assert_eq!(sb.counters().pump_logins, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_drift_of_pear_is_named_by_its_check() {
    let cases = [
        (Drift::RenamedField, "pear.message.primary_type"),
        (Drift::ChangedDomain, "pear.message.domain"),
        (Drift::MillisecondTimestamps, "pear.message.timestamp"),
        (Drift::NoClientIdEcho, "pear.message.client_id"),
        (Drift::MovedLoginRoute, "pear.login_route"),
        (Drift::ErrorShape, "pear.errors"),
        (Drift::CloudflareChallenge, "pear.message"),
    ];
    for (drift, check) in cases {
        let sb = sandbox(Some(drift)).await;
        let (rows, code) = doctor(&["pear", "--base-url", &sb.pear_url()], &[]);
        assert_eq!(code, Some(1), "{drift:?}: {rows:?}");
        assert_eq!(
            rows.get(check),
            Some(&false),
            "{drift:?} not named: {rows:?}"
        );
        if drift != Drift::CloudflareChallenge {
            let drifted: Vec<_> = rows.iter().filter(|(_, ok)| !**ok).collect();
            assert_eq!(
                drifted.len(),
                1,
                "{drift:?}: only its check drifts: {rows:?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_drift_of_pump_is_named_by_its_check() {
    let cases = [
        (Drift::MovedLoginRoute, "pump.login_route"),
        (Drift::ErrorShape, "pump.errors"),
        (Drift::CloudflareChallenge, "pump.errors"),
    ];
    for (drift, check) in cases {
        let sb = sandbox(Some(drift)).await;
        let (rows, code) = doctor(&["pump", "--base-url", &sb.pump_url()], &[]);
        assert_eq!(code, Some(1), "{drift:?}: {rows:?}");
        assert_eq!(
            rows.get(check),
            Some(&false),
            "{drift:?} not named: {rows:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_table_says_what_drifted() {
    let sb = sandbox(Some(Drift::MillisecondTimestamps)).await;
    let out = authctl(&["doctor", "pear", "--base-url", &sb.pear_url()], &[]);
    assert_eq!(out.status.code(), Some(1));
    let table = String::from_utf8(out.stdout.clone()).unwrap();
    let line = table
        .lines()
        .find(|l| l.starts_with("pear.message.timestamp"))
        .unwrap();
    assert!(
        line.contains("DRIFT") && line.contains("milliseconds"),
        "{table}"
    );
    assert!(stderr(&out).contains("1 drifted"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_skewed_server_clock_is_named() {
    for config in [
        SandboxConfig::default().with_clock_ahead(std::time::Duration::from_secs(600)),
        SandboxConfig::default().with_clock_behind(std::time::Duration::from_secs(600)),
    ] {
        let sb = Sandbox::start(config).await.unwrap();
        for (api, url) in [("pear", sb.pear_url()), ("pump", sb.pump_url())] {
            let (rows, code) = doctor(&[api, "--base-url", &url], &[]);
            assert_eq!(code, Some(1), "{api}: {rows:?}");
            let drifted: Vec<_> = rows
                .iter()
                .filter(|(_, ok)| !**ok)
                .map(|(c, _)| c.as_str())
                .collect();
            assert_eq!(drifted, ["clock"], "{api}: only the clock drifts: {rows:?}");
        }
    }
}
