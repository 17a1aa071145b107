//! The layer diagram of ARCHITECTURE.md, checked against the crates' manifests: every
//! arrow is a direct normal dependency, and every such dependency is an arrow.
//!
//! The diagram is the first fenced block after `## Layers`. A line `name ───► a, b,` starts
//! an entry (text in parentheses is a comment); a following line that starts with blanks
//! continues its list; a line `other ─┘  c` adds `other` as a second crate with the same
//! list (and continues it). A line with a name and no arrow is a crate with no workspace
//! dependency. A name is a package's name or its directory's (`examples`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

/// Crate → the workspace crates it depends on, as a diagram or a manifest says.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// Drops `(comments)`.
fn without_comments(line: &str) -> String {
    let mut out = String::new();
    let mut depth = 0_usize;
    for c in line.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The crate names in `text`.
fn names(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .filter(|word| word.starts_with(|c: char| c.is_ascii_lowercase()))
        .map(str::to_owned)
}

/// The diagram's arrows, from the text of ARCHITECTURE.md.
fn parse(architecture: &str) -> Result<Graph, String> {
    let after = architecture
        .split_once("## Layers")
        .ok_or("ARCHITECTURE.md has no `## Layers` section")?
        .1;
    let block = after
        .split("```")
        .nth(1)
        .ok_or("the `## Layers` section has no fenced diagram")?;
    let mut graph = Graph::new();
    let mut group: Vec<String> = Vec::new();
    for raw in block.lines().skip(1) {
        let line = without_comments(raw);
        if line.trim().is_empty() {
            continue;
        }
        let continues = line.starts_with(' ');
        let (sources, targets) = match line.split_once('►') {
            Some((left, right)) => {
                group.clear();
                (left.to_owned(), right.to_owned())
            }
            None if continues => (String::new(), line.clone()),
            None => match line.find(['┘', '┴', '┤']) {
                Some(at) => (line[..at].to_owned(), line[at..].to_owned()),
                None => {
                    group.clear();
                    (line.clone(), String::new())
                }
            },
        };
        group.extend(names(&sources));
        let targets: Vec<String> = names(&targets).collect();
        let mut shared: BTreeSet<String> = group
            .first()
            .and_then(|first| graph.get(first))
            .cloned()
            .unwrap_or_default();
        shared.extend(targets);
        for source in &group {
            graph.insert(source.clone(), shared.clone());
        }
    }
    if graph.is_empty() {
        return Err("the layer diagram names no crate".to_owned());
    }
    Ok(graph)
}

/// The direct normal dependencies between the workspace's crates (all features), named
/// as the diagram may name them; `auth-test-support` and `xtask` are left out.
fn manifests(metadata: &Value, root: &Path) -> Graph {
    let packages = crate::workspace::packages(metadata);
    let mut alias = BTreeMap::new();
    for package in packages {
        let Some(name) = package["name"].as_str() else {
            continue;
        };
        let dir = package["manifest_path"]
            .as_str()
            .map(Path::new)
            .and_then(Path::parent)
            .and_then(|dir| dir.strip_prefix(root).ok())
            .map(|dir| dir.to_string_lossy().into_owned())
            .unwrap_or_default();
        // A crate at the root of the workspace (`examples`) goes by its directory.
        let shown = if dir.contains('/') || dir.is_empty() {
            name.to_owned()
        } else {
            dir
        };
        alias.insert(name.to_owned(), shown);
    }
    let skipped = ["auth-test-support", "xtask"];
    let mut graph = Graph::new();
    for package in packages {
        let Some(name) = package["name"].as_str() else {
            continue;
        };
        if skipped.contains(&name) {
            continue;
        }
        let dependencies = package["dependencies"]
            .as_array()
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter(|d| d["kind"].is_null())
            .filter_map(|d| d["name"].as_str())
            .filter_map(|d| alias.get(d).cloned())
            .collect();
        graph.insert(alias[name].clone(), dependencies);
    }
    graph
}

/// What differs between the diagram and the manifests, one line each.
fn differences(diagram: &Graph, manifests: &Graph) -> Vec<String> {
    let mut found = Vec::new();
    for (krate, wanted) in manifests {
        let Some(drawn) = diagram.get(krate) else {
            found.push(format!("{krate} is not in the diagram"));
            continue;
        };
        for missing in wanted.difference(drawn) {
            found.push(format!("{krate} depends on {missing}: no arrow"));
        }
        for extra in drawn.difference(wanted) {
            found.push(format!("{krate} ──► {extra}: no such dependency"));
        }
    }
    for krate in diagram.keys().filter(|k| !manifests.contains_key(*k)) {
        found.push(format!("{krate} is drawn but is no workspace crate"));
    }
    found
}

/// Checks the diagram; says what differs.
pub(crate) fn check(root: &Path) -> bool {
    let result = std::fs::read_to_string(root.join("ARCHITECTURE.md"))
        .map_err(|e| format!("cannot read ARCHITECTURE.md: {e}"))
        .and_then(|text| parse(&text))
        .and_then(|diagram| {
            let metadata = crate::workspace::metadata("Cargo.toml")?;
            Ok(differences(&diagram, &manifests(&metadata, root)))
        });
    match result {
        Ok(found) if found.is_empty() => {
            eprintln!("==> layers: the diagram of ARCHITECTURE.md is the crates' dependencies");
            true
        }
        Ok(found) => {
            for line in found {
                eprintln!("==> layers: ARCHITECTURE.md's diagram: {line}");
            }
            false
        }
        Err(e) => {
            eprintln!("==> layers: {e}");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "# A\n\n## Layers\n\ntext\n\n```\napp (CLI) ───► lib-a, lib-b,\n               core\nlib-a ─┬──► core (a comment, with lib-b)\nlib-b ─┘    base\ncore\n```\n";

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn entries_continuations_shared_arrows_and_comments() {
        let graph = parse(PAGE).unwrap();
        assert_eq!(graph["app"], set(&["lib-a", "lib-b", "core"]));
        assert_eq!(graph["lib-a"], set(&["core", "base"]));
        assert_eq!(graph["lib-b"], set(&["core", "base"]));
        assert_eq!(graph["core"], set(&[]));
        assert_eq!(graph.len(), 4);
    }

    #[test]
    fn every_difference_is_named() {
        let drawn = parse(PAGE).unwrap();
        let mut real = drawn.clone();
        real.get_mut("app").unwrap().remove("core");
        real.get_mut("lib-b").unwrap().insert("app".to_owned());
        real.insert("new".to_owned(), set(&[]));
        real.remove("core");
        let found = differences(&drawn, &real);
        assert_eq!(
            found,
            [
                "app ──► core: no such dependency",
                "lib-b depends on app: no arrow",
                "new is not in the diagram",
                "core is drawn but is no workspace crate",
            ]
        );
        assert!(differences(&drawn, &drawn).is_empty());
    }

    #[test]
    fn a_page_without_the_diagram_is_an_error() {
        assert!(parse("# A\n").is_err());
        assert!(parse("## Layers\nno block").is_err());
    }
}
