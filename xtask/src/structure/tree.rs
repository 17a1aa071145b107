//! The module tree of one crate root, read with `syn`: every module (file or inline), the
//! names it defines, the names its `use` items bring in, and every path its code writes,
//! each with the file and line where it is written.
//!
//! Modules are found by walking `mod` declarations from the root: `mod x;` is `x.rs` or
//! `x/mod.rs` (next to a root or `mod.rs` file, or in the directory named after any other
//! file), `#[path = "…"]` relative to the declaring file's directory, and `mod x { … }`
//! inline. Code under `#[cfg(test)]` is walked for its files but marked as test code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::punctuated::Punctuated;
use syn::visit::Visit;
use syn::{Attribute, Expr, Item, Meta, Token, UseTree};

/// A module's path from the crate root (`[]` is the root, `["a", "b"]` is `crate::a::b`).
pub(crate) type ModPath = Vec<String>;

/// Where something is written: a file and a 1-based line.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Site {
    /// The file.
    pub(crate) file: PathBuf,
    /// The line, from 1.
    pub(crate) line: usize,
}

/// A name a `use` item binds (or a glob it opens), with the path it stands for.
#[derive(Clone, Debug)]
pub(crate) struct Import {
    /// The name bound (`None` for `as _` and for globs).
    pub(crate) name: Option<String>,
    /// The full path: for `use a::b as c` it is `["a", "b"]`; for a glob, the prefix.
    pub(crate) path: Vec<String>,
    /// Whether it is a glob (`use a::*`).
    pub(crate) glob: bool,
    /// Whether it is written inside a function or block (only that code sees it).
    pub(crate) local: bool,
    /// Where it is written.
    pub(crate) site: Site,
}

/// A path written in code (not in a `use` item), with where it is written.
#[derive(Clone, Debug)]
pub(crate) struct PathRef {
    /// Its segments (`crate`, `super` and `self` included as written).
    pub(crate) segments: Vec<String>,
    /// Where it is written.
    pub(crate) site: Site,
}

/// One module: what it defines, imports and refers to.
#[derive(Debug, Default)]
pub(crate) struct Module {
    /// Whether it is test code (`#[cfg(test)]` on it or on a module around it).
    pub(crate) test: bool,
    /// Its child modules' names.
    pub(crate) children: BTreeSet<String>,
    /// The names of the items it defines itself (not modules, not imports).
    pub(crate) items: BTreeSet<String>,
    /// Its `use` items, at module level and inside its functions.
    pub(crate) imports: Vec<Import>,
    /// The paths its code writes outside `use` items.
    pub(crate) paths: Vec<PathRef>,
}

/// The modules of one crate root, and every file read.
#[derive(Debug, Default)]
pub(crate) struct Tree {
    /// Every module, by path.
    pub(crate) modules: BTreeMap<ModPath, Module>,
    /// Every file read, with its lines (for quoting them in reports).
    pub(crate) files: BTreeMap<PathBuf, Vec<String>>,
    /// Files that could not be found or parsed.
    pub(crate) errors: Vec<String>,
}

/// Where the items being read sit: the module, its file, and the directory of its
/// children's files.
#[derive(Clone)]
struct Place {
    /// The module.
    module: ModPath,
    /// The file being read.
    file: PathBuf,
    /// Where `mod x;` looks for `x.rs` and `x/mod.rs`.
    dir: PathBuf,
    /// Whether this is test code.
    test: bool,
}

impl Tree {
    /// Reads the crate whose root file is `root`.
    pub(crate) fn load(root: &Path) -> Tree {
        let mut tree = Tree::default();
        let dir = root.parent().unwrap_or(Path::new(".")).to_path_buf();
        let place = Place {
            module: Vec::new(),
            file: root.to_path_buf(),
            dir,
            test: false,
        };
        tree.read_file(place);
        tree
    }

    /// Reads the file of the module at `place`.
    fn read_file(&mut self, place: Place) {
        if self.files.contains_key(&place.file) {
            return;
        }
        let text = match std::fs::read_to_string(&place.file) {
            Ok(text) => text,
            Err(e) => {
                self.errors
                    .push(format!("{}: cannot read: {e}", place.file.display()));
                return;
            }
        };
        let lines = text.lines().map(|l| l.trim().to_owned()).collect();
        self.files.insert(place.file.clone(), lines);
        match syn::parse_file(&text) {
            Ok(file) => self.read_items(&file.items, &place),
            Err(e) => self.errors.push(format!(
                "{}:{}: cannot parse: {e}",
                place.file.display(),
                e.span().start().line
            )),
        }
    }

    /// Reads the items of the module at `place`.
    fn read_items(&mut self, items: &[Item], place: &Place) {
        self.modules.entry(place.module.clone()).or_default().test = place.test;
        for item in items {
            let test = place.test || is_cfg_test(item_attrs(item));
            match item {
                Item::Mod(m) => self.read_mod(m, place, test),
                Item::Use(u) if !test => {
                    let mut imports = Vec::new();
                    use_leaves(&u.tree, &mut Vec::new(), &place.file, false, &mut imports);
                    self.module(place).imports.extend(imports);
                }
                _ => {
                    if let Some(name) = item_name(item) {
                        self.module(place).items.insert(name);
                    }
                    if !test {
                        let mut collector = Collector {
                            file: &place.file,
                            imports: Vec::new(),
                            paths: Vec::new(),
                        };
                        collector.visit_item(item);
                        let module = self.module(place);
                        module.imports.extend(collector.imports);
                        module.paths.extend(collector.paths);
                    }
                }
            }
        }
    }

    /// The module at `place`.
    fn module(&mut self, place: &Place) -> &mut Module {
        self.modules.entry(place.module.clone()).or_default()
    }

    /// Reads `mod name;` or `mod name { … }` declared at `place`.
    fn read_mod(&mut self, m: &syn::ItemMod, place: &Place, test: bool) {
        let name = m.ident.to_string();
        self.module(place).children.insert(name.clone());
        let mut module = place.module.clone();
        module.push(name.clone());
        let explicit = path_attr(&m.attrs).map(|p| place.dir.join(p));
        if let Some((_, items)) = &m.content {
            let inner = Place {
                module,
                file: place.file.clone(),
                dir: explicit.unwrap_or_else(|| place.dir.join(&name)),
                test,
            };
            self.read_items(items, &inner);
            return;
        }
        let candidates = match explicit {
            Some(file) => vec![(file.clone(), file.parent().map(Path::to_path_buf))],
            None => vec![
                (
                    place.dir.join(format!("{name}.rs")),
                    Some(place.dir.join(&name)),
                ),
                (
                    place.dir.join(&name).join("mod.rs"),
                    Some(place.dir.join(&name)),
                ),
            ],
        };
        let found = candidates.iter().find(|(file, _)| file.is_file());
        let Some((file, Some(dir))) = found else {
            self.errors.push(format!(
                "{}: `mod {name};` has no file ({})",
                place.file.display(),
                candidates[0].0.display()
            ));
            return;
        };
        self.read_file(Place {
            module,
            file: file.clone(),
            dir: dir.clone(),
            test,
        });
    }
}

/// Collects the paths and the `use` items inside one item (functions, impls, …).
struct Collector<'a> {
    /// The file being read.
    file: &'a Path,
    /// `use` items found inside.
    imports: Vec<Import>,
    /// Paths found inside.
    paths: Vec<PathRef>,
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item(&mut self, item: &'ast Item) {
        if !is_cfg_test(item_attrs(item)) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        use_leaves(&u.tree, &mut Vec::new(), self.file, true, &mut self.imports);
    }

    fn visit_item_mod(&mut self, _: &'ast syn::ItemMod) {
        // A module inside a function is rare; its paths are not followed.
    }

    fn visit_attribute(&mut self, _: &'ast Attribute) {}

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if let Some(first) = path.segments.first() {
            let mut segments: Vec<String> =
                path.segments.iter().map(|s| s.ident.to_string()).collect();
            if path.leading_colon.is_some() {
                segments.insert(0, String::new());
            }
            self.paths.push(PathRef {
                segments,
                site: Site {
                    file: self.file.to_path_buf(),
                    line: first.ident.span().start().line,
                },
            });
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        syn::visit::visit_macro(self, mac);
        // `format!`, `assert_eq!`, `write!` and the like take expressions: read them.
        let parser = Punctuated::<Expr, Token![,]>::parse_terminated;
        if let Ok(exprs) = mac.parse_body_with(parser) {
            for expr in &exprs {
                self.visit_expr(expr);
            }
        }
    }
}

/// The leaves of a `use` tree under `prefix`, as imports, into `out`.
fn use_leaves(
    tree: &UseTree,
    prefix: &mut Vec<String>,
    file: &Path,
    local: bool,
    out: &mut Vec<Import>,
) {
    let site = |span: proc_macro2::Span| Site {
        file: file.to_path_buf(),
        line: span.start().line,
    };
    let mut leaf = |name: Option<String>, path: Vec<String>, glob: bool, span| {
        out.push(Import {
            name,
            path,
            glob,
            local,
            site: site(span),
        });
    };
    match tree {
        UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_leaves(&p.tree, prefix, file, local, out);
            prefix.pop();
        }
        UseTree::Name(n) if n.ident == "self" => {
            leaf(
                prefix.last().cloned(),
                prefix.clone(),
                false,
                n.ident.span(),
            );
        }
        UseTree::Name(n) => {
            let mut path = prefix.clone();
            path.push(n.ident.to_string());
            leaf(Some(n.ident.to_string()), path, false, n.ident.span());
        }
        UseTree::Rename(r) => {
            let mut path = prefix.clone();
            if r.ident != "self" {
                path.push(r.ident.to_string());
            }
            let name = Some(r.rename.to_string()).filter(|n| n != "_");
            leaf(name, path, false, r.ident.span());
        }
        UseTree::Glob(g) => leaf(None, prefix.clone(), true, g.star_token.spans[0]),
        UseTree::Group(g) => {
            for tree in &g.items {
                use_leaves(tree, prefix, file, local, out);
            }
        }
    }
}

/// The attributes of an item.
fn item_attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::ExternCrate(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::ForeignMod(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::TraitAlias(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// The name an item defines in its module's namespace, if it defines one.
fn item_name(item: &Item) -> Option<String> {
    let ident = match item {
        Item::Const(i) => &i.ident,
        Item::Enum(i) => &i.ident,
        Item::ExternCrate(i) => i.rename.as_ref().map_or(&i.ident, |(_, r)| r),
        Item::Fn(i) => &i.sig.ident,
        Item::Macro(i) => i.ident.as_ref()?,
        Item::Static(i) => &i.ident,
        Item::Struct(i) => &i.ident,
        Item::Trait(i) => &i.ident,
        Item::TraitAlias(i) => &i.ident,
        Item::Type(i) => &i.ident,
        Item::Union(i) => &i.ident,
        _ => return None,
    };
    Some(ident.to_string())
}

/// Whether the attributes hold `#[cfg(test)]` (or a `cfg` that needs `test`, like
/// `all(test, …)`; `not(test)` does not count).
pub(crate) fn is_cfg_test(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        let Meta::List(list) = &attr.meta else {
            return false;
        };
        let tokens = list.tokens.to_string();
        list.path.is_ident("cfg")
            && (tokens == "test" || (tokens.starts_with("all") && tokens.contains("test")))
            && !tokens.contains("not")
    })
}

/// The file a `#[path = "…"]` attribute names.
fn path_attr(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find_map(|attr| match &attr.meta {
        Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}
