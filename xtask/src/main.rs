//! `cargo xtask <task>`: project chores in plain Rust.
//!
//! - `cargo xtask ci`: every check CI runs, in order (`.ci/run` installs what they need,
//!   then runs this): dependency policy, format, lints, docs, the feature and no-backend
//!   builds, the layer rules and diagram, the structure rules, the public API listings,
//!   the packaging of every published crate, the tests, the quickstart, the benchmarks' compile and a 20-second fuzz run of each target. The one step list (see `ci.rs`).
//! - `cargo xtask test`: the test command of the README: `cargo test --workspace
//!   --all-features`, after installing `redis-server` (which the Redis store's tests
//!   start) if it is missing and this runs as root with apt-get, or saying how to.
//! - `cargo xtask layers`: the dependency rules of ARCHITECTURE.md (`cargo tree`), and its
//!   layer diagram against the manifests (`diagram.rs`).
//! - `cargo xtask structure`: no source file past 400 lines before its unit tests, no
//!   import cycle between sibling modules of a crate (`syn`; see `structure.rs`).
//! - `cargo xtask fuzz [seconds] [target...]`: every fuzz target of `fuzz/` for `seconds`
//!   each (default 60), one at a time, with cargo-fuzz (installed if missing).
//! - `cargo xtask bench [criterion options]`: the benchmarks of `benches/` (its own
//!   workspace, so alloy and criterion stay out of the normal build), then a table of
//!   their medians and ratios. See BENCHMARKS.md.
//! - `cargo xtask bench-check`: compiles the benchmarks without running them.
//! - `cargo xtask api [--check]`: the public API of each published library crate, one
//!   line per item, written to (or, with `--check`, compared with) `api/<crate>.txt`
//!   (`api.rs`).
//! - `cargo xtask package`: `cargo package` of every published crate in dependency order
//!   (through a temporary local registry), each built alone from its `.crate` file.
//!
//! Which crates are providers and which fuzz targets exist is read from the workspace
//! (`workspace.rs`), never listed here.

mod api;
mod api_render;
mod api_types;
mod ci;
mod diagram;
mod fuzz;
mod layers;
mod redis_server;
mod structure;
mod workspace;

use std::process::{Command, ExitCode};

/// One step: cargo with these arguments and extra environment variables.
pub(crate) struct Step {
    pub(crate) name: String,
    pub(crate) args: Vec<String>,
    pub(crate) env: Vec<(&'static str, &'static str)>,
}

impl Step {
    /// `cargo <args>`, named `name`.
    pub(crate) fn cargo(name: impl Into<String>, args: &[&str]) -> Self {
        Step {
            name: name.into(),
            args: args.iter().map(|&a| a.to_owned()).collect(),
            env: Vec::new(),
        }
    }

    /// The same step with an environment variable set.
    pub(crate) fn env(mut self, key: &'static str, value: &'static str) -> Self {
        self.env.push((key, value));
        self
    }

    /// Runs it from the workspace root, with `extra` arguments after its own.
    pub(crate) fn run_with(&self, extra: &[String]) -> bool {
        eprintln!(
            "==> {}: cargo {} {}",
            self.name,
            self.args.join(" "),
            extra.join(" ")
        );
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let mut command = Command::new(cargo);
        // `benches/Cargo.toml` is relative to the root, wherever `cargo xtask` was started.
        command
            .current_dir(workspace::root())
            .args(&self.args)
            .args(extra);
        for (key, value) in &self.env {
            command.env(key, value);
        }
        match command.status() {
            Ok(status) if status.success() => true,
            Ok(status) => {
                eprintln!("==> {} failed ({status})", self.name);
                false
            }
            Err(e) => {
                eprintln!("==> {} could not start: {e}", self.name);
                false
            }
        }
    }

    /// Runs it from the workspace root.
    pub(crate) fn run(&self) -> bool {
        self.run_with(&[])
    }
}

fn usage() -> ExitCode {
    eprintln!("usage: cargo xtask <ci|test|layers|structure|fuzz|bench|bench-check|api|package>");
    eprintln!(
        "  ci    every check of CI in order: cargo deny, format, clippy -D warnings, docs, feature builds, layers, structure, public API listings, packaging, tests, quickstart, benchmarks compile, fuzz 20 s each"
    );
    eprintln!(
        "  test  cargo test --workspace --all-features (installs redis-server first if missing and root)"
    );
    eprintln!("  layers  check the dependency rules of ARCHITECTURE.md with cargo tree");
    eprintln!(
        "  structure  no file over 400 lines before #[cfg(test)], no import cycle between sibling modules"
    );
    eprintln!("  fuzz [seconds] [target...]  run the fuzz targets, each for seconds (default 60)");
    eprintln!(
        "  bench [criterion options]  run the benchmarks of benches/ and print their medians"
    );
    eprintln!("  bench-check  compile the benchmarks without running them");
    eprintln!(
        "  api [--check]  write (or, with --check, compare) api/<crate>.txt, the public API of each published library"
    );
    eprintln!(
        "  package  cargo package every published crate in dependency order, each built from its .crate"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((task, rest)) = args.split_first() else {
        return usage();
    };
    match task.as_str() {
        "ci" => ci::run(),
        "test" => {
            if !redis_server::ensure() || !redis_server::ensure_chromium() || !ci::test().run() {
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        "layers" => {
            if layers::check(workspace::root()) {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        "structure" => structure::run(),
        "bench-check" => {
            if ci::bench_check().run() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        "bench" => {
            // Options after `bench` go to criterion, e.g. a filter: `cargo xtask bench mail`.
            let mut extra = rest.to_vec();
            if !extra.is_empty() {
                extra.insert(0, "--".to_owned());
            }
            let bench = Step::cargo(
                "benchmarks",
                &["bench", "--locked", "--manifest-path", "benches/Cargo.toml"],
            );
            let medians = Step::cargo(
                "medians",
                &[
                    "run",
                    "--quiet",
                    "--release",
                    "--locked",
                    "--manifest-path",
                    "benches/Cargo.toml",
                    "--bin",
                    "medians",
                ],
            );
            if !bench.run_with(&extra) || !medians.run() {
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        "fuzz" => fuzz::run(rest),
        "api" => api::run(rest),
        "package" => {
            let Ok(crates) = workspace::published().inspect_err(|e| eprintln!("==> package: {e}"))
            else {
                return ExitCode::from(1);
            };
            if ci::package(&crates).run() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        _ => usage(),
    }
}
