//! `cargo xtask structure`: two rules on the shape of every workspace crate under
//! `crates/` and `examples/`.
//!
//! 1. **File length.** No source file (`src/`, `tests/`, `examples/`, `benches/`, and any
//!    file a target reaches through `mod`) has more than [`MAX_LINES`] lines before its
//!    first line containing `#[cfg(test)]` (the whole file if none).
//! 2. **No import cycle between sibling modules.** In each crate root (the library, each
//!    binary, each `tests/*.rs` or `tests/*/main.rs`, example and bench), at each level of
//!    the module tree, the nodes are the child modules of one module, each counting with
//!    everything inside it. There is an edge `A -> B` when code of `A` (outside
//!    `#[cfg(test)]`) names an item of `B` by a path: `use crate::b::…`, `super::b::…`,
//!    `crate::b::f()` in an expression or a type, or a name the parent (or any module)
//!    re-exports from `B` (`pub use b::X`, also reached through `use super::X`, a glob,
//!    or `crate::X`). A module using its own children, or an item its parent defines
//!    itself, makes no edge. Every cycle of these edges is reported with the lines that
//!    make it (see `structure/resolve.rs` for how paths are followed).
//!
//! The crates and their targets come from `cargo metadata`; files are read with `syn`.

mod cycles;
mod resolve;
mod tree;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::workspace;
use resolve::Edge;
use tree::{ModPath, Tree};

/// The most lines a file may have before its unit tests.
pub(crate) const MAX_LINES: usize = 400;

/// One crate root to check: its label for reports and its file.
struct Root {
    /// `package (kind path)`, e.g. `authctl (test tests/fleet.rs)`.
    label: String,
    /// The root file.
    file: PathBuf,
}

/// Runs both rules over the workspace, prints what breaks them; 1 if anything does.
pub(crate) fn run() -> ExitCode {
    let root = workspace::root();
    let (packages, roots) = match crates(root) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("structure: {e}");
            return ExitCode::from(1);
        }
    };
    let mut files: BTreeSet<PathBuf> = packages.iter().flat_map(|dir| sources(dir)).collect();
    let mut cycles = Vec::new();
    let mut errors = Vec::new();
    let mut seen = BTreeSet::new();
    for krate in &roots {
        let tree = Tree::load(&krate.file);
        files.extend(tree.files.keys().cloned());
        errors.extend(tree.errors.iter().map(|e| relative(root, e)));
        for body in cycle_reports(&tree, &resolve::edges(&tree)) {
            let body = relative(root, &body);
            if seen.insert(body.clone()) {
                cycles.push(format!("{}{body}", krate.label));
            }
        }
    }
    let long: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let text = std::fs::read_to_string(file).ok()?;
            let lines = lines_before_tests(&text);
            (lines > MAX_LINES).then(|| {
                let path = file.strip_prefix(root).unwrap_or(file).display();
                format!("  {path}: {lines} lines")
            })
        })
        .collect();
    let over = format!("more than {MAX_LINES} lines before #[cfg(test)]");
    print_section(&format!("file(s) with {over}"), &long);
    print_section("import cycle(s) between sibling modules", &cycles);
    print_section("file(s) not checked", &errors);
    let violations = long.len() + cycles.len() + errors.len();
    if violations > 0 {
        eprintln!("structure: {violations} violation(s)");
        return ExitCode::from(1);
    }
    println!(
        "structure: ok ({} files, {} crates)",
        files.len(),
        packages.len()
    );
    ExitCode::SUCCESS
}

/// Prints `items` under a heading: how many there are, and `what` they are.
fn print_section(what: &str, items: &[String]) {
    if !items.is_empty() {
        eprintln!("structure: {} {what}:", items.len());
        for item in items {
            eprintln!("{item}");
        }
    }
}

/// `text` with the workspace root taken off the paths in it.
fn relative(root: &Path, text: &str) -> String {
    text.replace(&format!("{}/", root.display()), "")
}

/// The lines of `text` before the first line containing `#[cfg(test)]` (all if none).
pub(crate) fn lines_before_tests(text: &str) -> usize {
    text.lines()
        .position(|line| line.contains("#[cfg(test)]"))
        .unwrap_or_else(|| text.lines().count())
}

/// The directories of the workspace packages under `crates/` and `examples/`, and the
/// root file of each of their targets.
fn crates(root: &Path) -> Result<(Vec<PathBuf>, Vec<Root>), String> {
    let metadata = workspace::metadata("Cargo.toml")?;
    let mut dirs = Vec::new();
    let mut roots = Vec::new();
    for package in workspace::packages(&metadata) {
        let Some(dir) = package["manifest_path"]
            .as_str()
            .and_then(|m| Path::new(m).parent())
        else {
            continue;
        };
        let inside = |top: &str| dir.starts_with(root.join(top));
        if !inside("crates") && !inside("examples") {
            continue;
        }
        dirs.push(dir.to_path_buf());
        let name = package["name"].as_str().unwrap_or("?");
        let targets = package["targets"].as_array().map_or(&[][..], Vec::as_slice);
        let mut files = BTreeMap::new();
        for target in targets {
            let kind = target["kind"][0].as_str().unwrap_or("?");
            if let Some(file) = target["src_path"].as_str() {
                files.entry(PathBuf::from(file)).or_insert(kind);
            }
        }
        for (file, kind) in files {
            let shown = file.strip_prefix(dir).unwrap_or(&file).display();
            roots.push(Root {
                label: format!("  {name} ({kind} {shown}): "),
                file,
            });
        }
    }
    if dirs.is_empty() {
        return Err("cargo metadata lists no crate under crates/ or examples/".to_owned());
    }
    Ok((dirs, roots))
}

/// Every `.rs` file under the `src`, `tests`, `examples` and `benches` of `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending: Vec<PathBuf> = ["src", "tests", "examples", "benches"]
        .iter()
        .map(|d| dir.join(d))
        .collect();
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.flatten().map(|e| e.path()) {
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out
}

/// One report per cycle group of `tree`: the modules, their cycles, and each edge with
/// the lines that make it.
fn cycle_reports(tree: &Tree, edges: &[Edge]) -> Vec<String> {
    let mut levels: BTreeMap<&ModPath, Vec<&Edge>> = BTreeMap::new();
    for edge in edges {
        levels.entry(&edge.parent).or_default().push(edge);
    }
    let mut out = Vec::new();
    for (parent, edges) in levels {
        let pairs = edges.iter().map(|e| (e.from.as_str(), e.to.as_str()));
        for tangle in cycles::tangles(pairs) {
            let mut text = format!(
                "modules {} of `{}`",
                tangle.nodes.join(", "),
                module_name(parent)
            );
            for cycle in &tangle.cycles {
                let _ = write!(text, "\n    cycle: {}", cycle.join(" -> "));
            }
            if tangle.more {
                let _ = write!(text, "\n    (more than {} cycles)", cycles::MAX_CYCLES);
            }
            let inside =
                |e: &&&Edge| tangle.nodes.contains(&e.from) && tangle.nodes.contains(&e.to);
            let mut last = None;
            for edge in edges.iter().filter(inside) {
                if last != Some((&edge.from, &edge.to)) {
                    let _ = write!(text, "\n    {} -> {}:", edge.from, edge.to);
                    last = Some((&edge.from, &edge.to));
                }
                let line = tree
                    .files
                    .get(&edge.site.file)
                    .and_then(|lines| lines.get(edge.site.line.wrapping_sub(1)))
                    .map_or("", String::as_str);
                let _ = write!(
                    text,
                    "\n      {}:{}: {line}",
                    edge.site.file.display(),
                    edge.site.line
                );
            }
            out.push(text);
        }
    }
    out
}

/// `crate`, or `crate::a::b`.
fn module_name(path: &ModPath) -> String {
    std::iter::once("crate")
        .chain(path.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("::")
}

#[cfg(test)]
mod tests;
