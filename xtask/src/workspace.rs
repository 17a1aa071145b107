//! What the chores read from the workspace instead of lists of their own: the provider
//! crates (marked `[package.metadata.wallet-auth] role = "provider"`) and the fuzz targets
//! (the `[[bin]]`s of `fuzz/Cargo.toml`, each with its line in
//! `[package.metadata.wallet-auth.fuzz]`), through `cargo metadata --no-deps`.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The root of the workspace (this crate's parent directory).
pub(crate) fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."))
}

/// `cargo metadata --no-deps` of the manifest at `manifest` (relative to the root).
pub(crate) fn metadata(manifest: &str) -> Result<Value, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(root())
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--manifest-path",
            manifest,
        ])
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo metadata --manifest-path {manifest} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| format!("cargo metadata gave no JSON: {e}"))
}

/// The packages of `metadata`.
pub(crate) fn packages(metadata: &Value) -> &[Value] {
    metadata["packages"].as_array().map_or(&[], Vec::as_slice)
}

/// The names of the workspace's provider crates, sorted.
pub(crate) fn providers() -> Result<Vec<String>, String> {
    let metadata = metadata("Cargo.toml")?;
    let mut names: Vec<String> = packages(&metadata)
        .iter()
        .filter(|package| package["metadata"]["wallet-auth"]["role"] == "provider")
        .filter_map(|package| package["name"].as_str().map(str::to_owned))
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(
            "no crate is marked as a provider ([package.metadata.wallet-auth] role = \"provider\")"
                .to_owned(),
        );
    }
    Ok(names)
}

/// A fuzz target of `fuzz/`, with its libFuzzer dictionary (in `fuzz/dicts/`) and input
/// size limit.
pub(crate) struct FuzzTarget {
    pub(crate) name: String,
    pub(crate) dict: String,
    pub(crate) max_len: u64,
}

/// Every fuzz target of `fuzz/Cargo.toml`, as `cargo metadata` lists them.
pub(crate) fn fuzz_targets() -> Result<Vec<FuzzTarget>, String> {
    let metadata = metadata("fuzz/Cargo.toml")?;
    let package = packages(&metadata)
        .first()
        .ok_or("fuzz/Cargo.toml holds no package")?;
    let settings = &package["metadata"]["wallet-auth"]["fuzz"];
    let mut targets = Vec::new();
    for target in package["targets"].as_array().map_or(&[][..], Vec::as_slice) {
        let is_bin = target["kind"]
            .as_array()
            .is_some_and(|kinds| kinds.iter().any(|k| k == "bin"));
        let Some(name) = target["name"].as_str().filter(|_| is_bin) else {
            continue;
        };
        let line = &settings[name];
        let (Some(dict), Some(max_len)) = (line["dict"].as_str(), line["max-len"].as_u64()) else {
            return Err(format!(
                "fuzz target {name} has no `{name} = {{ dict = \"…\", max-len = … }}` in [package.metadata.wallet-auth.fuzz] of fuzz/Cargo.toml"
            ));
        };
        targets.push(FuzzTarget {
            name: name.to_owned(),
            dict: dict.to_owned(),
            max_len,
        });
    }
    if targets.is_empty() {
        return Err("fuzz/Cargo.toml has no [[bin]] target".to_owned());
    }
    Ok(targets)
}

/// The workspace's crates that are published (no `publish = false`), sorted: what CI
/// packages.
pub(crate) fn published() -> Result<Vec<String>, String> {
    published_where(|_| true)
}

/// The published crates that have a library target: the ones with a public Rust API.
pub(crate) fn published_libraries() -> Result<Vec<String>, String> {
    published_where(|package| {
        package["targets"].as_array().is_some_and(|targets| {
            targets.iter().any(|t| {
                t["kind"]
                    .as_array()
                    .is_some_and(|k| k.iter().any(|k| k == "lib"))
            })
        })
    })
}

fn published_where(keep: impl Fn(&Value) -> bool) -> Result<Vec<String>, String> {
    let metadata = metadata("Cargo.toml")?;
    // `publish = false` is `[]` in cargo metadata; publishable anywhere is `null`.
    let mut names: Vec<String> = packages(&metadata)
        .iter()
        .filter(|package| package["publish"].is_null() && keep(package))
        .filter_map(|package| package["name"].as_str().map(str::to_owned))
        .collect();
    names.sort();
    if names.is_empty() {
        return Err("no crate of the workspace is published".to_owned());
    }
    Ok(names)
}

/// The build's target directory (`CARGO_TARGET_DIR` or `target/`), as cargo reports it.
pub(crate) fn target_dir() -> Result<std::path::PathBuf, String> {
    let metadata = metadata("Cargo.toml")?;
    metadata["target_directory"]
        .as_str()
        .map(std::path::PathBuf::from)
        .ok_or_else(|| "cargo metadata gave no target_directory".to_owned())
}
