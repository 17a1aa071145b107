//! The one walk that checks a document against its types and encodes it, whatever the
//! values are written in: `eth_signTypedData_v4` JSON (a borrowed [`Raw`](super::raw::Raw)
//! tree, read in `parse.rs`) or [`TypedValue`]s built in Rust (`build.rs`).
//!
//! The walk owns everything about structure: the domain type (declared or inferred), the
//! struct and array shapes, missing and undeclared fields, array lengths, the depth
//! bound, integer ranges, the JSON path of each error and which values are kept. A
//! [`Source`] only says what a value is: its members, its items, and the word of an
//! atomic value of a given type. Every check happens here, once: after it, hashing cannot
//! fail.

use std::collections::HashSet;
use std::fmt;

use super::domain::{CANONICAL_DOMAIN, canonical_type_hash, inferred_fields};
use super::encode::{Document, Node};
use super::error::Eip712Error;
use super::number::U256;
use super::types::{Kind, Resolved, TypeDefs};
use super::value::TypedValue;
use super::words::{IntegerError, integer_word};
use super::{DOMAIN_TYPE, MAX_DEPTH};

/// The word of an atomic value, and the value itself when asked for.
pub(crate) type Atomic = ([u8; 32], Option<TypedValue>);

/// A value the walk reads.
pub(crate) trait Source: Sized {
    /// What a struct value holds: its members by name.
    type Members: Members<Self> + ?Sized;

    /// The members, if this is a struct value.
    fn members(&self) -> Option<&Self::Members>;

    /// The items, if this is an array value.
    fn items(&self) -> Option<&[Self]>;

    /// Whether this is JSON `null` (a domain field set to null is as good as absent).
    fn is_null(&self) -> bool;

    /// The error for a value where `kind`, a struct or an array type, wants a struct or
    /// an array that it is not.
    fn not_container(&self, kind: &Kind, type_name: &str, at: &Path<'_>) -> Eip712Error;

    /// The word of a value of the atomic type `kind` and, with `keep`, the value itself.
    fn atomic(
        &self,
        kind: &Kind,
        type_name: &str,
        keep: bool,
        at: &Path<'_>,
    ) -> Result<Atomic, Eip712Error>;
}

/// The members of a struct value.
pub(crate) trait Members<V> {
    /// The value of `name` (the last one, where repeats are allowed).
    fn get(&self, name: &str) -> Option<&V>;

    /// Every name, repeats included.
    fn names(&self) -> impl Iterator<Item = &str>;

    /// How many distinct names there are.
    fn distinct_len(&self) -> usize;

    /// Refuses a name given twice, where a repeat is an error rather than "the last
    /// counts".
    fn check_unique(&self, at: &Path<'_>) -> Result<(), Eip712Error>;
}

/// One step of a path into the document.
#[derive(Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Where the walk is, like `message.to[1].wallet`; written out only for an error.
pub(crate) struct Path<'a> {
    segs: Vec<Seg<'a>>,
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.segs.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => f.write_str(k)?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

impl Path<'_> {
    /// A value of the right kind but the wrong form.
    pub(crate) fn wrong_kind(
        &self,
        type_name: &str,
        expected: &'static str,
        found: &'static str,
    ) -> Eip712Error {
        Eip712Error::WrongValueKind {
            path: self.to_string(),
            type_name: type_name.to_owned(),
            expected,
            found,
        }
    }

    /// An integer outside the range of its type.
    pub(crate) fn out_of_range(&self, type_name: &str) -> Eip712Error {
        Eip712Error::IntegerOutOfRange {
            path: self.to_string(),
            type_name: type_name.to_owned(),
        }
    }

    /// The word of an integer for `uint<bits>` (`signed` false) or `int<bits>` after its
    /// range check, and with `keep` the value (a negative zero kept as zero).
    pub(crate) fn integer(
        &self,
        (bits, signed): (u32, bool),
        type_name: &str,
        (negative, magnitude): (bool, U256),
        keep: bool,
    ) -> Result<Atomic, Eip712Error> {
        let word = integer_word(bits, signed, negative, magnitude).map_err(|e| match e {
            IntegerError::Negative => Eip712Error::NegativeUnsigned {
                path: self.to_string(),
                type_name: type_name.to_owned(),
            },
            IntegerError::OutOfRange => self.out_of_range(type_name),
        })?;
        let kept = keep.then(|| TypedValue::Integer {
            negative: negative && !magnitude.is_zero(),
            magnitude,
        });
        Ok((word, kept))
    }
}

/// Checks and encodes a document: the domain's members against the domain type (the one
/// `defs` declares, else the canonical fields present, in canonical order, as viem and
/// ethers infer it), and the message against `primary_type`.
pub(crate) fn check_document<V: Source>(
    mut defs: TypeDefs<'_>,
    primary_type: &str,
    domain: &V::Members,
    message: &V,
) -> Result<Document, Eip712Error> {
    // The first name (in sorted order, as a JSON map iterates) that the domain type lacks.
    let unknown_domain_field =
        |known: &dyn Fn(&str) -> bool| {
            domain.names().filter(|k| !known(k)).min().map(|field| {
                Eip712Error::UnknownDomainField {
                    field: field.to_owned(),
                }
            })
        };
    match defs.get(DOMAIN_TYPE) {
        Some(fields) => {
            if let Some(e) = unknown_domain_field(&|k| fields.iter().any(|(name, _)| *name == k)) {
                return Err(e);
            }
        }
        None => {
            if let Some(e) =
                unknown_domain_field(&|k| CANONICAL_DOMAIN.iter().any(|(n, _)| *n == k))
            {
                return Err(e);
            }
            let fields = inferred_fields(|name| domain.get(name).is_some_and(|v| !v.is_null()));
            defs.insert_new(DOMAIN_TYPE, fields);
        }
    }
    let (resolved, domain_id, primary_id) = resolve_document(&defs, primary_type)?;
    drop(defs);

    let mut walk = Walk {
        resolved: &resolved,
        path: Path {
            segs: vec![Seg::Key("domain")],
        },
    };
    let mut domain_values = Vec::new();
    let domain_nodes = walk.struct_fields::<V>(domain_id, domain, 1, Some(&mut domain_values))?;
    walk.path.segs = vec![Seg::Key("message")];
    let primary = Kind::Struct(primary_id);
    let members = message.members().ok_or_else(|| {
        message.not_container(&primary, resolved.structs[primary_id].name(), &walk.path)
    })?;
    let mut message_values = Vec::new();
    let message_nodes = walk.structure::<V>(primary_id, members, 1, Some(&mut message_values))?;
    Ok(Document {
        resolved,
        domain_id,
        primary_id,
        domain_nodes,
        message_nodes,
        domain_values,
        message_values,
    })
}

/// Resolves what a document needs, the domain type and `primary_type` (which must be
/// defined), and returns them with their ids `(resolved, domain_id, primary_id)`.
fn resolve_document(
    defs: &TypeDefs<'_>,
    primary_type: &str,
) -> Result<(Resolved, usize, usize), Eip712Error> {
    if defs.get(primary_type).is_none() {
        return Err(Eip712Error::MissingPrimaryType {
            primary_type: primary_type.to_owned(),
        });
    }
    let resolved = Resolved::resolve(defs, &[DOMAIN_TYPE, primary_type], &canonical_type_hash)?;
    let domain_id = resolved.id(DOMAIN_TYPE).unwrap_or(0);
    let primary_id = resolved.id(primary_type).unwrap_or(0);
    Ok((resolved, domain_id, primary_id))
}

struct Walk<'a> {
    resolved: &'a Resolved,
    path: Path<'a>,
}

impl<'a> Walk<'a> {
    fn too_deep(&self) -> Eip712Error {
        Eip712Error::TooDeep {
            path: self.path.to_string(),
            limit: MAX_DEPTH,
        }
    }

    /// A struct value: no name twice (where that is an error), every declared field, and
    /// no member its type does not declare.
    fn structure<V: Source>(
        &mut self,
        id: usize,
        members: &V::Members,
        depth: usize,
        values: Option<&mut Vec<Option<TypedValue>>>,
    ) -> Result<Vec<Node>, Eip712Error> {
        if depth > MAX_DEPTH {
            return Err(self.too_deep());
        }
        members.check_unique(&self.path)?;
        let nodes = self.struct_fields::<V>(id, members, depth, values)?;
        self.check_declared::<V>(id, members)?;
        Ok(nodes)
    }

    /// The fields of a struct value in declared order. With `values`, the value of each
    /// atomic field is also kept (struct and array fields get `None`).
    fn struct_fields<V: Source>(
        &mut self,
        id: usize,
        members: &V::Members,
        depth: usize,
        mut values: Option<&mut Vec<Option<TypedValue>>>,
    ) -> Result<Vec<Node>, Eip712Error> {
        if depth > MAX_DEPTH {
            return Err(self.too_deep());
        }
        let resolved = self.resolved;
        let def = &resolved.structs[id];
        let mut nodes = Vec::with_capacity(def.fields.len());
        if let Some(values) = values.as_deref_mut() {
            values.reserve_exact(def.fields.len());
        }
        for field in &def.fields {
            let name = def.field_name(field);
            let type_name = def.field_type(field);
            self.path.segs.push(Seg::Key(name));
            let value = members.get(name).ok_or_else(|| Eip712Error::MissingField {
                path: self.path.to_string(),
                type_name: type_name.to_owned(),
            })?;
            let (node, kept) =
                self.value(&field.kind, type_name, value, depth, values.is_some())?;
            nodes.push(node);
            if let Some(values) = values.as_deref_mut() {
                values.push(kept);
            }
            self.path.segs.pop();
        }
        Ok(nodes)
    }

    /// Refuses a member of a struct value that its type does not declare, which would go
    /// unsigned. Called after [`Self::struct_fields`] found every declared field (and
    /// field names are unique), so there is one iff the value has more distinct names
    /// than the type has fields. Names the first such member in sorted order, whatever
    /// the member order, so JSON text and a `serde_json::Value` give the same error.
    fn check_declared<V: Source>(
        &self,
        id: usize,
        members: &V::Members,
    ) -> Result<(), Eip712Error> {
        let def = &self.resolved.structs[id];
        if members.distinct_len() <= def.fields.len() {
            return Ok(());
        }
        let declared: HashSet<&str> = def.fields.iter().map(|f| def.field_name(f)).collect();
        match members.names().filter(|k| !declared.contains(k)).min() {
            Some(key) => Err(Eip712Error::UnknownField {
                path: format!("{}.{key}", self.path),
                type_name: def.name().to_owned(),
            }),
            None => Ok(()),
        }
    }

    /// A value of type `kind`, encoded, and with `keep` the value of an atomic one.
    fn value<V: Source>(
        &mut self,
        kind: &Kind,
        type_name: &str,
        value: &V,
        depth: usize,
        keep: bool,
    ) -> Result<(Node, Option<TypedValue>), Eip712Error> {
        match kind {
            Kind::Struct(id) => {
                let members = value
                    .members()
                    .ok_or_else(|| value.not_container(kind, type_name, &self.path))?;
                let nodes = self.structure::<V>(*id, members, depth + 1, None)?;
                Ok((Node::Struct(*id, nodes), None))
            }
            Kind::Array { elem, len } => {
                let items = value
                    .items()
                    .ok_or_else(|| value.not_container(kind, type_name, &self.path))?;
                if let Some(expected) = len
                    && items.len() != *expected
                {
                    return Err(Eip712Error::ArrayLength {
                        path: self.path.to_string(),
                        type_name: type_name.to_owned(),
                        expected: *expected,
                        found: items.len(),
                    });
                }
                if depth + 1 > MAX_DEPTH {
                    return Err(self.too_deep());
                }
                // The element type name is the array's name without its last suffix.
                let elem_name = type_name
                    .rfind('[')
                    .map_or(type_name, |open| &type_name[..open]);
                let mut nodes = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    self.path.segs.push(Seg::Index(i));
                    nodes.push(self.value(elem, elem_name, item, depth + 1, false)?.0);
                    self.path.segs.pop();
                }
                Ok((Node::Array(nodes), None))
            }
            atomic => {
                let (word, kept) = value.atomic(atomic, type_name, keep, &self.path)?;
                Ok((Node::Word(word), kept))
            }
        }
    }
}
