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
    krate: String,
    depth: Depth,
    features: Features,
    forbidden: Vec<String>,
    why: &'static str,
}

impl Rule {
    fn new(krate: &str, depth: Depth, forbidden: &[&str], why: &'static str) -> Self {
        Rule {
            krate: krate.to_owned(),
            depth,
            features: Features::All,
            forbidden: forbidden.iter().map(|&name| name.to_owned()).collect(),
            why,
        }
    }

    /// The same rule, also forbidding `more`.
    fn and(mut self, more: &[String]) -> Self {
        self.forbidden.extend(more.iter().cloned());
        self
    }
}

const HTTP_CLIENTS: &[&str] = &["reqwest", "hyper", "hyper-util", "hyper-rustls"];

/// Curve libraries and the signer ecosystems built on them: `auth-signer` carries the
/// signer traits without any (the curves are `auth-signing`'s).
const CURVES: &[&str] = &[
    "secp256k1",
    "secp256k1-sys",
    "k256",
    "ecdsa",
    "elliptic-curve",
    "ed25519",
    "ed25519-dalek",
    "curve25519-dalek",
    "alloy-primitives",
    "alloy-signer",
    "solana-pubkey",
    "solana-signature",
    "solana-signer",
    "auth-signing",
];

/// The HTTP clients other than reqwest: `auth-http` may name reqwest (below), never these.
const HTTP_CLIENTS_BUT_REQWEST: &[&str] = &["hyper", "hyper-util", "hyper-rustls"];

/// The rules, for the workspace's `providers` (crates marked as providers in their
/// `Cargo.toml`: each gets the same rules, however many there are).
fn rules(providers: &[String]) -> Vec<Rule> {
    let no_io = &[
        "tokio",
        "reqwest",
        "hyper",
        "http",
        "auth-transport",
        "auth-session",
    ];
    let below_providers = "no crate below the providers depends on a provider";
    let mut rules = vec![
        Rule::new(
            "auth-types",
            Depth::Tree,
            no_io,
            "auth-types does no I/O, no HTTP and no async runtime work",
        ),
        Rule::new(
            "auth-signing",
            Depth::Tree,
            no_io,
            "auth-signing does no I/O, no HTTP and no async runtime work",
        ),
        Rule::new(
            "auth-signer",
            Depth::Tree,
            CURVES,
            "auth-signer names the signer traits without compiling a curve",
        ),
        Rule::new(
            "auth-session",
            Depth::Tree,
            &[
                "auth-transport",
                "http",
                "reqwest",
                "hyper",
                "auth-provider",
            ],
            "auth-session knows no HTTP",
        ),
        Rule::new(
            "auth-store",
            Depth::Tree,
            &[
                "auth-transport",
                "http",
                "reqwest",
                "hyper",
                "auth-provider",
                "auth-session",
            ],
            "auth-store (the token stores) knows no HTTP and sits below the session engine",
        ),
        Rule::new(
            "auth-provider",
            Depth::Direct,
            HTTP_CLIENTS,
            "only auth-transport knows reqwest or hyper",
        ),
        Rule::new(
            "auth-transport",
            Depth::Tree,
            &[
                "auth-session",
                "auth-provider",
                "auth-signing",
                "serde_json",
            ],
            "auth-transport carries no provider concerns (no JSON, no sessions)",
        ),
        Rule::new("auth-provider", Depth::Tree, &[], below_providers).and(providers),
        Rule::new("auth-session", Depth::Tree, &[], below_providers).and(providers),
        Rule::new("auth-store", Depth::Tree, &[], below_providers).and(providers),
        Rule::new(
            "auth-pool",
            Depth::Tree,
            &[
                "auth-transport",
                "auth-provider",
                "auth-http",
                "http",
                "reqwest",
                "hyper",
            ],
            "auth-pool sits with the session engine: it knows no HTTP (providers only in its tests)",
        )
        .and(providers),
        Rule::new(
            "auth-http",
            Depth::Tree,
            &["auth-provider"],
            "auth-http sits above auth-session and below the provider kit and the providers",
        )
        .and(providers),
        Rule::new(
            "auth-http",
            Depth::Direct,
            HTTP_CLIENTS_BUT_REQWEST,
            "only auth-transport knows hyper",
        ),
        Rule {
            features: Features::Only("tower"),
            ..Rule::new(
                "auth-http",
                Depth::Tree,
                HTTP_CLIENTS,
                "auth-http knows reqwest only behind its reqwest-middleware feature (a \
                 reqwest-middleware Middleware is written in reqwest's own types, so that \
                 adapter cannot go through auth-transport's trait)",
            )
        },
        Rule::new(
            "auth-sandbox",
            Depth::Tree,
            &[
                "auth-signing",
                "auth-transport",
                "auth-session",
                "auth-provider",
            ],
            "the sandbox is a witness: it shares no client-side code (its checks are its own)",
        )
        .and(providers),
        Rule::new(
            "auth-browser",
            Depth::Tree,
            &["auth-transport", "auth-session", "auth-provider", "reqwest"],
            "auth-browser calls no service: it hands back a checked signature, the caller logs in",
        )
        .and(providers),
    ];
    for provider in providers {
        rules.push(Rule::new(
            provider,
            Depth::Direct,
            HTTP_CLIENTS,
            "only auth-transport knows reqwest or hyper",
        ));
        let others: Vec<String> = providers
            .iter()
            .filter(|other| *other != provider)
            .cloned()
            .collect();
        rules.push(
            Rule::new(
                provider,
                Depth::Tree,
                &[],
                "providers do not depend on each other",
            )
            .and(&others),
        );
    }
    rules
}

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
    let providers = match crate::workspace::providers() {
        Ok(providers) => providers,
        Err(e) => {
            eprintln!("==> layers: {e}");
            return false;
        }
    };
    let rules = rules(&providers);
    let mut ok = true;
    for rule in &rules {
        match dependencies(root, &rule.krate, rule.depth, rule.features) {
            Ok(found) => {
                for name in &rule.forbidden {
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
    ok &= crate::diagram::check(root);
    if ok {
        eprintln!(
            "==> layers: {} rules hold (providers: {})",
            rules.len(),
            providers.join(", ")
        );
    }
    ok
}
