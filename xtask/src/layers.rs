//! `cargo xtask layers`: the dependency rules of ARCHITECTURE.md, checked with `cargo tree`.
//!
//! Each rule names a workspace crate and the crates that must not appear among its normal
//! dependencies (all features on), either anywhere below it or as direct dependencies.

use std::path::Path;
use std::process::Command;

/// How deep a rule looks.
#[derive(Clone, Copy)]
enum Depth {
    /// Anywhere in the normal dependency tree.
    Tree,
    /// Direct dependencies only.
    Direct,
}

/// A crate, what it must not depend on, and why.
struct Rule {
    krate: &'static str,
    depth: Depth,
    forbidden: &'static [&'static str],
    why: &'static str,
}

const HTTP_CLIENTS: &[&str] = &["reqwest", "hyper", "hyper-util", "hyper-rustls"];
const PROVIDERS: &[&str] = &["pear-auth", "pump-auth"];

const RULES: &[Rule] = &[
    Rule {
        krate: "auth-types",
        depth: Depth::Tree,
        forbidden: &[
            "tokio",
            "reqwest",
            "hyper",
            "http",
            "auth-transport",
            "auth-session",
        ],
        why: "auth-types does no I/O, no HTTP and no async runtime work",
    },
    Rule {
        krate: "auth-signing",
        depth: Depth::Tree,
        forbidden: &[
            "tokio",
            "reqwest",
            "hyper",
            "http",
            "auth-transport",
            "auth-session",
        ],
        why: "auth-signing does no I/O, no HTTP and no async runtime work",
    },
    Rule {
        krate: "auth-session",
        depth: Depth::Tree,
        forbidden: &[
            "auth-transport",
            "http",
            "reqwest",
            "hyper",
            "auth-provider",
        ],
        why: "auth-session knows no HTTP",
    },
    Rule {
        krate: "auth-provider",
        depth: Depth::Direct,
        forbidden: HTTP_CLIENTS,
        why: "only auth-transport knows reqwest or hyper",
    },
    Rule {
        krate: "pear-auth",
        depth: Depth::Direct,
        forbidden: HTTP_CLIENTS,
        why: "only auth-transport knows reqwest or hyper",
    },
    Rule {
        krate: "pump-auth",
        depth: Depth::Direct,
        forbidden: HTTP_CLIENTS,
        why: "only auth-transport knows reqwest or hyper",
    },
    Rule {
        krate: "auth-transport",
        depth: Depth::Tree,
        forbidden: &[
            "auth-session",
            "auth-provider",
            "auth-signing",
            "serde_json",
        ],
        why: "auth-transport carries no provider concerns (no JSON, no sessions)",
    },
    Rule {
        krate: "auth-provider",
        depth: Depth::Tree,
        forbidden: PROVIDERS,
        why: "no crate below the providers depends on a provider",
    },
    Rule {
        krate: "auth-session",
        depth: Depth::Tree,
        forbidden: PROVIDERS,
        why: "no crate below the providers depends on a provider",
    },
    Rule {
        krate: "pear-auth",
        depth: Depth::Tree,
        forbidden: &["pump-auth"],
        why: "providers do not depend on each other",
    },
    Rule {
        krate: "pump-auth",
        depth: Depth::Tree,
        forbidden: &["pear-auth"],
        why: "providers do not depend on each other",
    },
    Rule {
        krate: "auth-sandbox",
        depth: Depth::Tree,
        forbidden: &[
            "auth-signing",
            "auth-transport",
            "auth-session",
            "auth-provider",
            "pear-auth",
            "pump-auth",
        ],
        why: "the sandbox is a witness: it shares no client-side code (its checks are its own)",
    },
];

/// The names of the normal dependencies of `krate` (all features), per `depth`.
fn dependencies(root: &Path, krate: &str, depth: Depth) -> Result<Vec<String>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command.current_dir(root).args([
        "tree",
        "--quiet",
        "--edges",
        "normal",
        "--all-features",
        "--prefix",
        "none",
        "--format",
        "{p}",
        "--package",
        krate,
    ]);
    if let Depth::Direct = depth {
        command.args(["--depth", "1"]);
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run cargo tree: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo tree -p {krate} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != krate)
        .map(str::to_owned)
        .collect())
}

/// Checks every rule; prints each broken one. `true` when all hold.
pub(crate) fn check(root: &Path) -> bool {
    eprintln!("==> layers: the dependency rules of ARCHITECTURE.md");
    let mut ok = true;
    for rule in RULES {
        match dependencies(root, rule.krate, rule.depth) {
            Ok(found) => {
                for name in rule.forbidden {
                    if found.iter().any(|f| f == name) {
                        eprintln!("==> layers: {} depends on {name}: {}", rule.krate, rule.why);
                        ok = false;
                    }
                }
            }
            Err(e) => {
                eprintln!("==> layers: {e}");
                ok = false;
            }
        }
    }
    if ok {
        eprintln!("==> layers: {} rules hold", RULES.len());
    }
    ok
}
