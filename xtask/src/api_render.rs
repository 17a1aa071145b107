//! The lines of `cargo xtask api`: a walk of rustdoc's JSON from the crate root through
//! public modules and re-exports, one line per public item, with function signatures,
//! fields, variants, trait items and the traits each type implements (not blanket impls).
//! Shapes it does not know are written as their JSON without ids, so nothing is dropped.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::api_types::{bounds, colon_bounds, function, generics, path, ty, wheres};

/// The walk over one crate's rustdoc JSON.
pub(crate) struct Render<'a> {
    index: &'a serde_json::Map<String, Value>,
    root: String,
    lines: BTreeSet<String>,
    seen: BTreeSet<(String, String)>,
}

/// The id of a JSON id value (a number in format 57, a string before).
fn key(id: &Value) -> Option<String> {
    match id {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn items(list: &Value) -> impl Iterator<Item = &Value> {
    list.as_array().into_iter().flatten()
}

impl<'a> Render<'a> {
    /// Reads the index and the root of `doc`.
    pub(crate) fn new(doc: &'a Value) -> Result<Self, String> {
        let index = doc["index"].as_object().ok_or("no index in rustdoc JSON")?;
        let root = key(&doc["root"]).ok_or("no root in rustdoc JSON")?;
        Ok(Render {
            index,
            root,
            lines: BTreeSet::new(),
            seen: BTreeSet::new(),
        })
    }

    /// Every line, sorted.
    pub(crate) fn lines(mut self) -> Vec<String> {
        let root = self.root.clone();
        if let Some(name) = self.item(&root).and_then(|i| i["name"].as_str()) {
            let name = name.to_owned();
            self.module(&root, &name);
        }
        self.lines.into_iter().collect()
    }

    fn item(&self, id: &str) -> Option<&'a Value> {
        self.index.get(id)
    }

    fn add(&mut self, line: String) {
        self.lines.insert(line);
    }

    fn module(&mut self, id: &str, path: &str) {
        let Some(module) = self.item(id) else { return };
        for child in items(&module["inner"]["module"]["items"]) {
            let Some(child) = key(child) else { continue };
            self.public_item(&child, path, None);
        }
    }

    /// A public item `id` under `path`, named `rename` if re-exported under another name.
    fn public_item(&mut self, id: &str, path: &str, rename: Option<&str>) {
        let Some(item) = self.item(id) else { return };
        if item["visibility"] != "public" {
            return;
        }
        let inner = &item["inner"];
        if let Some(import) = inner.get("use") {
            return self.reexport(import, path);
        }
        let Some(name) = rename.or(item["name"].as_str()) else {
            return;
        };
        let full = format!("{path}::{name}");
        if !self.seen.insert((id.to_owned(), full.clone())) {
            return;
        }
        let attrs = attrs_of(item);
        let Some((kind, body)) = inner.as_object().and_then(|o| o.iter().next()) else {
            return;
        };
        match kind.as_str() {
            "module" => {
                self.add(format!("pub mod {full}"));
                self.module(id, &full);
            }
            "function" => self.add(format!("{attrs}{}", function(&full, body))),
            "struct" => self.structure(&full, &attrs, body),
            "enum" => self.enumeration(&full, &attrs, body),
            "trait" => self.traits(&full, &attrs, body),
            "type_alias" => self.add(format!(
                "pub type {full}{} = {}",
                generics(&body["generics"]),
                ty(&body["type"])
            )),
            "constant" => self.add(format!("pub const {full}: {}", ty(&body["type"]))),
            "static" => self.add(format!("pub static {full}: {}", ty(&body["type"]))),
            "macro" | "proc_macro" => self.add(format!("macro {full}!")),
            other => self.add(format!("pub {other} {full}")),
        }
    }

    fn reexport(&mut self, import: &Value, path: &str) {
        let target = import.get("id").and_then(key);
        let local = target.as_deref().and_then(|t| self.item(t));
        match (local, import["is_glob"].as_bool()) {
            (Some(module), Some(true)) if module["inner"].get("module").is_some() => {
                if let Some(target) = target {
                    self.module(&target, path);
                }
            }
            (Some(_), _) => {
                if let Some(target) = target {
                    self.public_item(&target, path, import["name"].as_str());
                }
            }
            // An item of another crate: its path is the API.
            (None, _) => self.add(format!(
                "pub use {path}::{} = {}",
                import["name"].as_str().unwrap_or("*"),
                import["source"].as_str().unwrap_or("?")
            )),
        }
    }

    fn structure(&mut self, full: &str, attrs: &str, body: &Value) {
        let kind = &body["kind"];
        let shape = if kind.get("tuple").is_some() {
            "(..)"
        } else if kind == "unit" {
            ";"
        } else {
            " {..}"
        };
        self.add(format!(
            "{attrs}pub struct {full}{}{shape}",
            generics(&body["generics"])
        ));
        let fields = kind["plain"]["fields"]
            .as_array()
            .or(kind["tuple"].as_array());
        for (n, field) in fields.into_iter().flatten().enumerate() {
            self.field(full, field, n);
        }
        self.impls(full, &body["impls"]);
    }

    fn field(&mut self, owner: &str, id: &Value, position: usize) {
        let Some(field) = key(id).and_then(|id| self.item(&id)) else {
            return;
        };
        if field["visibility"] != "public" {
            return;
        }
        let name = field["name"]
            .as_str()
            .map_or_else(|| position.to_string(), str::to_owned);
        self.add(format!(
            "pub field {owner}::{name}: {}",
            ty(&field["inner"]["struct_field"])
        ));
    }

    fn enumeration(&mut self, full: &str, attrs: &str, body: &Value) {
        self.add(format!(
            "{attrs}pub enum {full}{}",
            generics(&body["generics"])
        ));
        for variant in items(&body["variants"]) {
            let Some(variant) = key(variant).and_then(|id| self.item(&id)) else {
                continue;
            };
            let name = variant["name"].as_str().unwrap_or("?");
            let kind = &variant["inner"]["variant"]["kind"];
            let vattrs = attrs_of(variant);
            let fields: Vec<String> = items(&kind["tuple"])
                .chain(items(&kind["struct"]["fields"]))
                .filter_map(|f| key(f).and_then(|id| self.item(&id)))
                .map(|f| match f["name"].as_str() {
                    Some(n) if kind.get("struct").is_some() => {
                        format!("{n}: {}", ty(&f["inner"]["struct_field"]))
                    }
                    _ => ty(&f["inner"]["struct_field"]),
                })
                .collect();
            let shape = if kind.get("struct").is_some() {
                format!(" {{ {} }}", fields.join(", "))
            } else if kind.get("tuple").is_some() {
                format!("({})", fields.join(", "))
            } else {
                String::new()
            };
            self.add(format!("{vattrs}pub variant {full}::{name}{shape}"));
        }
        self.impls(full, &body["impls"]);
    }

    fn traits(&mut self, full: &str, attrs: &str, body: &Value) {
        let bounds = bounds(&body["bounds"]);
        let colon = if bounds.is_empty() { "" } else { ": " };
        let unsafety = if body["is_unsafe"] == true {
            "unsafe "
        } else {
            ""
        };
        self.add(format!(
            "{attrs}pub {unsafety}trait {full}{}{colon}{bounds}",
            generics(&body["generics"])
        ));
        for member in items(&body["items"]) {
            let Some(member) = key(member).and_then(|id| self.item(&id)) else {
                continue;
            };
            self.member(full, member);
        }
    }

    /// A method, associated type or constant of a trait or an inherent impl.
    fn member(&mut self, owner: &str, member: &Value) {
        let name = member["name"].as_str().unwrap_or("?");
        let full = format!("{owner}::{name}");
        let Some((kind, body)) = member["inner"].as_object().and_then(|o| o.iter().next()) else {
            return;
        };
        let line = match kind.as_str() {
            "function" => function(&full, body),
            "assoc_type" => format!("type {full}{}", colon_bounds(&body["bounds"])),
            "assoc_const" => format!("const {full}: {}", ty(&body["type"])),
            other => format!("{other} {full}"),
        };
        self.add(line);
    }

    fn impls(&mut self, owner: &str, impls: &Value) {
        for id in items(impls) {
            let Some(imp) = key(id).and_then(|id| self.item(&id)) else {
                continue;
            };
            let body = &imp["inner"]["impl"];
            if !body["blanket_impl"].is_null() {
                continue;
            }
            if body["trait"].is_null() {
                for member in items(&body["items"]) {
                    let Some(member) = key(member).and_then(|id| self.item(&id)) else {
                        continue;
                    };
                    if member["visibility"] == "public" {
                        self.member(owner, member);
                    }
                }
                continue;
            }
            let negative = if body["is_negative"] == true { "!" } else { "" };
            self.add(format!(
                "impl{} {negative}{} for {}{}",
                generics(&body["generics"]),
                path(&body["trait"]),
                ty(&body["for"]),
                wheres(&body["generics"])
            ));
        }
    }
}

/// `#[non_exhaustive] ` if the item carries it (the one attribute that is API).
fn attrs_of(item: &Value) -> String {
    let non_exhaustive = items(&item["attrs"]).any(|a| a.to_string().contains("non_exhaustive"));
    if non_exhaustive {
        "#[non_exhaustive] ".to_owned()
    } else {
        String::new()
    }
}
