//! Rust syntax for the types, paths, generics and signatures of rustdoc's JSON (format
//! 57, Rust 1.95), for `cargo xtask api`. A shape it does not know is written as its JSON
//! with ids removed (ids change from build to build; the rest is the API).

use serde_json::Value;

fn list(values: &Value, render: impl Fn(&Value) -> String, sep: &str) -> String {
    values
        .as_array()
        .into_iter()
        .flatten()
        .map(render)
        .collect::<Vec<_>>()
        .join(sep)
}

/// The JSON of `value` without its `id` fields.
fn raw(value: &Value) -> String {
    fn strip(value: &Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .filter(|(k, _)| k.as_str() != "id")
                    .map(|(k, v)| (k.clone(), strip(v)))
                    .collect(),
            ),
            Value::Array(values) => Value::Array(values.iter().map(strip).collect()),
            other => other.clone(),
        }
    }
    strip(value).to_string()
}

/// A type.
pub(crate) fn ty(value: &Value) -> String {
    let Some((kind, body)) = value.as_object().and_then(|o| o.iter().next()) else {
        return raw(value);
    };
    match kind.as_str() {
        "resolved_path" => path(body),
        "generic" | "primitive" => body.as_str().unwrap_or("?").to_owned(),
        "tuple" => {
            let inner = list(body, ty, ", ");
            if body.as_array().is_some_and(|a| a.len() == 1) {
                format!("({inner},)")
            } else {
                format!("({inner})")
            }
        }
        "slice" => format!("[{}]", ty(body)),
        "array" => format!(
            "[{}; {}]",
            ty(&body["type"]),
            body["len"].as_str().unwrap_or("?")
        ),
        "infer" => "_".to_owned(),
        "borrowed_ref" => {
            let lifetime = body["lifetime"]
                .as_str()
                .map_or_else(String::new, |l| format!("{l} "));
            let mutable = if body["is_mutable"] == true {
                "mut "
            } else {
                ""
            };
            format!("&{lifetime}{mutable}{}", ty(&body["type"]))
        }
        "raw_pointer" => {
            let mutable = if body["is_mutable"] == true {
                "mut"
            } else {
                "const"
            };
            format!("*{mutable} {}", ty(&body["type"]))
        }
        "impl_trait" => format!("impl {}", bounds(body)),
        "dyn_trait" => {
            let traits = list(&body["traits"], |t| path(&t["trait"]), " + ");
            match body["lifetime"].as_str() {
                Some(lifetime) => format!("dyn {traits} + {lifetime}"),
                None => format!("dyn {traits}"),
            }
        }
        "qualified_path" => {
            let self_type = ty(&body["self_type"]);
            let name = body["name"].as_str().unwrap_or("?");
            if body["trait"].is_null() || body["trait"]["path"] == "" {
                format!("{self_type}::{name}{}", args(&body["args"]))
            } else {
                format!(
                    "<{self_type} as {}>::{name}{}",
                    path(&body["trait"]),
                    args(&body["args"])
                )
            }
        }
        "function_pointer" => format!("fn{}", signature(&body["sig"])),
        _ => raw(value),
    }
}

/// A path with its generic arguments.
pub(crate) fn path(value: &Value) -> String {
    let written = value["path"].as_str().unwrap_or("?");
    // `crate::module::Item` as the source wrote it: the module is private, the name is
    // the API (moving an item between private modules changes no line).
    let written = match written.strip_prefix("crate::") {
        Some(rest) => rest.rsplit("::").next().unwrap_or(rest),
        None => written,
    };
    format!("{written}{}", args(&value["args"]))
}

fn args(value: &Value) -> String {
    if value.is_null() {
        return String::new();
    }
    if let Some(angle) = value.get("angle_bracketed") {
        let mut parts: Vec<String> = angle["args"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|arg| {
                if let Some(t) = arg.get("type") {
                    ty(t)
                } else if let Some(l) = arg["lifetime"].as_str() {
                    l.to_owned()
                } else if arg == "infer" {
                    "_".to_owned()
                } else {
                    raw(arg)
                }
            })
            .collect();
        for constraint in angle["constraints"].as_array().into_iter().flatten() {
            let name = constraint["name"].as_str().unwrap_or("?");
            let binding = &constraint["binding"];
            parts.push(match binding.get("equality") {
                Some(eq) if eq.get("type").is_some() => format!("{name} = {}", ty(&eq["type"])),
                Some(eq) => format!("{name} = {}", raw(eq)),
                None => format!("{name}: {}", bounds(&binding["constraint"])),
            });
        }
        if parts.is_empty() {
            return String::new();
        }
        return format!("<{}>", parts.join(", "));
    }
    if let Some(paren) = value.get("parenthesized") {
        let output = if paren["output"].is_null() {
            String::new()
        } else {
            format!(" -> {}", ty(&paren["output"]))
        };
        return format!("({}){output}", list(&paren["inputs"], ty, ", "));
    }
    raw(value)
}

/// Trait bounds joined with `+`.
pub(crate) fn bounds(value: &Value) -> String {
    list(
        value,
        |bound| {
            if let Some(t) = bound.get("trait_bound") {
                let maybe = if t["modifier"] == "maybe" { "?" } else { "" };
                let hrtb = higher_ranked(&t["generic_params"]);
                format!("{hrtb}{maybe}{}", path(&t["trait"]))
            } else if let Some(l) = bound["outlives"].as_str() {
                l.to_owned()
            } else {
                raw(bound)
            }
        },
        " + ",
    )
}

/// `: bounds`, or nothing.
pub(crate) fn colon_bounds(value: &Value) -> String {
    let b = bounds(value);
    if b.is_empty() { b } else { format!(": {b}") }
}

fn higher_ranked(params: &Value) -> String {
    let names = list(
        params,
        |p| p["name"].as_str().unwrap_or("?").to_owned(),
        ", ",
    );
    if names.is_empty() {
        names
    } else {
        format!("for<{names}> ")
    }
}

/// `<T: Bound, 'a>`, or nothing. Synthetic parameters (`impl Trait` arguments) are left
/// out: they show in the signature.
pub(crate) fn generics(value: &Value) -> String {
    let params: Vec<String> = value["params"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["kind"]["type"]["is_synthetic"] != true)
        .map(|p| {
            let name = p["name"].as_str().unwrap_or("?");
            let kind = &p["kind"];
            if let Some(t) = kind.get("type") {
                let default = if t["default"].is_null() {
                    String::new()
                } else {
                    format!(" = {}", ty(&t["default"]))
                };
                format!("{name}{}{default}", colon_bounds(&t["bounds"]))
            } else if let Some(c) = kind.get("const") {
                format!("const {name}: {}", ty(&c["type"]))
            } else {
                let outlives = list(
                    &kind["lifetime"]["outlives"],
                    |l| l.as_str().unwrap_or("?").to_owned(),
                    " + ",
                );
                if outlives.is_empty() {
                    name.to_owned()
                } else {
                    format!("{name}: {outlives}")
                }
            }
        })
        .collect();
    if params.is_empty() {
        String::new()
    } else {
        format!("<{}>", params.join(", "))
    }
}

/// ` where …`, or nothing.
pub(crate) fn wheres(value: &Value) -> String {
    let predicates = list(
        &value["where_predicates"],
        |p| {
            if let Some(b) = p.get("bound_predicate") {
                format!(
                    "{}{}: {}",
                    higher_ranked(&b["generic_params"]),
                    ty(&b["type"]),
                    bounds(&b["bounds"])
                )
            } else if let Some(l) = p.get("lifetime_predicate") {
                let outlives = list(
                    &l["outlives"],
                    |o| o.as_str().unwrap_or("?").to_owned(),
                    " + ",
                );
                format!("{}: {outlives}", l["lifetime"].as_str().unwrap_or("?"))
            } else {
                raw(p)
            }
        },
        ", ",
    );
    if predicates.is_empty() {
        predicates
    } else {
        format!(" where {predicates}")
    }
}

/// `(a: A, b: B) -> C`.
fn signature(sig: &Value) -> String {
    let inputs = list(
        &sig["inputs"],
        |input| {
            let name = input[0].as_str().unwrap_or("_");
            format!("{name}: {}", ty(&input[1]))
        },
        ", ",
    );
    let output = if sig["output"].is_null() {
        String::new()
    } else {
        format!(" -> {}", ty(&sig["output"]))
    };
    format!("({inputs}){output}")
}

/// `pub [const] [async] [unsafe] fn path<G>(args) -> R where …`.
pub(crate) fn function(full: &str, body: &Value) -> String {
    let header = &body["header"];
    let mut qualifiers = String::new();
    for (flag, word) in [
        ("is_const", "const "),
        ("is_async", "async "),
        ("is_unsafe", "unsafe "),
    ] {
        if header[flag] == true {
            qualifiers.push_str(word);
        }
    }
    format!(
        "pub {qualifiers}fn {full}{}{}{}",
        generics(&body["generics"]),
        signature(&body["sig"]),
        wheres(&body["generics"])
    )
}
