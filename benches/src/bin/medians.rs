//! Prints the medians of the last `cargo bench` run as Markdown tables, one per benchmark
//! group, with each anchor's ratio `ours / anchor` (below 1: ours is faster).
//!
//! `cargo run --release --manifest-path benches/Cargo.toml --bin medians`
//! (`cargo xtask bench` runs it after the benchmarks).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// One measured benchmark: its group, function ("ours" or an anchor) and input.
struct Measured {
    group: String,
    function: String,
    input: String,
    median_ns: f64,
}

fn main() {
    // Where criterion wrote its results: `$CRITERION_HOME`, else `criterion/` in the
    // target directory.
    let root = match (
        std::env::var_os("CRITERION_HOME"),
        std::env::var_os("CARGO_TARGET_DIR"),
    ) {
        (Some(home), _) => PathBuf::from(home),
        (None, Some(target)) => PathBuf::from(target).join("criterion"),
        (None, None) => Path::new(env!("CARGO_MANIFEST_DIR")).join("target/criterion"),
    };
    let mut found = Vec::new();
    collect(&root, &mut found);
    if found.is_empty() {
        eprintln!(
            "no results under {}: run the benchmarks first",
            root.display()
        );
        std::process::exit(1);
    }
    let mut groups: BTreeMap<String, Vec<Measured>> = BTreeMap::new();
    for m in found {
        groups.entry(m.group.clone()).or_default().push(m);
    }
    for (group, list) in &groups {
        let mut inputs: Vec<&str> = list.iter().map(|m| m.input.as_str()).collect();
        inputs.sort_unstable();
        inputs.dedup();
        let mut anchors: Vec<&str> = list
            .iter()
            .map(|m| m.function.as_str())
            .filter(|f| !is_ours(f))
            .collect();
        anchors.sort_unstable();
        anchors.dedup();
        let ours_name = list
            .iter()
            .map(|m| m.function.as_str())
            .find(|f| is_ours(f));
        println!("\n### {group}\n");
        match ours_name {
            Some(ours_name) => {
                let mut header = format!("| input | {ours_name} |");
                let mut rule = String::from("|---|---|");
                for a in &anchors {
                    header.push_str(&format!(" {a} | ratio |"));
                    rule.push_str("---|---|");
                }
                println!("{header}\n{rule}");
                for input in &inputs {
                    let get = |f: &str| {
                        list.iter()
                            .find(|m| m.function == f && m.input == *input)
                            .map(|m| m.median_ns)
                    };
                    let ours = get(ours_name);
                    let mut row = format!("| {} | {} |", show_input(input), show(ours));
                    for a in &anchors {
                        let anchor = get(a);
                        let ratio = match (ours, anchor) {
                            (Some(o), Some(a)) => format!("{:.2}x", o / a),
                            _ => "-".to_owned(),
                        };
                        row.push_str(&format!(" {} | {ratio} |", show(anchor)));
                    }
                    println!("{row}");
                }
            }
            // Groups without an "ours" side (the session): one row per benchmark.
            None => {
                println!("| benchmark | median |\n|---|---|");
                for m in list {
                    println!("| {} | {} |", m.function, show(Some(m.median_ns)));
                }
            }
        }
    }
}

fn is_ours(function: &str) -> bool {
    function == "ours"
}

fn show_input(input: &str) -> &str {
    if input.is_empty() { "-" } else { input }
}

/// A duration in the unit that suits it.
fn show(ns: Option<f64>) -> String {
    match ns {
        None => "-".to_owned(),
        Some(ns) if ns < 1_000.0 => format!("{ns:.1} ns"),
        Some(ns) if ns < 1_000_000.0 => format!("{:.2} µs", ns / 1_000.0),
        Some(ns) => format!("{:.2} ms", ns / 1_000_000.0),
    }
}

/// Finds every `new/benchmark.json` with its `new/estimates.json` below `dir`.
fn collect(dir: &Path, out: &mut Vec<Measured>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path: PathBuf = entry.path();
        if !path.is_dir() {
            continue;
        }
        if path.file_name().is_some_and(|n| n == "new") {
            let read = |name: &str| -> Option<Value> {
                serde_json::from_str(&fs::read_to_string(path.join(name)).ok()?).ok()
            };
            if let (Some(bench), Some(estimates)) = (read("benchmark.json"), read("estimates.json"))
            {
                let text = |key: &str| bench[key].as_str().unwrap_or_default().to_owned();
                if let Some(median_ns) = estimates["median"]["point_estimate"].as_f64() {
                    out.push(Measured {
                        group: text("group_id"),
                        function: text("function_id"),
                        input: text("value_str"),
                        median_ns,
                    });
                }
            }
        } else {
            collect(&path, out);
        }
    }
}
