//! `cargo xtask ci`: the one list of CI's checks, in order. `.ci/run` installs what they
//! need (the toolchain's components, redis-server, cargo-deny) and runs this.

use std::process::{Command, ExitCode, Stdio};

use crate::{Step, api, fuzz, layers, redis_server, structure, workspace};

/// The README's test command: every test of the workspace, all features.
pub(crate) fn test() -> Step {
    Step::cargo(
        "tests",
        &["test", "--locked", "--workspace", "--all-features"],
    )
}

/// The benchmarks' compile (`benches/` is its own workspace: alloy and criterion stay out
/// of the tests' build).
pub(crate) fn bench_check() -> Step {
    Step::cargo(
        "benchmarks compile",
        &[
            "bench",
            "--no-run",
            "--locked",
            "--manifest-path",
            "benches/Cargo.toml",
        ],
    )
}

/// `cargo package` of `crates` (the published ones) in dependency order: unpublished
/// sibling dependencies come from a temporary local registry, and each package is built
/// alone from its `.crate` file (in `target/package/`), so a missing file, a path-only
/// dependency or a manifest crates.io would refuse fails here. Uploads nothing.
pub(crate) fn package(crates: &[String]) -> Step {
    forget_unpacked(crates);
    let mut args = vec!["package", "--locked", "--allow-dirty"];
    for krate in crates {
        args.extend(["-p", krate.as_str()]);
    }
    // Builds to check that the packages compile, not to debug: no debug info (half the
    // disk and link time of the verification builds).
    Step::cargo("packaging (cargo package, dependency order)", &args)
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
}

/// Removes what an earlier `cargo package` left unpacked in cargo's registry source
/// directory for these crates (`$CARGO_HOME/registry/src/*/<name>-<version>`). The local
/// registry of the verification builds unpacks each sibling `.crate` there, and cargo never
/// unpacks a name and version again once it is there: on a machine that packaged before,
/// a verification would build against the old sources of its siblings.
fn forget_unpacked(crates: &[String]) {
    let Some(home) = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".cargo")))
    else {
        return;
    };
    let Ok(registries) = std::fs::read_dir(home.join("registry").join("src")) else {
        return;
    };
    let version = env!("CARGO_PKG_VERSION");
    for registry in registries.flatten() {
        for krate in crates {
            let unpacked = registry.path().join(format!("{krate}-{version}"));
            if unpacked.is_dir() {
                let _ = std::fs::remove_dir_all(&unpacked);
            }
        }
    }
}

/// `cargo check -p <krate> --no-default-features [--features <features>]`.
fn check_features(krate: &str, features: Option<&str>) -> Step {
    let mut args = vec!["check", "--locked", "-p", krate, "--no-default-features"];
    let name = match features {
        Some(features) => {
            args.extend(["--features", features]);
            format!("{krate} with only {features}")
        }
        None => format!("{krate} without default features"),
    };
    Step::cargo(name, &args)
}

/// The steps before the layer rules: policy, format, lints, docs, feature builds.
fn checks(providers: &[String]) -> Vec<Step> {
    let mut steps = vec![
        Step::cargo(
            "dependency policy (cargo-deny)",
            &["deny", "check", "licenses", "bans", "sources"],
        ),
        Step::cargo("format", &["fmt", "--all", "--check"]),
        Step::cargo(
            "clippy",
            &[
                "clippy",
                "--locked",
                "--workspace",
                "--all-targets",
                "--all-features",
                "--",
                "-D",
                "warnings",
            ],
        ),
        Step::cargo(
            "docs",
            &[
                "doc",
                "--locked",
                "--workspace",
                "--no-deps",
                "--all-features",
            ],
        )
        .env("RUSTDOCFLAGS", "-D warnings"),
        // Features are additive: each backend builds alone.
        check_features("auth-transport", None),
        check_features("auth-transport", Some("reqwest")),
        check_features("auth-transport", Some("hyper")),
        check_features("auth-http", None),
        check_features("auth-http", Some("tower")),
        check_features("auth-http", Some("reqwest-middleware")),
    ];
    // Every provider builds without an HTTP backend (bring your own transport).
    steps.extend(
        providers
            .iter()
            .map(|provider| check_features(provider, None)),
    );
    steps
}

/// Whether cargo-deny is installed; says how to install it if not.
fn cargo_deny_installed() -> bool {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let installed = Command::new(cargo)
        .args(["deny", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !installed {
        eprintln!(
            "==> cargo-deny is missing: `cargo install cargo-deny --version 0.20.2 --locked` (.ci/run does)"
        );
    }
    installed
}

/// Runs every step; stops at the first that fails.
pub(crate) fn run() -> ExitCode {
    let (providers, published) = match workspace::providers()
        .and_then(|providers| workspace::published().map(|published| (providers, published)))
    {
        Ok(lists) => lists,
        Err(e) => {
            eprintln!("==> ci: {e}");
            return ExitCode::from(1);
        }
    };
    if !cargo_deny_installed() || !redis_server::ensure() || !redis_server::ensure_chromium() {
        return ExitCode::from(1);
    }
    if !checks(&providers).iter().all(Step::run) {
        return ExitCode::from(1);
    }
    if !layers::check(workspace::root()) {
        return ExitCode::from(1);
    }
    if structure::run() != ExitCode::SUCCESS {
        return ExitCode::from(1);
    }
    // The public API against its committed listing (api/), then the packages.
    if api::run(&["--check".to_owned()]) != ExitCode::SUCCESS || !package(&published).run() {
        return ExitCode::from(1);
    }
    let quickstart = Step::cargo(
        "quickstart (the README's main job)",
        &["run", "--locked", "--quiet", "--example", "quickstart"],
    );
    if ![test(), quickstart, bench_check()].iter().all(Step::run) {
        return ExitCode::from(1);
    }
    // A crash, a hang (over 10 s) or an allocation over 2 GiB fails, with the input in
    // fuzz/artifacts/. The 10-minute runs are `cargo xtask fuzz 600`.
    if fuzz::run(&["20".to_owned()]) != ExitCode::SUCCESS {
        return ExitCode::from(1);
    }
    eprintln!("==> all checks passed");
    ExitCode::SUCCESS
}
