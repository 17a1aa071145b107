//! A fleet behind one wallet (issue 16): many processes, one token file, one sandbox
//! with 6-second tokens and refresh-token family revocation on. Real processes, real file
//! locks, real HTTP over loopback; a process killed with SIGKILL mid-refresh.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

#[path = "../support/mod.rs"]
mod support;

mod farm;
mod killed;
mod processes;
mod soak;
mod token_command;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use auth_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;

const KEY: &str = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
const TOKEN_LIFETIME: Duration = Duration::from_secs(6);

/// The `fleet_worker` example, built if this test was run on its own.
fn worker_binary() -> PathBuf {
    example_binary("fleet_worker")
}

/// The example `name` of this crate, built if this test was run on its own.
fn example_binary(name: &str) -> PathBuf {
    let deps = std::env::current_exe().unwrap();
    let dir = deps.parent().unwrap().parent().unwrap();
    let path = dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if !path.exists() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let status = Command::new(cargo)
            .args(["build", "-p", "authctl", "--example", name])
            .status()
            .unwrap();
        assert!(status.success(), "building the {name} example failed");
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
