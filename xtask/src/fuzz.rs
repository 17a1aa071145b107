//! `cargo xtask fuzz [seconds] [target...]`: the libFuzzer targets of `fuzz/` (read from
//! `fuzz/Cargo.toml`, see [`workspace::fuzz_targets`]), each for a while, one at a time.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use crate::workspace::{self, FuzzTarget};

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
    let corpus = seed_corpus(root, &target.name).map_err(|e| format!("seeding the corpus: {e}"))?;
    let dict = root.join("fuzz/dicts").join(&target.dict);
    let mut command = cargo_fuzz(root);
    command
        .args(["run", &target.name])
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
pub(crate) fn run(args: &[String]) -> ExitCode {
    let all = match workspace::fuzz_targets() {
        Ok(all) => all,
        Err(e) => {
            eprintln!("==> fuzz: {e}");
            return ExitCode::from(1);
        }
    };
    let mut seconds = FUZZ_DEFAULT_SECONDS;
    let mut names: Vec<&str> = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        match arg.parse::<u64>() {
            Ok(n) if i == 0 && n > 0 => seconds = n,
            _ if all.iter().any(|t| &t.name == arg) => names.push(arg),
            _ => {
                eprintln!("usage: cargo xtask fuzz [seconds] [target...]");
                let all: Vec<&str> = all.iter().map(|t| t.name.as_str()).collect();
                eprintln!("  targets: {}", all.join(", "));
                return ExitCode::from(2);
            }
        }
    }
    let targets: Vec<&FuzzTarget> = all
        .iter()
        .filter(|t| names.is_empty() || names.contains(&t.name.as_str()))
        .collect();
    let root = workspace::root();
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
