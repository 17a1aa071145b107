//! `cargo xtask api [--check]`: the public API of every published library crate, one line
//! per item, in `api/<crate>.txt`.
//!
//! The listing is read from rustdoc's JSON output (`--output-format json`, unstable, so
//! the stable toolchain runs it with `RUSTC_BOOTSTRAP=1`, for this one command only), all
//! features on. Without `--check` it rewrites the files; with it, it fails on any
//! difference and shows it, so a change of the public API never goes unnoticed: it must
//! come with its listing (and a changelog line). A new toolchain may render a few items
//! differently: regenerate and review the diff.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use serde_json::Value;

use crate::{api_render::Render, workspace};

/// Runs `cargo xtask api [--check]`.
pub(crate) fn run(args: &[String]) -> ExitCode {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => {
            eprintln!("usage: cargo xtask api [--check]");
            return ExitCode::from(2);
        }
    };
    let crates = match workspace::published_libraries() {
        Ok(crates) => crates,
        Err(e) => {
            eprintln!("==> api: {e}");
            return ExitCode::from(1);
        }
    };
    let dir = workspace::root().join("api");
    let mut stale = Vec::new();
    for krate in &crates {
        let listing = match listing(krate) {
            Ok(listing) => listing,
            Err(e) => {
                eprintln!("==> api: {krate}: {e}");
                return ExitCode::from(1);
            }
        };
        let file = dir.join(format!("{krate}.txt"));
        let committed = std::fs::read_to_string(&file).unwrap_or_default();
        if committed == listing {
            continue;
        }
        if check {
            show_difference(&file, &committed, &listing);
            stale.push(krate.clone());
        } else if let Err(e) =
            std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&file, &listing))
        {
            eprintln!("==> api: cannot write {}: {e}", file.display());
            return ExitCode::from(1);
        } else {
            eprintln!("==> api: {} updated", file.display());
        }
    }
    if !stale.is_empty() {
        eprintln!(
            "==> api: the public API of {} changed. If that is intended, run `cargo xtask api`, \
             commit api/, and add a CHANGELOG.md line (a break needs a minor release)",
            stale.join(", ")
        );
        return ExitCode::from(1);
    }
    eprintln!("==> api: {} crates, listings up to date", crates.len());
    ExitCode::SUCCESS
}

/// Prints the lines only in the committed listing (`-`) and only in the code (`+`).
fn show_difference(file: &Path, committed: &str, listing: &str) {
    let old: BTreeSet<&str> = committed.lines().collect();
    let new: BTreeSet<&str> = listing.lines().collect();
    eprintln!("==> api: {} differs from the code:", file.display());
    for line in old.difference(&new) {
        eprintln!("- {line}");
    }
    for line in new.difference(&old) {
        eprintln!("+ {line}");
    }
}

/// Runs rustdoc's JSON output for `krate` and returns its listing.
fn listing(krate: &str) -> Result<String, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    eprintln!("==> api: rustdoc --output-format json -p {krate}");
    let status = Command::new(cargo)
        .current_dir(workspace::root())
        .env("RUSTC_BOOTSTRAP", "1")
        .args([
            "rustdoc",
            "--quiet",
            "--locked",
            "--lib",
            "--all-features",
            "-p",
            krate,
            "--",
            "-Z",
            "unstable-options",
            "--output-format",
            "json",
        ])
        .status()
        .map_err(|e| format!("cannot start cargo: {e}"))?;
    if !status.success() {
        return Err(format!("rustdoc failed ({status})"));
    }
    let path = json_path(krate)?;
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let doc: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
    let lines = Render::new(&doc)?.lines();
    let mut out = format!(
        "# The public API of {krate}, all features (`cargo xtask api` writes this file; CI checks it).\n"
    );
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
    Ok(out)
}

/// Where rustdoc wrote the JSON of `krate`: `<target>/doc/<crate_name>.json`.
fn json_path(krate: &str) -> Result<PathBuf, String> {
    let target = workspace::target_dir()?;
    Ok(target
        .join("doc")
        .join(format!("{}.json", krate.replace('-', "_"))))
}
