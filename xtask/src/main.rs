//! `cargo xtask <task>`: project chores in plain Rust.
//!
//! - `cargo xtask ci`: the checks CI runs (format, lints, docs, tests).
//! - `cargo xtask test`: the test command of the README.
//!
//! (cargo-deny runs in `.ci/run`, which installs it; run `cargo deny check` locally if you
//! have it.)

use std::process::{Command, ExitCode};

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
const QUICKSTART: Step = Step {
    name: "quickstart",
    args: &["run", "--quiet", "--example", "quickstart"],
    env: &[],
};

fn run(step: &Step) -> bool {
    eprintln!("==> {}: cargo {}", step.name, step.args.join(" "));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command.args(step.args);
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
            &TEST,
            &QUICKSTART,
        ],
        Some("test") => &[&TEST],
        _ => {
            eprintln!("usage: cargo xtask <ci|test>");
            eprintln!(
                "  ci    format check, clippy -D warnings, docs, tests, quickstart (what .ci/run runs)"
            );
            eprintln!("  test  cargo test --workspace --all-features");
            return ExitCode::from(2);
        }
    };
    for step in steps {
        if !run(step) {
            return ExitCode::from(1);
        }
    }
    eprintln!("==> all passed");
    ExitCode::SUCCESS
}
