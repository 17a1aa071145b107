//! `cargo xtask <task>`: project chores in plain Rust.
//!
//! - `cargo xtask ci`: the checks CI runs (format, lints, docs, tests).
//! - `cargo xtask test`: the test command of the README: `cargo test --workspace
//!   --all-features`, after installing `redis-server` (which the Redis store's tests
//!   start) if it is missing and this runs as root with apt-get, or saying how to.
//! - `cargo xtask layers`: the dependency rules of ARCHITECTURE.md (`cargo tree`).
//! - `cargo xtask fuzz [seconds] [target...]`: every fuzz target of `fuzz/` for `seconds`
//!   each (default 60), one at a time, with cargo-fuzz (installed if missing).
//! - `cargo xtask bench [criterion options]`: the benchmarks of `benches/` (its own
//!   workspace, so alloy and criterion stay out of the normal build), then a table of
//!   their medians and ratios. See BENCHMARKS.md.
//! - `cargo xtask bench-check`: compiles the benchmarks without running them (CI does).
//!
//! (cargo-deny runs in `.ci/run`, which installs it; run `cargo deny check` locally if you
//! have it.)

mod layers;
mod redis_server;

use std::process::{Command, ExitCode};
// For `fuzz`.
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Instant;

/// One step: a program and its arguments, with extra environment variables.
struct Step {
    name: &'static str,
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
}

const FMT: Step = Step {
    name: "format",
    args: &["fmt", "--all", "--check"],
    env: &[],
};
const CLIPPY: Step = Step {
    name: "clippy",
    args: &[
        "clippy",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ],
    env: &[],
};
const DOC: Step = Step {
    name: "docs",
    args: &["doc", "--workspace", "--no-deps", "--all-features"],
    env: &[("RUSTDOCFLAGS", "-D warnings")],
};
const TEST: Step = Step {
    name: "tests",
    args: &["test", "--workspace", "--all-features"],
    env: &[],
};
const TRANSPORT_NO_FEATURES: Step = Step {
    name: "auth-transport without features",
    args: &["check", "-p", "auth-transport", "--no-default-features"],
    env: &[],
};
const TRANSPORT_REQWEST: Step = Step {
    name: "auth-transport with reqwest only",
    args: &[
        "check",
        "-p",
        "auth-transport",
        "--no-default-features",
        "--features",
        "reqwest",
    ],
    env: &[],
};
const TRANSPORT_HYPER: Step = Step {
    name: "auth-transport with hyper only",
    args: &[
        "check",
        "-p",
        "auth-transport",
        "--no-default-features",
        "--features",
        "hyper",
    ],
    env: &[],
};
const PEAR_NO_BACKEND: Step = Step {
    name: "pear-auth without an HTTP backend",
    args: &["check", "-p", "pear-auth", "--no-default-features"],
    env: &[],
};
const PUMP_NO_BACKEND: Step = Step {
    name: "pump-auth without an HTTP backend",
    args: &["check", "-p", "pump-auth", "--no-default-features"],
    env: &[],
};
const HTTP_NO_FEATURES: Step = Step {
    name: "auth-http without features",
    args: &["check", "-p", "auth-http", "--no-default-features"],
    env: &[],
};
const HTTP_TOWER: Step = Step {
    name: "auth-http with tower only",
    args: &[
        "check",
        "-p",
        "auth-http",
        "--no-default-features",
        "--features",
        "tower",
    ],
    env: &[],
};
const HTTP_MIDDLEWARE: Step = Step {
    name: "auth-http with reqwest-middleware only",
    args: &[
        "check",
        "-p",
        "auth-http",
        "--no-default-features",
        "--features",
        "reqwest-middleware",
    ],
    env: &[],
};
const QUICKSTART: Step = Step {
    name: "quickstart",
    args: &["run", "--quiet", "--example", "quickstart"],
    env: &[],
};

const BENCH_CHECK: Step = Step {
    name: "benchmarks compile",
    args: &[
        "bench",
        "--no-run",
        "--locked",
        "--manifest-path",
        "benches/Cargo.toml",
    ],
    env: &[],
};
const BENCH: Step = Step {
    name: "benchmarks",
    args: &["bench", "--locked", "--manifest-path", "benches/Cargo.toml"],
    env: &[],
};
const BENCH_MEDIANS: Step = Step {
    name: "medians",
    args: &[
        "run",
        "--quiet",
        "--release",
        "--locked",
        "--manifest-path",
        "benches/Cargo.toml",
        "--bin",
        "medians",
    ],
    env: &[],
};

fn run(step: &Step) -> bool {
    run_with(step, &[])
}

/// Runs a step from the workspace root, with `extra` arguments after its own.
fn run_with(step: &Step, extra: &[String]) -> bool {
    eprintln!(
        "==> {}: cargo {} {}",
        step.name,
        step.args.join(" "),
        extra.join(" ")
    );
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    // `benches/Cargo.toml` is relative to the root, wherever `cargo xtask` was started.
    if let Some(root) = Path::new(env!("CARGO_MANIFEST_DIR")).parent() {
        command.current_dir(root);
    }
    command.args(step.args).args(extra);
    for (key, value) in step.env {
        command.env(key, value);
    }
    match command.status() {
        Ok(status) if status.success() => true,
        Ok(status) => {
            eprintln!("==> {} failed ({status})", step.name);
            false
        }
        Err(e) => {
            eprintln!("==> {} could not start: {e}", step.name);
            false
        }
    }
}

fn main() -> ExitCode {
    let task = std::env::args().nth(1);
    let steps: &[&Step] = match task.as_deref() {
        Some("ci") => &[
            &FMT,
            &CLIPPY,
            &DOC,
            &TRANSPORT_NO_FEATURES,
            &TRANSPORT_REQWEST,
            &TRANSPORT_HYPER,
            &PEAR_NO_BACKEND,
            &PUMP_NO_BACKEND,
            &HTTP_NO_FEATURES,
            &HTTP_TOWER,
            &HTTP_MIDDLEWARE,
            &TEST,
            &QUICKSTART,
            &BENCH_CHECK,
        ],
        Some("test") => &[&TEST],
        Some("layers") => {
            let root = Path::new(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .unwrap_or(Path::new("."));
            return if layers::check(root) {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            };
        }
        Some("bench-check") => &[&BENCH_CHECK],
        Some("bench") => {
            // Options after `bench` go to criterion, e.g. a filter: `cargo xtask bench mail`.
            let mut extra: Vec<String> = std::env::args().skip(2).collect();
            if !extra.is_empty() {
                extra.insert(0, "--".to_owned());
            }
            if !run_with(&BENCH, &extra) || !run(&BENCH_MEDIANS) {
                return ExitCode::from(1);
            }
            return ExitCode::SUCCESS;
        }
        Some("fuzz") => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            return fuzz(&args);
        }
        _ => {
            eprintln!("usage: cargo xtask <ci|test|layers|fuzz|bench|bench-check>");
            eprintln!(
                "  ci    format check, clippy -D warnings, docs, tests, quickstart, benchmarks compile (what .ci/run runs)"
            );
            eprintln!(
                "  test  cargo test --workspace --all-features (installs redis-server first if missing and root)"
            );
            eprintln!("  layers  check the dependency rules of ARCHITECTURE.md with cargo tree");
            eprintln!(
                "  fuzz [seconds] [target...]  run the fuzz targets, each for seconds (default 60)"
            );
            eprintln!(
                "  bench [criterion options]  run the benchmarks of benches/ and print their medians"
            );
            eprintln!("  bench-check  compile the benchmarks without running them");
            return ExitCode::from(2);
        }
    };
    if matches!(task.as_deref(), Some("test" | "ci")) && !redis_server::ensure() {
        return ExitCode::from(1);
    }
    for step in steps {
        if !run(step) {
            return ExitCode::from(1);
        }
    }
    if task.as_deref() == Some("ci") {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap_or(Path::new("."));
        if !layers::check(root) {
            return ExitCode::from(1);
        }
    }
    eprintln!("==> all passed");
    ExitCode::SUCCESS
}

// `cargo xtask fuzz [seconds] [target...]`: the libFuzzer targets of `fuzz/`.

/// A fuzz target of `fuzz/` (a cargo-fuzz project, its own workspace), with its libFuzzer
/// dictionary (in `fuzz/dicts/`) and input size limit.
struct FuzzTarget {
    name: &'static str,
    dict: &'static str,
    max_len: u32,
}

/// Every fuzz target, in the order `cargo xtask fuzz` runs them (one at a time).
const FUZZ_TARGETS: &[FuzzTarget] = &[
    FuzzTarget {
        name: "typed_data",
        dict: "typed_data.dict",
        max_len: 16384,
    },
    FuzzTarget {
        name: "pear_response",
        dict: "response.dict",
        max_len: 4096,
    },
    FuzzTarget {
        name: "pump_response",
        dict: "response.dict",
        max_len: 4096,
    },
    FuzzTarget {
        name: "solana_keys",
        dict: "keys.dict",
        max_len: 4096,
    },
    FuzzTarget {
        name: "ethereum_keys",
        dict: "keys.dict",
        max_len: 4096,
    },
    FuzzTarget {
        name: "session_store",
        dict: "store.dict",
        max_len: 4096,
    },
];

/// Seconds each target runs when no duration is given.
const FUZZ_DEFAULT_SECONDS: u64 = 60;

/// What libFuzzer reported at the end of one target's run.
#[derive(Default)]
struct FuzzStats {
    runs: Option<u64>,
    seconds: Option<u64>,
    exec_per_sec: Option<u64>,
    peak_rss_mb: Option<u64>,
}

impl FuzzStats {
    /// Reads `Done 1234 runs in 60 second(s)` and `stat::name: value` lines.
    fn read_line(&mut self, line: &str) {
        if let Some(rest) = line.strip_prefix("Done ") {
            let words: Vec<&str> = rest.split_whitespace().collect();
            if let [runs, "runs", "in", seconds, ..] = words.as_slice() {
                self.runs = runs.parse().ok();
                self.seconds = seconds.parse().ok();
            }
        } else if let Some((name, value)) =
            line.strip_prefix("stat::").and_then(|s| s.split_once(':'))
        {
            let value = value.trim().parse().ok();
            match name {
                "number_of_executed_units" => self.runs = self.runs.or(value),
                "average_exec_per_sec" => self.exec_per_sec = value,
                "peak_rss_mb" => self.peak_rss_mb = value,
                _ => {}
            }
        }
    }
}

fn cargo_command() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

/// Runs `cargo fuzz` with the sanitizer flags it needs allowed on a stable toolchain.
fn cargo_fuzz(root: &Path) -> Command {
    let mut command = cargo_command();
    command
        .current_dir(root)
        .env("RUSTC_BOOTSTRAP", "1")
        .arg("fuzz");
    command
}

fn ensure_cargo_fuzz(root: &Path) -> bool {
    let installed = cargo_fuzz(root)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if installed {
        return true;
    }
    eprintln!("==> installing cargo-fuzz: cargo install cargo-fuzz --version 0.13.2 --locked");
    cargo_command()
        .args(["install", "cargo-fuzz", "--version", "0.13.2", "--locked"])
        .status()
        .is_ok_and(|s| s.success())
}

/// Copies the committed seeds (`fuzz/seeds/<target>/`) into the working corpus
/// (`fuzz/corpus/<target>/`, ignored by git), keeping what earlier runs found.
fn seed_corpus(root: &Path, target: &str) -> std::io::Result<PathBuf> {
    let corpus = root.join("fuzz/corpus").join(target);
    std::fs::create_dir_all(&corpus)?;
    let seeds = root.join("fuzz/seeds").join(target);
    if seeds.is_dir() {
        for entry in std::fs::read_dir(&seeds)? {
            let entry = entry?;
            let to = corpus.join(entry.file_name());
            if entry.file_type()?.is_file() && !to.exists() {
                std::fs::copy(entry.path(), to)?;
            }
        }
    }
    Ok(corpus)
}

/// Runs one target for `seconds`, passing its output through and reading its final stats.
fn fuzz_one(root: &Path, target: &FuzzTarget, seconds: u64) -> Result<FuzzStats, String> {
    let corpus = seed_corpus(root, target.name).map_err(|e| format!("seeding the corpus: {e}"))?;
    let dict = root.join("fuzz/dicts").join(target.dict);
    let mut command = cargo_fuzz(root);
    command
        .args(["run", target.name])
        .arg(&corpus)
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        // Hangs and big allocations are findings too.
        .arg("-timeout=10")
        .arg("-rss_limit_mb=2048")
        .arg(format!("-max_len={}", target.max_len))
        .arg(format!("-dict={}", dict.display()))
        .arg("-print_final_stats=1")
        .stderr(Stdio::piped());
    eprintln!(
        "==> fuzz {}: {seconds} s, corpus {}",
        target.name,
        corpus.display()
    );
    let mut child = command
        .spawn()
        .map_err(|e| format!("could not start cargo fuzz: {e}"))?;
    let mut stats = FuzzStats::default();
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            stats.read_line(&line);
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("waiting for cargo fuzz: {e}"))?;
    if status.success() {
        Ok(stats)
    } else {
        Err(format!(
            "{status}; the input is in fuzz/artifacts/{}/ (reproduce: RUSTC_BOOTSTRAP=1 cargo fuzz run {} <file>)",
            target.name, target.name
        ))
    }
}

/// `cargo xtask fuzz [seconds] [target...]`: builds the targets with cargo-fuzz
/// (installing it if missing) and runs each for `seconds` (default 60), one at a time.
fn fuzz(args: &[String]) -> ExitCode {
    let mut seconds = FUZZ_DEFAULT_SECONDS;
    let mut names: Vec<&str> = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        match arg.parse::<u64>() {
            Ok(n) if i == 0 && n > 0 => seconds = n,
            _ if FUZZ_TARGETS.iter().any(|t| t.name == arg) => names.push(arg),
            _ => {
                eprintln!("usage: cargo xtask fuzz [seconds] [target...]");
                let all: Vec<&str> = FUZZ_TARGETS.iter().map(|t| t.name).collect();
                eprintln!("  targets: {}", all.join(", "));
                return ExitCode::from(2);
            }
        }
    }
    let targets: Vec<&FuzzTarget> = FUZZ_TARGETS
        .iter()
        .filter(|t| names.is_empty() || names.contains(&t.name))
        .collect();
    let Some(root) = Path::new(env!("CARGO_MANIFEST_DIR")).parent() else {
        eprintln!("==> cannot find the workspace root");
        return ExitCode::from(1);
    };
    if !ensure_cargo_fuzz(root) {
        eprintln!("==> cargo-fuzz is missing and could not be installed");
        return ExitCode::from(1);
    }
    eprintln!("==> fuzz build: RUSTC_BOOTSTRAP=1 cargo fuzz build");
    if !cargo_fuzz(root)
        .arg("build")
        .status()
        .is_ok_and(|s| s.success())
    {
        eprintln!("==> fuzz build failed");
        return ExitCode::from(1);
    }
    let mut report = Vec::new();
    let mut failed = false;
    for target in targets {
        let started = Instant::now();
        let line = match fuzz_one(root, target, seconds) {
            Ok(stats) => {
                let number = |n: Option<u64>| n.map_or_else(|| "?".to_owned(), |n| n.to_string());
                format!(
                    "ok: {} runs in {} s ({} exec/s, peak RSS {} MB)",
                    number(stats.runs),
                    number(stats.seconds),
                    number(stats.exec_per_sec),
                    number(stats.peak_rss_mb)
                )
            }
            Err(e) => {
                failed = true;
                format!("FAILED after {} s: {e}", started.elapsed().as_secs())
            }
        };
        report.push(format!("  {:<14} {line}", target.name));
    }
    eprintln!("==> fuzz summary ({seconds} s per target)");
    for line in &report {
        eprintln!("{line}");
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
