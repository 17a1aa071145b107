//! The EIP-712 type grammar: parsing type names, resolving struct references, and the
//! `encodeType` / `typeHash` of each struct.

use std::collections::{BTreeMap, HashSet};

use sha3::{Digest, Keccak256};

use super::cache;
use super::error::Eip712Error;
use super::{MAX_DEPTH, MAX_ENCODE_TYPE_BYTES, MAX_STRUCT_TYPES};

/// One field of a struct type as written: a name and a type name such as `uint256`,
/// `Person[]` or `bytes32[][2]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The field's name: an identifier, `[A-Za-z_$][A-Za-z0-9_$]*` (checked when typed
    /// data is built from it).
    pub name: String,
    /// The field's type name.
    pub type_name: String,
}

impl Field {
    /// A field with the given name and type name.
    pub fn new(name: impl Into<String>, type_name: impl Into<String>) -> Self {
        Field {
            name: name.into(),
            type_name: type_name.into(),
        }
    }
}

/// Struct type definitions, as in the `types` member of `eth_signTypedData_v4` JSON.
///
/// ```
/// use auth_signing::eip712::Types;
/// let types = Types::new()
///     .with_struct("Person", [("name", "string"), ("wallet", "address")])
///     .with_struct("Mail", [("from", "Person"), ("to", "Person"), ("contents", "string")]);
/// assert_eq!(types.get("Mail").map(|f| f.len()), Some(3));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Types {
    pub(crate) structs: BTreeMap<String, Vec<Field>>,
}

impl Types {
    /// No types yet.
    pub fn new() -> Self {
        Types::default()
    }

    /// Adds (or replaces) a struct type from `(field name, type name)` pairs, in order.
    pub fn with_struct<N, T>(
        mut self,
        name: impl Into<String>,
        fields: impl IntoIterator<Item = (N, T)>,
    ) -> Self
    where
        N: Into<String>,
        T: Into<String>,
    {
        self.insert(
            name,
            fields.into_iter().map(|(n, t)| Field::new(n, t)).collect(),
        );
        self
    }

    /// Adds (or replaces) a struct type.
    pub fn insert(&mut self, name: impl Into<String>, fields: Vec<Field>) {
        self.structs.insert(name.into(), fields);
    }

    /// The fields of a struct type, if defined.
    pub fn get(&self, name: &str) -> Option<&[Field]> {
        self.structs.get(name).map(Vec::as_slice)
    }
}

/// Struct definitions borrowed from the input (JSON text, a JSON value or [`Types`]),
/// sorted by name with one definition per name, ready for [`Resolved::resolve`].
pub(crate) struct TypeDefs<'a> {
    defs: Vec<(&'a str, Vec<(&'a str, &'a str)>)>,
}

impl<'a> TypeDefs<'a> {
    /// Definitions already sorted by name, each name once.
    pub(crate) fn from_sorted(defs: Vec<(&'a str, Vec<(&'a str, &'a str)>)>) -> Self {
        debug_assert!(defs.windows(2).all(|w| w[0].0 < w[1].0));
        TypeDefs { defs }
    }

    /// Borrows the definitions of [`Types`] (a sorted map already).
    pub(crate) fn from_types(types: &'a Types) -> Self {
        TypeDefs {
            defs: types
                .structs
                .iter()
                .map(|(name, fields)| {
                    let fields = fields
                        .iter()
                        .map(|f| (f.name.as_str(), f.type_name.as_str()))
                        .collect();
                    (name.as_str(), fields)
                })
                .collect(),
        }
    }

    fn position(&self, name: &str) -> Result<usize, usize> {
        self.defs.binary_search_by(|(n, _)| (*n).cmp(name))
    }

    /// The fields of a struct type, if defined.
    pub(crate) fn get(&self, name: &str) -> Option<&[(&'a str, &'a str)]> {
        self.position(name).ok().map(|i| self.defs[i].1.as_slice())
    }

    /// Adds a definition under a name that is not defined yet.
    pub(crate) fn insert_new(&mut self, name: &'a str, fields: Vec<(&'a str, &'a str)>) {
        if let Err(at) = self.position(name) {
            self.defs.insert(at, (name, fields));
        }
    }
}

/// A parsed, resolved type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    Bool,
    Address,
    String,
    Bytes,
    /// `bytesN`, 1 <= N <= 32.
    FixedBytes(usize),
    /// `uintN`, N bits.
    Uint(u32),
    /// `intN`, N bits.
    Int(u32),
    /// Index into [`Resolved::structs`].
    Struct(usize),
    /// `T[]` (`len` None) or `T[n]`.
    Array {
        elem: Box<Kind>,
        len: Option<usize>,
    },
}

/// A struct type with its fields resolved and its type hash computed once.
///
/// Names are kept in one string, the struct's own part of `encodeType`
/// (`Name(type name,...)`), which fields index into.
#[derive(Debug, Clone)]
pub(crate) struct StructDef {
    definition: String,
    name_len: usize,
    pub(crate) fields: Vec<ResolvedField>,
    pub(crate) type_hash: [u8; 32],
}

impl StructDef {
    /// The struct's name.
    pub(crate) fn name(&self) -> &str {
        &self.definition[..self.name_len]
    }

    /// `Name(type name,...)`.
    pub(crate) fn definition(&self) -> &str {
        &self.definition
    }

    /// A field's name.
    pub(crate) fn field_name(&self, field: &ResolvedField) -> &str {
        &self.definition[field.name.0..field.name.1]
    }

    /// A field's type name.
    pub(crate) fn field_type(&self, field: &ResolvedField) -> &str {
        &self.definition[field.type_name.0..field.type_name.1]
    }

    /// The index of the field with this name.
    pub(crate) fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| self.field_name(f) == name)
    }
}

/// A field of a [`StructDef`]: where its name and type name are in the definition, and
/// its parsed type.
#[derive(Debug, Clone)]
pub(crate) struct ResolvedField {
    name: (usize, usize),
    type_name: (usize, usize),
    pub(crate) kind: Kind,
}

/// The struct types reachable from some roots, each with an index.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub(crate) structs: Vec<StructDef>,
    /// Struct ids sorted by name.
    by_name: Vec<usize>,
}

impl Resolved {
    /// Resolves every struct reachable from `roots` (which must be defined in `types`).
    /// Works with an explicit work list, so a long chain of types cannot overflow the stack.
    /// `known_hash` may supply the type hash of a struct whose `encodeType` is its own
    /// definition (no struct fields), from a cache.
    pub(crate) fn resolve(
        types: &TypeDefs<'_>,
        roots: &[&str],
        known_hash: &dyn Fn(&str) -> Option<[u8; 32]>,
    ) -> Result<Resolved, Eip712Error> {
        // The struct id given to each definition (by its index in `types`), and the
        // definition index of each id handed out; a struct is resolved when `structs`
        // reaches its id.
        let mut id_of: Vec<Option<usize>> = vec![None; types.defs.len()];
        let mut order: Vec<usize> = Vec::new();
        for root in roots {
            if let Ok(def) = types.position(root)
                && id_of[def].is_none()
            {
                id_of[def] = Some(order.len());
                order.push(def);
            }
        }
        let mut structs: Vec<StructDef> = Vec::with_capacity(order.len());
        while structs.len() < order.len() {
            let (name, raw_fields) = &types.defs[order[structs.len()]];
            check_struct_name(name)?;
            // Duplicate names: a scan of the earlier fields for the usual short structs, a
            // set for long ones, so hostile input stays linear.
            let mut seen =
                (raw_fields.len() > 16).then(|| HashSet::with_capacity(raw_fields.len()));
            let def_len = name.len()
                + 2
                + raw_fields
                    .iter()
                    .map(|(n, t)| n.len() + t.len() + 2)
                    .sum::<usize>();
            let mut definition = String::with_capacity(def_len);
            definition.push_str(name);
            definition.push('(');
            let mut fields = Vec::with_capacity(raw_fields.len());
            for (i, (field_name, type_name)) in raw_fields.iter().enumerate() {
                if !is_identifier(field_name, true) {
                    return Err(Eip712Error::InvalidFieldName {
                        path: format!("types.{name}[{i}].name"),
                        field: (*field_name).to_owned(),
                    });
                }
                let duplicate = match &mut seen {
                    Some(seen) => !seen.insert(*field_name),
                    None => raw_fields[..i].iter().any(|(n, _)| n == field_name),
                };
                if duplicate {
                    return Err(Eip712Error::DuplicateField {
                        path: format!("types.{name}"),
                        field: (*field_name).to_owned(),
                    });
                }
                let path = || format!("types.{name}[{i}].type");
                let kind = parse_type(type_name, path, |base| {
                    let def = types.position(base).ok()?;
                    Some(*id_of[def].get_or_insert_with(|| {
                        order.push(def);
                        order.len() - 1
                    }))
                })?;
                if order.len() > MAX_STRUCT_TYPES {
                    return Err(Eip712Error::TooManyTypes {
                        limit: MAX_STRUCT_TYPES,
                    });
                }
                if i > 0 {
                    definition.push(',');
                }
                let type_start = definition.len();
                definition.push_str(type_name);
                let type_end = definition.len();
                definition.push(' ');
                definition.push_str(field_name);
                fields.push(ResolvedField {
                    name: (type_end + 1, definition.len()),
                    type_name: (type_start, type_end),
                    kind,
                });
            }
            definition.push(')');
            structs.push(StructDef {
                definition,
                name_len: name.len(),
                fields,
                type_hash: [0; 32],
            });
        }
        let mut by_name: Vec<usize> = (0..structs.len()).collect();
        by_name.sort_by(|a, b| structs[*a].name().cmp(structs[*b].name()));
        let mut resolved = Resolved { structs, by_name };
        // Each type hash covers the struct and all its dependencies, so hostile input
        // could make the total quadratic in its size: bound it, stopping at the first
        // struct over budget (before any more dependency lists are computed). The lists
        // are kept for the type hashes below.
        let mut total = 0usize;
        let mut dependencies: Vec<Vec<usize>> = Vec::with_capacity(resolved.structs.len());
        for id in 0..resolved.structs.len() {
            let deps = resolved.dependencies(id);
            let def_len = |s: usize| resolved.structs[s].definition.len();
            total = deps.iter().fold(total.saturating_add(def_len(id)), |t, d| {
                t.saturating_add(def_len(*d))
            });
            if total > MAX_ENCODE_TYPE_BYTES {
                return Err(Eip712Error::TypesTooLarge {
                    limit: MAX_ENCODE_TYPE_BYTES,
                });
            }
            dependencies.push(deps);
        }
        let mut parts: Vec<&str> = Vec::new();
        let mut hashes = Vec::with_capacity(dependencies.len());
        for (id, deps) in dependencies.iter().enumerate() {
            parts.clear();
            parts.extend(
                std::iter::once(id)
                    .chain(deps.iter().copied())
                    .map(|s| resolved.structs[s].definition()),
            );
            let known = match deps.is_empty() {
                true => known_hash(parts[0]),
                false => None,
            };
            let hash = match known.or_else(|| cache::get(&parts)) {
                Some(hash) => hash,
                None => {
                    let mut hasher = Keccak256::new();
                    for part in &parts {
                        hasher.update(part.as_bytes());
                    }
                    let hash = hasher.finalize().into();
                    cache::put(&parts, hash);
                    hash
                }
            };
            hashes.push(hash);
        }
        for (def, hash) in resolved.structs.iter_mut().zip(hashes) {
            def.type_hash = hash;
        }
        Ok(resolved)
    }

    /// Resolves what a document needs, the domain type and `primary_type` (which must be
    /// defined), and returns them with their ids `(resolved, domain_id, primary_id)`.
    pub(crate) fn for_document(
        defs: &TypeDefs<'_>,
        primary_type: &str,
    ) -> Result<(Resolved, usize, usize), Eip712Error> {
        if defs.get(primary_type).is_none() {
            return Err(Eip712Error::MissingPrimaryType {
                primary_type: primary_type.to_owned(),
            });
        }
        let resolved = Resolved::resolve(
            defs,
            &[super::DOMAIN_TYPE, primary_type],
            &super::domain::canonical_type_hash,
        )?;
        let domain_id = resolved.id(super::DOMAIN_TYPE).unwrap_or(0);
        let primary_id = resolved.id(primary_type).unwrap_or(0);
        Ok((resolved, domain_id, primary_id))
    }

    pub(crate) fn id(&self, name: &str) -> Option<usize> {
        self.by_name
            .binary_search_by(|id| self.structs[*id].name().cmp(name))
            .ok()
            .map(|i| self.by_name[i])
    }

    /// `encodeType(id)`: the struct's own definition, then every struct it references
    /// (directly or not, itself excluded) sorted by name, each as `Name(type name,...)`.
    pub(crate) fn write_encode_type(&self, id: usize, out: &mut dyn FnMut(&str)) {
        self.write_definitions(id, &self.dependencies(id), out);
    }

    /// `encodeType(id)` given its sorted dependencies.
    fn write_definitions(&self, id: usize, dependencies: &[usize], out: &mut dyn FnMut(&str)) {
        for &s in std::iter::once(&id).chain(dependencies) {
            out(&self.structs[s].definition);
        }
    }

    /// The structs `id` references directly or not, itself excluded, sorted by name.
    fn dependencies(&self, id: usize) -> Vec<usize> {
        if self.structs[id]
            .fields
            .iter()
            .all(|f| f.kind.struct_id().is_none())
        {
            return Vec::new();
        }
        let mut seen = vec![false; self.structs.len()];
        seen[id] = true;
        let mut stack = vec![id];
        let mut deps = Vec::new();
        while let Some(cur) = stack.pop() {
            for field in &self.structs[cur].fields {
                if let Some(dep) = field.kind.struct_id()
                    && !seen[dep]
                {
                    seen[dep] = true;
                    deps.push(dep);
                    stack.push(dep);
                }
            }
        }
        deps.sort_by(|a, b| self.structs[*a].name().cmp(self.structs[*b].name()));
        deps
    }
}

impl Kind {
    /// The struct at the bottom of this type, looking through arrays.
    fn struct_id(&self) -> Option<usize> {
        match self {
            Kind::Struct(id) => Some(*id),
            Kind::Array { elem, .. } => elem.struct_id(),
            _ => None,
        }
    }
}

/// Struct names go into `encodeType` verbatim, so they must not contain the characters of
/// its syntax. ASCII identifiers keep the dependency sort order unambiguous too.
///
/// No `$` in struct names, though the EIP's identifiers allow it: viem and eth-sig-util
/// find dependencies with `\w`, which stops at it, so such names hash differently there.
fn check_struct_name(name: &str) -> Result<(), Eip712Error> {
    if is_identifier(name, false) {
        Ok(())
    } else {
        Err(Eip712Error::InvalidType {
            path: format!("types.{name}"),
            type_name: name.to_owned(),
            reason: "struct names must be ASCII identifiers",
        })
    }
}

/// Whether `name` is an ASCII identifier, `[A-Za-z_][A-Za-z0-9_]*`, with `$` allowed
/// wherever `_` is when `dollar` is set. Field names must be identifiers too: they go into
/// `encodeType` verbatim, and a field named `"address,string clientId"` would forge
/// the text of a type with more fields than are signed.
fn is_identifier(name: &str, dollar: bool) -> bool {
    let word = |b: u8| b == b'_' || (dollar && b == b'$') || b.is_ascii_alphabetic();
    match name.as_bytes().split_first() {
        Some((first, rest)) => word(*first) && rest.iter().all(|b| word(*b) || b.is_ascii_digit()),
        None => false,
    }
}

/// Parses a type name. `struct_id` maps a struct name to its index, registering it if it
/// is defined, or returns None for an unknown name.
pub(crate) fn parse_type(
    type_name: &str,
    path: impl Fn() -> String,
    mut struct_id: impl FnMut(&str) -> Option<usize>,
) -> Result<Kind, Eip712Error> {
    let invalid = |reason| Eip712Error::InvalidType {
        path: path(),
        type_name: type_name.to_owned(),
        reason,
    };
    // Peel array suffixes from the right: the last suffix is the outermost array.
    let mut base = type_name;
    let mut dims: Vec<Option<usize>> = Vec::new();
    while let Some(rest) = base.strip_suffix(']') {
        let open = rest.rfind('[').ok_or_else(|| invalid("unbalanced `]`"))?;
        let inside = &rest[open + 1..];
        let len = if inside.is_empty() {
            None
        } else {
            if !inside.bytes().all(|b| b.is_ascii_digit()) || inside.starts_with('0') {
                return Err(invalid("array length must be a positive decimal integer"));
            }
            Some(
                inside
                    .parse::<usize>()
                    .map_err(|_| invalid("array length is too large"))?,
            )
        };
        dims.push(len);
        if dims.len() > MAX_DEPTH {
            return Err(invalid("too many array dimensions"));
        }
        base = &rest[..open];
    }
    let mut kind = match parse_atomic(base) {
        Atomic::Kind(kind) => kind,
        Atomic::Invalid(reason) => return Err(invalid(reason)),
        Atomic::Other => {
            if base.contains(['[', ']', '(', ')', ',', ' ']) || base.is_empty() {
                return Err(invalid("malformed type name"));
            }
            match struct_id(base) {
                Some(id) => Kind::Struct(id),
                None => {
                    return Err(Eip712Error::UnknownType {
                        path: path(),
                        type_name: type_name.to_owned(),
                    });
                }
            }
        }
    };
    for len in dims.into_iter().rev() {
        kind = Kind::Array {
            elem: Box::new(kind),
            len,
        };
    }
    Ok(kind)
}

enum Atomic {
    Kind(Kind),
    Invalid(&'static str),
    Other,
}

fn parse_atomic(base: &str) -> Atomic {
    match base {
        "bool" => return Atomic::Kind(Kind::Bool),
        "address" => return Atomic::Kind(Kind::Address),
        "string" => return Atomic::Kind(Kind::String),
        "bytes" => return Atomic::Kind(Kind::Bytes),
        // Solidity's aliases are not EIP-712 types, and the references disagree on them
        // (one keeps the name `uint` in `encodeType`, one reads it as `uint256`, one
        // refuses it): a signature made with one would not verify with another.
        "uint" => {
            return Atomic::Invalid("the EIP defines no `uint` alias; write uint256");
        }
        "int" => return Atomic::Invalid("the EIP defines no `int` alias; write int256"),
        _ => {}
    }
    let (prefix, digits) = if let Some(d) = base.strip_prefix("uint") {
        ("uint", d)
    } else if let Some(d) = base.strip_prefix("int") {
        ("int", d)
    } else if let Some(d) = base.strip_prefix("bytes") {
        ("bytes", d)
    } else {
        return Atomic::Other;
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        // `uintX`, `bytesFoo`: could be a struct name.
        return Atomic::Other;
    }
    let width = if digits.len() > 3 || digits.starts_with('0') {
        0
    } else {
        digits.parse::<u32>().unwrap_or(0)
    };
    match prefix {
        "bytes" if (1..=32).contains(&width) => Atomic::Kind(Kind::FixedBytes(width as usize)),
        "bytes" => Atomic::Invalid("bytesN needs 1 <= N <= 32"),
        _ if (8..=256).contains(&width) && width % 8 == 0 => {
            if prefix == "uint" {
                Atomic::Kind(Kind::Uint(width))
            } else {
                Atomic::Kind(Kind::Int(width))
            }
        }
        _ => Atomic::Invalid("integer width must be a multiple of 8 from 8 to 256"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Result<Kind, Eip712Error> {
        parse_type(t, || "p".to_owned(), |name| (name == "S").then_some(0))
    }

    #[test]
    fn parses_atomic_and_arrays() {
        assert_eq!(parse("uint8"), Ok(Kind::Uint(8)));
        assert_eq!(parse("int256"), Ok(Kind::Int(256)));
        assert_eq!(parse("bytes32"), Ok(Kind::FixedBytes(32)));
        assert_eq!(parse("bytes1"), Ok(Kind::FixedBytes(1)));
        // `T[][2]` is a fixed array of two dynamic arrays.
        assert_eq!(
            parse("S[][2]"),
            Ok(Kind::Array {
                elem: Box::new(Kind::Array {
                    elem: Box::new(Kind::Struct(0)),
                    len: None
                }),
                len: Some(2)
            })
        );
    }

    #[test]
    fn refuses_invalid_types() {
        for t in [
            "uint7", "uint0", "uint264", "int9", "bytes33", "bytes0", "uint08", "bytes01", "S[x]",
            "S[0]", "S[01]", "S]", "S[-1]", "[]", "uint", "int", "uint[]", "int[3]",
        ] {
            assert!(
                matches!(parse(t), Err(Eip712Error::InvalidType { .. })),
                "{t}: {:?}",
                parse(t)
            );
        }
        assert!(matches!(
            parse("Unknown"),
            Err(Eip712Error::UnknownType { .. })
        ));
        assert!(matches!(
            parse("uintX"),
            Err(Eip712Error::UnknownType { .. })
        ));
        let deep = format!("uint8{}", "[]".repeat(MAX_DEPTH + 1));
        assert!(matches!(parse(&deep), Err(Eip712Error::InvalidType { .. })));
    }

    #[test]
    fn encode_type_sorts_dependencies_and_handles_cycles() {
        let types = Types::new()
            .with_struct(
                "Mail",
                [("from", "Person"), ("to", "Person[]"), ("z", "Asset")],
            )
            .with_struct("Person", [("name", "string"), ("parent", "Person")])
            .with_struct("Asset", [("owner", "Person")])
            .with_struct("Unused", [("x", "nonsense")]);
        let r = Resolved::resolve(&TypeDefs::from_types(&types), &["Mail"], &|_| None).unwrap();
        let mut s = String::new();
        r.write_encode_type(0, &mut |p: &str| s.push_str(p));
        assert_eq!(
            s,
            "Mail(Person from,Person[] to,Asset z)Asset(Person owner)Person(string name,Person parent)"
        );
    }
}
