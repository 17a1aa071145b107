//! Struct types resolved from their definitions: every struct reachable from the roots,
//! each field's parsed type, and the `encodeType` and `typeHash` of each struct.

use std::collections::HashSet;

use sha3::{Digest, Keccak256};

use super::TypeDefs;
use super::name::{Kind, check_struct_name, is_identifier, parse_type};
use crate::eip712::cache;
use crate::eip712::error::Eip712Error;
use crate::eip712::{MAX_ENCODE_TYPE_BYTES, MAX_STRUCT_TYPES};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eip712::types::Types;

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
