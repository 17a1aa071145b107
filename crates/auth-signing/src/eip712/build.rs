//! From typed data built in Rust ([`Types`], [`Eip712Domain`], [`TypedValue`]) straight to
//! validated, encoded values, with no JSON in between.
//!
//! The checks are those of the JSON parser (ranges, lengths, missing fields, depth, the
//! same errors and paths), plus one of its own: each [`TypedValue`] variant must suit its
//! type, so that `Bytes` in a `string` field cannot sign the text of some hex.

use std::collections::HashSet;

use super::domain::{CANONICAL_DOMAIN, Eip712Domain, inferred_fields};
use super::encode::{Document, Node};
use super::error::Eip712Error;
use super::types::{Kind, Resolved, TypeDefs, Types};
use super::value::TypedValue;
use super::words::{IntegerError, address_word, bool_word, hashed_word, integer_word};
use super::{DOMAIN_TYPE, MAX_DEPTH};

pub(crate) fn build_document(
    domain: &Eip712Domain,
    types: &Types,
    primary_type: &str,
    message: &TypedValue,
) -> Result<Document, Eip712Error> {
    let mut defs = TypeDefs::from_types(types);
    let domain_value = domain.to_value();
    let domain_fields: &[(String, TypedValue)] = match &domain_value {
        TypedValue::Struct(fields) => fields,
        _ => &[],
    };
    let is_set = |name: &str| domain_fields.iter().any(|(n, _)| n == name);
    match defs.get(DOMAIN_TYPE) {
        Some(declared) => {
            // The first key in sorted order, as for a JSON domain.
            let unknown = domain_fields
                .iter()
                .map(|(n, _)| n.as_str())
                .filter(|n| !declared.iter().any(|(name, _)| name == n))
                .min();
            if let Some(field) = unknown {
                return Err(Eip712Error::UnknownDomainField {
                    field: field.to_owned(),
                });
            }
        }
        None => defs.insert_new(DOMAIN_TYPE, inferred_fields(is_set)),
    }
    debug_assert!(
        domain_fields
            .iter()
            .all(|(n, _)| CANONICAL_DOMAIN.iter().any(|(c, _)| c == n))
    );
    let (resolved, domain_id, primary_id) = Resolved::for_document(&defs, primary_type)?;
    drop(defs);

    let mut builder = Builder {
        resolved: &resolved,
        path: String::from("domain"),
    };
    let mut domain_values = Vec::new();
    let domain_nodes =
        builder.struct_fields(domain_id, domain_fields, 1, Some(&mut domain_values))?;
    builder.path = String::from("message");
    let mut message_values = Vec::new();
    let message_nodes = match message {
        TypedValue::Struct(fields) => {
            builder.check_unique(fields)?;
            let nodes = builder.struct_fields(primary_id, fields, 1, Some(&mut message_values))?;
            builder.check_declared(primary_id, fields)?;
            nodes
        }
        other => {
            return Err(builder.wrong_variant(&Kind::Struct(primary_id), primary_type, other));
        }
    };
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

struct Builder<'a> {
    resolved: &'a Resolved,
    /// The path of the value being checked, like `message.to[1].wallet`.
    path: String,
}

impl Builder<'_> {
    fn check_unique(&self, fields: &[(String, TypedValue)]) -> Result<(), Eip712Error> {
        for (i, (name, _)) in fields.iter().enumerate() {
            if fields[..i].iter().any(|(n, _)| n == name) {
                return Err(Eip712Error::DuplicateField {
                    path: self.path.clone(),
                    field: name.clone(),
                });
            }
        }
        Ok(())
    }

    /// Refuses a field of a struct value that its type does not declare, as the JSON
    /// parser does. Called after [`Self::check_unique`] and [`Self::struct_fields`], so
    /// there is one iff the value has more fields than the type.
    fn check_declared(
        &self,
        id: usize,
        fields: &[(String, TypedValue)],
    ) -> Result<(), Eip712Error> {
        let def = &self.resolved.structs[id];
        if fields.len() <= def.fields.len() {
            return Ok(());
        }
        let declared: HashSet<&str> = def.fields.iter().map(|f| def.field_name(f)).collect();
        match fields
            .iter()
            .map(|(name, _)| name.as_str())
            .filter(|name| !declared.contains(name))
            .min()
        {
            Some(name) => Err(Eip712Error::UnknownField {
                path: format!("{}.{name}", self.path),
                type_name: def.name().to_owned(),
            }),
            None => Ok(()),
        }
    }

    /// The fields of a struct value in declared order; with `values`, each atomic field's
    /// value is also kept.
    fn struct_fields(
        &mut self,
        id: usize,
        fields: &[(String, TypedValue)],
        depth: usize,
        mut values: Option<&mut Vec<Option<TypedValue>>>,
    ) -> Result<Vec<Node>, Eip712Error> {
        if depth > MAX_DEPTH {
            return Err(Eip712Error::TooDeep {
                path: self.path.clone(),
                limit: MAX_DEPTH,
            });
        }
        let def = &self.resolved.structs[id];
        let mut nodes = Vec::with_capacity(def.fields.len());
        for field in &def.fields {
            let name = def.field_name(field);
            let type_name = def.field_type(field);
            let len = self.path.len();
            self.path.push('.');
            self.path.push_str(name);
            let value = fields
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v)
                .ok_or_else(|| Eip712Error::MissingField {
                    path: self.path.clone(),
                    type_name: type_name.to_owned(),
                })?;
            let node = self.value(&field.kind, type_name, value, depth)?;
            if let Some(values) = values.as_deref_mut() {
                values.push(match (&node, value) {
                    (
                        Node::Word(_),
                        TypedValue::Integer {
                            negative,
                            magnitude,
                        },
                    ) => Some(TypedValue::Integer {
                        negative: *negative && !magnitude.is_zero(),
                        magnitude: *magnitude,
                    }),
                    (Node::Word(_), v) => Some(v.clone()),
                    _ => None,
                });
            }
            nodes.push(node);
            self.path.truncate(len);
        }
        Ok(nodes)
    }

    fn value(
        &mut self,
        kind: &Kind,
        type_name: &str,
        value: &TypedValue,
        depth: usize,
    ) -> Result<Node, Eip712Error> {
        Ok(Node::Word(match (kind, value) {
            (Kind::Bool, TypedValue::Bool(b)) => bool_word(*b),
            (
                Kind::Uint(bits) | Kind::Int(bits),
                TypedValue::Integer {
                    negative,
                    magnitude,
                },
            ) => {
                let signed = matches!(kind, Kind::Int(_));
                integer_word(*bits, signed, *negative, *magnitude).map_err(|e| match e {
                    IntegerError::Negative => Eip712Error::NegativeUnsigned {
                        path: self.path.clone(),
                        type_name: type_name.to_owned(),
                    },
                    IntegerError::OutOfRange => Eip712Error::IntegerOutOfRange {
                        path: self.path.clone(),
                        type_name: type_name.to_owned(),
                    },
                })?
            }
            (Kind::String, TypedValue::String(s)) => hashed_word(s.as_bytes()),
            (Kind::Bytes, TypedValue::Bytes(b)) => hashed_word(b),
            (Kind::FixedBytes(n), TypedValue::Bytes(b)) => {
                if b.len() != *n {
                    return Err(Eip712Error::BytesLength {
                        path: self.path.clone(),
                        type_name: type_name.to_owned(),
                        expected: *n,
                        found: b.len(),
                    });
                }
                let mut word = [0u8; 32];
                word[..*n].copy_from_slice(b);
                word
            }
            (Kind::Address, TypedValue::Address(a)) => address_word(a),
            (Kind::Struct(id), TypedValue::Struct(fields)) => {
                if depth + 1 > MAX_DEPTH {
                    return Err(Eip712Error::TooDeep {
                        path: self.path.clone(),
                        limit: MAX_DEPTH,
                    });
                }
                self.check_unique(fields)?;
                let nodes = self.struct_fields(*id, fields, depth + 1, None)?;
                self.check_declared(*id, fields)?;
                return Ok(Node::Struct(*id, nodes));
            }
            (Kind::Array { elem, len }, TypedValue::Array(items)) => {
                if let Some(expected) = len
                    && items.len() != *expected
                {
                    return Err(Eip712Error::ArrayLength {
                        path: self.path.clone(),
                        type_name: type_name.to_owned(),
                        expected: *expected,
                        found: items.len(),
                    });
                }
                if depth + 1 > MAX_DEPTH {
                    return Err(Eip712Error::TooDeep {
                        path: self.path.clone(),
                        limit: MAX_DEPTH,
                    });
                }
                let elem_name = type_name
                    .rfind('[')
                    .map_or(type_name, |open| &type_name[..open]);
                let mut nodes = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let len = self.path.len();
                    self.path.push('[');
                    self.path.push_str(&i.to_string());
                    self.path.push(']');
                    nodes.push(self.value(elem, elem_name, item, depth + 1)?);
                    self.path.truncate(len);
                }
                return Ok(Node::Array(nodes));
            }
            (kind, other) => return Err(self.wrong_variant(kind, type_name, other)),
        }))
    }

    fn wrong_variant(&self, kind: &Kind, type_name: &str, value: &TypedValue) -> Eip712Error {
        let expected = match kind {
            Kind::Bool => "TypedValue::Bool",
            Kind::Uint(_) | Kind::Int(_) => "TypedValue::Integer",
            Kind::String => "TypedValue::String",
            Kind::Bytes | Kind::FixedBytes(_) => "TypedValue::Bytes",
            Kind::Address => "TypedValue::Address",
            Kind::Array { .. } => "TypedValue::Array",
            Kind::Struct(_) => "TypedValue::Struct",
        };
        let found = match value {
            TypedValue::Bool(_) => "TypedValue::Bool",
            TypedValue::Integer { .. } => "TypedValue::Integer",
            TypedValue::String(_) => "TypedValue::String",
            TypedValue::Bytes(_) => "TypedValue::Bytes",
            TypedValue::Address(_) => "TypedValue::Address",
            TypedValue::Array(_) => "TypedValue::Array",
            TypedValue::Struct(_) => "TypedValue::Struct",
        };
        Eip712Error::WrongValueKind {
            path: self.path.clone(),
            type_name: type_name.to_owned(),
            expected,
            found,
        }
    }
}
