//! The fleet benchmark of BENCHMARKS.md: renewals per token lifetime for 1, 4 and 16
//! processes sharing one token file (and 16 with a file each, for comparison), and the
//! time of a whole `authctl pear token` process when the stored token is good.
//!
//! ```sh
//! cargo build --release -p authctl --bins --examples
//! cargo run --release -p authctl --example fleet_bench
//! ```
//!
//! It starts the sandbox in this process (6-second tokens), runs `fleet_worker` processes
//! (the example next to this one) against it, and prints a Markdown table. Machines are
//! shared and noisy: compare rows of one run, not runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use auth_sandbox::{Sandbox, SandboxConfig};

const KEY: &str = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
const LIFETIME: Duration = Duration::from_secs(6);
const SECONDS: u64 = 18;

/// A binary built next to this example: `examples/NAME` or the package's `NAME`.
fn sibling(name: &str, example: bool) -> PathBuf {
    let me = std::env::current_exe().expect("the benchmark's own path");
    let examples = me.parent().expect("examples/");
    let dir = if example {
        examples.to_owned()
    } else {
        examples.parent().expect("the profile directory").to_owned()
    };
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is missing: run `cargo build --release -p authctl --bins --examples` first",
        path.display()
    );
    path
}

/// Runs `processes` workers for [`SECONDS`], each on `store(i)`; the server's renewals.
async fn renewals(processes: usize, store: impl Fn(usize) -> PathBuf) -> (u64, u64) {
    let sandbox = Sandbox::start(SandboxConfig::default().with_access_token_ttl(LIFETIME))
        .await
        .expect("the sandbox starts");
    let worker = sibling("fleet_worker", true);
    let children: Vec<_> = (0..processes)
        .map(|i| {
            Command::new(&worker)
                .env("FLEET_PEAR_URL", sandbox.pear_url())
                .env("FLEET_STORE", store(i))
                .env("FLEET_SECONDS", SECONDS.to_string())
                .env("FLEET_KEY", KEY)
                .stdout(Stdio::null())
                .spawn()
                .expect("a worker starts")
        })
        .collect();
    tokio::task::spawn_blocking(move || {
        for mut child in children {
            let _ = child.wait();
        }
    })
    .await
    .expect("the workers finish");
    let c = sandbox.counters();
    (c.pear_logins, c.pear_refreshes)
}

/// The median wall time of a whole `authctl pear token` process with a good stored token.
async fn token_command(dir: &Path) -> (Duration, Duration) {
    let sandbox = Sandbox::start(SandboxConfig::default())
        .await
        .expect("the sandbox starts");
    let authctl = sibling("authctl", false);
    let store = dir.join("token.json");
    let run = || {
        let out = Command::new(&authctl)
            .args(["pear", "token", "--private-key-env", "PK", "--base-url"])
            .arg(sandbox.pear_url())
            .arg("--store")
            .arg(&store)
            .env("PK", KEY)
            .output()
            .expect("authctl runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    // The first call logs in and stores the token.
    tokio::task::block_in_place(run);
    let mut times: Vec<Duration> = (0..51)
        .map(|_| {
            let started = Instant::now();
            tokio::task::block_in_place(run);
            started.elapsed()
        })
        .collect();
    times.sort();
    assert_eq!(
        sandbox.counters().pear_logins,
        1,
        "every later call used the stored token"
    );
    (times[times.len() / 2], times[times.len() * 9 / 10])
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let expiries = SECONDS as f64 / LIFETIME.as_secs() as f64;
    println!(
        "| processes | store | logins | refreshes | renewals per token lifetime ({SECONDS} s, {} s tokens) |",
        LIFETIME.as_secs()
    );
    println!("|---|---|---|---|---|");
    for processes in [1, 4, 16] {
        let shared = dir.path().join(format!("shared-{processes}.json"));
        let (logins, refreshes) = renewals(processes, |_| shared.clone()).await;
        println!(
            "| {processes} | one shared file | {logins} | {refreshes} | {:.1} |",
            (logins + refreshes) as f64 / expiries
        );
    }
    let (logins, refreshes) = renewals(16, |i| dir.path().join(format!("own-{i}.json"))).await;
    println!(
        "| 16 | a file each (no coordination) | {logins} | {refreshes} | {:.1} |",
        (logins + refreshes) as f64 / expiries
    );
    let (median, p90) = token_command(dir.path()).await;
    println!();
    println!(
        "`authctl pear token` with a good stored token, whole process: median {:.1} ms, p90 {:.1} ms (51 runs)",
        median.as_secs_f64() * 1e3,
        p90.as_secs_f64() * 1e3
    );
}
