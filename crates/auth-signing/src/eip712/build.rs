//! From typed data built in Rust ([`Types`], [`Eip712Domain`], [`TypedValue`]) to a checked
//! document, with no JSON in between: what a [`TypedValue`] is as a [`Source`] of the one
//! walk (`walk.rs`).
//!
//! The checks are those of JSON input (ranges, lengths, missing fields, depth, the same
//! errors and paths, done by the same walk), plus two of a value's own: each
//! [`TypedValue`] variant must suit its type, so that `Bytes` in a `string` field cannot
//! sign the text of some hex, and a struct value may not name a field twice.

use super::domain::Eip712Domain;
use super::encode::Document;
use super::error::Eip712Error;
use super::types::{Kind, TypeDefs, Types};
use super::value::TypedValue;
use super::walk::{Atomic, Members, Path, Source, check_document};
use super::words::{address_word, bool_word, hashed_word};

pub(crate) fn build_document(
    domain: &Eip712Domain,
    types: &Types,
    primary_type: &str,
    message: &TypedValue,
) -> Result<Document, Eip712Error> {
    let domain_fields = domain.to_fields();
    check_document(
        TypeDefs::from_types(types),
        primary_type,
        domain_fields.as_slice(),
        message,
    )
}

impl Members<TypedValue> for [(String, TypedValue)] {
    fn get(&self, name: &str) -> Option<&TypedValue> {
        self.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.iter().map(|(n, _)| n.as_str())
    }

    /// The number of fields: [`Self::check_unique`] has refused repeats.
    fn distinct_len(&self) -> usize {
        self.len()
    }

    fn check_unique(&self, at: &Path<'_>) -> Result<(), Eip712Error> {
        for (i, (name, _)) in self.iter().enumerate() {
            if self[..i].iter().any(|(n, _)| n == name) {
                return Err(Eip712Error::DuplicateField {
                    path: at.to_string(),
                    field: name.clone(),
                });
            }
        }
        Ok(())
    }
}

impl Source for TypedValue {
    type Members = [(String, TypedValue)];

    fn members(&self) -> Option<&[(String, TypedValue)]> {
        match self {
            TypedValue::Struct(fields) => Some(fields),
            _ => None,
        }
    }

    fn items(&self) -> Option<&[TypedValue]> {
        match self {
            TypedValue::Array(items) => Some(items),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        false
    }

    fn not_container(&self, kind: &Kind, type_name: &str, at: &Path<'_>) -> Eip712Error {
        wrong_variant(kind, type_name, self, at)
    }

    fn atomic(
        &self,
        kind: &Kind,
        type_name: &str,
        keep: bool,
        at: &Path<'_>,
    ) -> Result<Atomic, Eip712Error> {
        let word = match (kind, self) {
            (Kind::Bool, TypedValue::Bool(b)) => bool_word(*b),
            (
                Kind::Uint(bits) | Kind::Int(bits),
                TypedValue::Integer {
                    negative,
                    magnitude,
                },
            ) => {
                let signed = matches!(kind, Kind::Int(_));
                return at.integer((*bits, signed), type_name, (*negative, *magnitude), keep);
            }
            (Kind::String, TypedValue::String(s)) => hashed_word(s.as_bytes()),
            (Kind::Bytes, TypedValue::Bytes(b)) => hashed_word(b),
            (Kind::FixedBytes(n), TypedValue::Bytes(b)) => {
                if b.len() != *n {
                    return Err(Eip712Error::BytesLength {
                        path: at.to_string(),
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
            (kind, other) => return Err(wrong_variant(kind, type_name, other, at)),
        };
        Ok((word, keep.then(|| self.clone())))
    }
}

/// A variant that does not suit its type, named as Rust names it.
fn wrong_variant(kind: &Kind, type_name: &str, value: &TypedValue, at: &Path<'_>) -> Eip712Error {
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
    at.wrong_kind(type_name, expected, found)
}
