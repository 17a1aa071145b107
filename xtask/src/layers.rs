//! `cargo xtask layers`: the dependency rules of ARCHITECTURE.md, checked with `cargo tree`.
//!
//! Each rule names a workspace crate and the crates that must not appear among its normal
//! dependencies (all features on, or only the features a rule names), either anywhere
//! below it or as direct dependencies.

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

/// Which features a rule builds the crate with.
#[derive(Clone, Copy)]
enum Features {
    /// `--all-features`: what no feature may bring in.
    All,
    /// `--no-default-features --features <these>`: what only the other features may bring in.
    Only(&'static str),
}

/// A crate, what it must not depend on, and why.
struct Rule {
    krate: &'static str,
    depth: Depth,
    features: Features,
    forbidden: &'static [&'static str],
    why: &'static str,
}

const HTTP_CLIENTS: &[&str] = &["reqwest", "hyper", "hyper-util", "hyper-rustls"];
const PROVIDERS: &[&str] = &["pear-auth", "pump-auth"];

/// The HTTP clients other than reqwest: `auth-http` may name reqwest (below), never these.
const HTTP_CLIENTS_BUT_REQWEST: &[&str] = &["hyper", "hyper-util", "hyper-rustls"];

const RULES: &[Rule] = &[
    Rule {
        krate: "auth-types",
        depth: Depth::Tree,
        features: Features::All,
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
        features: Features::All,
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
        features: Features::All,
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
        features: Features::All,
        forbidden: HTTP_CLIENTS,
        why: "only auth-transport knows reqwest or hyper",
    },
    Rule {
        krate: "pear-auth",
        depth: Depth::Direct,
        features: Features::All,
        forbidden: HTTP_CLIENTS,
        why: "only auth-transport knows reqwest or hyper",
    },
    Rule {
        krate: "pump-auth",
        depth: Depth::Direct,
        features: Features::All,
        forbidden: HTTP_CLIENTS,
        why: "only auth-transport knows reqwest or hyper",
    },
    Rule {
        krate: "auth-transport",
        depth: Depth::Tree,
        features: Features::All,
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
        features: Features::All,
        forbidden: PROVIDERS,
        why: "no crate below the providers depends on a provider",
    },
    Rule {
        krate: "auth-session",
        depth: Depth::Tree,
        features: Features::All,
        forbidden: PROVIDERS,
        why: "no crate below the providers depends on a provider",
    },
    Rule {
        krate: "pear-auth",
        depth: Depth::Tree,
        features: Features::All,
        forbidden: &["pump-auth"],
        why: "providers do not depend on each other",
    },
    Rule {
        krate: "pump-auth",
        depth: Depth::Tree,
        features: Features::All,
        forbidden: &["pear-auth"],
        why: "providers do not depend on each other",
    },
    Rule {
        krate: "auth-http",
        depth: Depth::Tree,
        features: Features::All,
        forbidden: &["auth-provider", "pear-auth", "pump-auth"],
        why: "auth-http sits above auth-session and below the provider kit and the providers",
    },
    Rule {
        krate: "auth-http",
        depth: Depth::Direct,
        features: Features::All,
        forbidden: HTTP_CLIENTS_BUT_REQWEST,
        why: "only auth-transport knows hyper",
    },
    Rule {
        krate: "auth-http",
        depth: Depth::Tree,
        features: Features::Only("tower"),
        forbidden: HTTP_CLIENTS,
        why: "auth-http knows reqwest only behind its reqwest-middleware feature (a \
              reqwest-middleware Middleware is written in reqwest's own types, so that \
              adapter cannot go through auth-transport's trait)",
    },
    Rule {
        krate: "auth-sandbox",
        depth: Depth::Tree,
        features: Features::All,
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
fn dependencies(
    root: &Path,
    krate: &str,
    depth: Depth,
    features: Features,
) -> Result<Vec<String>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command.current_dir(root).args([
        "tree",
        "--quiet",
        "--edges",
        "normal",
        "--prefix",
        "none",
        "--format",
        "{p}",
        "--package",
        krate,
    ]);
    match features {
        Features::All => {
            command.arg("--all-features");
        }
        Features::Only(list) => {
            command.args(["--no-default-features", "--features", list]);
        }
    }
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
        match dependencies(root, rule.krate, rule.depth, rule.features) {
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
