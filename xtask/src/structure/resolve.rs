//! Which module each path of a crate refers to, and so the edges between sibling modules.
//!
//! A path is followed segment by segment from where it starts (`crate`, `self`, `super`,
//! or a name in scope): through child modules, and through `use` items (a name a module
//! imports, or re-exports, stands for what its path names; globs are searched too). It
//! ends at the module that defines the item named, or at a module. Names that are not
//! the crate's (other crates, the prelude, local variables) end nowhere.
//!
//! The edge of a reference from module `M` to module `T` sits at their deepest common
//! ancestor `P`: from `M`'s ancestor just below `P` to `T`'s. A reference to `M` itself,
//! to a module inside `M` or to an item an ancestor of `M` defines has no edge.

use super::tree::{Import, ModPath, Module, Site, Tree};

/// How deep imports are followed (a `use` naming another `use` and so on).
const MAX_DEPTH: u32 = 24;

/// What a path names.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    /// A module of the crate.
    Module(ModPath),
    /// An item defined in this module of the crate.
    Item(ModPath),
}

impl Target {
    /// The module it is, or the module whose item it is.
    fn module(&self) -> &ModPath {
        match self {
            Target::Module(m) | Target::Item(m) => m,
        }
    }
}

/// A dependency between two sibling modules, and where it is written.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Edge {
    /// The parent of both modules.
    pub(crate) parent: ModPath,
    /// The module that refers.
    pub(crate) from: String,
    /// The module referred to.
    pub(crate) to: String,
    /// The reference.
    pub(crate) site: Site,
}

/// Every edge between sibling modules of `tree`, from code outside `#[cfg(test)]`.
pub(crate) fn edges(tree: &Tree) -> Vec<Edge> {
    let mut out = Vec::new();
    for (path, module) in &tree.modules {
        if module.test {
            continue;
        }
        for import in &module.imports {
            let target = resolve(tree, path, &import.path, false, 0);
            push_edge(&mut out, path, target, &import.site);
        }
        for path_ref in &module.paths {
            let segments = &path_ref.segments;
            let target = if segments.len() == 1 {
                // A bare name: only a glob can bring it from elsewhere (an explicit import
                // has its own edge, at its `use` line).
                if binds(module, &segments[0]) {
                    continue;
                }
                from_globs(tree, path, &segments[0], true, 0)
            } else {
                let target = resolve(tree, path, segments, true, 0);
                if first_import_edge(tree, path, module, &segments[0])
                    == target.as_ref().and_then(|t| edge(path, t.module()))
                {
                    continue; // the same edge as the `use` line that brought the name
                }
                target
            };
            push_edge(&mut out, path, target, &path_ref.site);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Adds the edge of a reference from `from` to `target`, if it has one.
fn push_edge(out: &mut Vec<Edge>, from: &ModPath, target: Option<Target>, site: &Site) {
    if let Some((parent, a, b)) = target.and_then(|t| edge(from, t.module())) {
        out.push(Edge {
            parent,
            from: a,
            to: b,
            site: site.clone(),
        });
    }
}

/// The edge of a reference from module `from` to module `to`: their common ancestor and
/// the two siblings below it.
fn edge(from: &ModPath, to: &ModPath) -> Option<(ModPath, String, String)> {
    let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
    if common == from.len() || common == to.len() {
        return None;
    }
    Some((
        from[..common].to_vec(),
        from[common].clone(),
        to[common].clone(),
    ))
}

/// Whether `name` is a child module, an item or an explicitly imported name of `module`.
fn binds(module: &Module, name: &str) -> bool {
    module.children.contains(name)
        || module.items.contains(name)
        || module
            .imports
            .iter()
            .any(|i| i.name.as_deref() == Some(name))
}

/// The edge the explicit import of `name` in `module` (at `path`) makes, if any.
fn first_import_edge(
    tree: &Tree,
    path: &ModPath,
    module: &Module,
    name: &str,
) -> Option<(ModPath, String, String)> {
    let import = module
        .imports
        .iter()
        .find(|i| !i.glob && i.name.as_deref() == Some(name))?;
    let target = resolve(tree, path, &import.path, false, 0)?;
    edge(path, target.module())
}

/// What `segments`, written in module `from`, names (`local`: with the imports inside
/// functions in scope).
fn resolve(
    tree: &Tree,
    from: &ModPath,
    segments: &[String],
    local: bool,
    depth: u32,
) -> Option<Target> {
    let (first, rest) = segments.split_first()?;
    let mut current = match first.as_str() {
        "crate" => Vec::new(),
        "self" => from.clone(),
        "super" => {
            let mut m = from.clone();
            m.pop()?;
            m
        }
        "" | "Self" => return None,
        name => match lookup(tree, from, name, local, depth)? {
            Target::Module(m) => m,
            item => return Some(item),
        },
    };
    for segment in rest {
        if segment == "super" {
            current.pop()?;
            continue;
        }
        match lookup(tree, &current, segment, false, depth) {
            Some(Target::Module(m)) => current = m,
            Some(item) => return Some(item),
            // Not found (made by a macro, say): taken as an item of this module.
            None => return Some(Target::Item(current)),
        }
    }
    Some(Target::Module(current))
}

/// What `name` means in module `at`: a child module, an item defined there, or what an
/// import there names.
fn lookup(tree: &Tree, at: &ModPath, name: &str, local: bool, depth: u32) -> Option<Target> {
    if depth > MAX_DEPTH {
        return None;
    }
    let module = tree.modules.get(at)?;
    if module.children.contains(name) {
        let mut child = at.clone();
        child.push(name.to_owned());
        return Some(Target::Module(child));
    }
    if module.items.contains(name) {
        return Some(Target::Item(at.clone()));
    }
    let visible = |i: &&Import| local || !i.local;
    if let Some(import) = module
        .imports
        .iter()
        .filter(visible)
        .find(|i| !i.glob && i.name.as_deref() == Some(name))
    {
        return resolve(tree, at, &import.path, false, depth + 1);
    }
    from_globs(tree, at, name, local, depth + 1)
}

/// What `name` means in module `at` through its glob imports.
fn from_globs(tree: &Tree, at: &ModPath, name: &str, local: bool, depth: u32) -> Option<Target> {
    let module = tree.modules.get(at)?;
    module
        .imports
        .iter()
        .filter(|i| i.glob && (local || !i.local))
        .find_map(
            |glob| match resolve(tree, at, &glob.path, false, depth + 1)? {
                Target::Module(source) if &source != at => {
                    lookup(tree, &source, name, false, depth + 1)
                }
                _ => None,
            },
        )
}
