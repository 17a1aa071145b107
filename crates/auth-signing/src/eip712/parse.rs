//! From `eth_signTypedData_v4` JSON (as a borrowed [`Raw`] tree) to validated, encoded
//! values.
//!
//! Every check happens here, once: after parsing, hashing cannot fail.

use std::collections::HashSet;

use sha3::{Digest, Keccak256};

use super::domain::{CANONICAL_DOMAIN, inferred_fields};
use super::encode::{Document, Node};
use super::error::Eip712Error;
use super::number::{ParseU256Error, U256};
use super::raw::{Object, Raw};
use super::types::{Kind, Resolved, TypeDefs};
use super::value::TypedValue;
use super::words::{
    IntegerError, address_word, bool_word, hashed_word, integer_word, parse_address,
};
use super::{DOMAIN_TYPE, MAX_DEPTH};

pub(crate) fn parse_document(doc: &Raw<'_>) -> Result<Document, Eip712Error> {
    let root = doc.as_object().ok_or_else(|| Eip712Error::Shape {
        path: "(root)".to_owned(),
        expected: "a JSON object with types, primaryType, domain and message",
    })?;
    let mut types = parse_types(root.get("types"))?;
    let primary_type = root
        .get("primaryType")
        .and_then(Raw::as_str)
        .ok_or_else(|| Eip712Error::Shape {
            path: "primaryType".to_owned(),
            expected: "a string naming a struct in types",
        })?;
    let domain = root
        .get("domain")
        .and_then(Raw::as_object)
        .ok_or_else(|| Eip712Error::Shape {
            path: "domain".to_owned(),
            expected: "an object",
        })?;
    let message = root.get("message").ok_or_else(|| Eip712Error::Shape {
        path: "message".to_owned(),
        expected: "an object",
    })?;

    // The first key (in sorted order, as a JSON map iterates) that the domain type lacks.
    let unknown_domain_key = |known: &dyn Fn(&str) -> bool| {
        domain
            .keys()
            .filter(|k| !known(k))
            .min()
            .map(|field| Eip712Error::UnknownDomainField {
                field: field.to_owned(),
            })
    };
    match types.get(DOMAIN_TYPE) {
        Some(fields) => {
            if let Some(e) = unknown_domain_key(&|k| fields.iter().any(|(name, _)| *name == k)) {
                return Err(e);
            }
        }
        None => {
            if let Some(e) = unknown_domain_key(&|k| CANONICAL_DOMAIN.iter().any(|(n, _)| *n == k))
            {
                return Err(e);
            }
            // Without `EIP712Domain` in `types`, the domain type is the canonical fields
            // present (not null), in canonical order, as viem and ethers infer it.
            let fields = inferred_fields(|name| domain.get(name).is_some_and(|v| !v.is_null()));
            types.insert_new(DOMAIN_TYPE, fields);
        }
    }
    let (resolved, domain_id, primary_id) = Resolved::for_document(&types, primary_type)?;
    drop(types);

    let mut encoder = Encoder {
        resolved: &resolved,
        path: Vec::new(),
    };
    encoder.path.push(Seg::Key("domain"));
    let mut domain_values = Vec::new();
    let domain_nodes = encoder.struct_fields(domain_id, domain, 1, Some(&mut domain_values))?;
    encoder.path.clear();
    encoder.path.push(Seg::Key("message"));
    let mut message_values = Vec::new();
    let message_nodes = match message {
        Raw::Object(map) => {
            let nodes = encoder.struct_fields(primary_id, map, 1, Some(&mut message_values))?;
            encoder.check_declared(primary_id, map)?;
            nodes
        }
        other => return Err(encoder.struct_mismatch(primary_id, other)),
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

/// The `types` member as borrowed definitions, checked for shape in sorted order.
fn parse_types<'a>(value: Option<&'a Raw<'a>>) -> Result<TypeDefs<'a>, Eip712Error> {
    let shape = |path: String, expected| Eip712Error::Shape { path, expected };
    let map = value
        .and_then(Raw::as_object)
        .ok_or_else(|| shape("types".to_owned(), "an object of struct definitions"))?;
    let entries = map.sorted_entries();
    let mut defs = Vec::with_capacity(entries.len() + 1);
    for (name, fields) in entries {
        let list = match fields {
            Raw::Array(list) => list,
            _ => {
                return Err(shape(
                    format!("types.{name}"),
                    "an array of {name, type} objects",
                ));
            }
        };
        let mut out = Vec::with_capacity(list.len());
        for (i, field) in list.iter().enumerate() {
            let get = |key: &'static str| {
                field
                    .as_object()
                    .and_then(|f| f.get(key))
                    .and_then(Raw::as_str)
                    .ok_or_else(|| shape(format!("types.{name}[{i}].{key}"), "a string"))
            };
            out.push((get("name")?, get("type")?));
        }
        defs.push((name, out));
    }
    Ok(TypeDefs::from_sorted(defs))
}

/// The word of an atomic value, and the value itself when asked for.
type Atomic = ([u8; 32], Option<TypedValue>);

/// One step of a path into the document.
#[derive(Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

struct Encoder<'a> {
    resolved: &'a Resolved,
    path: Vec<Seg<'a>>,
}

impl<'a> Encoder<'a> {
    fn path(&self) -> String {
        let mut out = String::new();
        for (i, seg) in self.path.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => out.push_str(k),
                Seg::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Seg::Index(n) => {
                    out.push('[');
                    out.push_str(&n.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    /// The fields of a struct value in declared order. With `values`, the value of each
    /// atomic field is also kept (struct and array fields get `None`).
    fn struct_fields(
        &mut self,
        id: usize,
        map: &Object<'_>,
        depth: usize,
        mut values: Option<&mut Vec<Option<TypedValue>>>,
    ) -> Result<Vec<Node>, Eip712Error> {
        if depth > MAX_DEPTH {
            return Err(Eip712Error::TooDeep {
                path: self.path(),
                limit: MAX_DEPTH,
            });
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
            self.path.push(Seg::Key(name));
            let value = map.get(name).ok_or_else(|| Eip712Error::MissingField {
                path: self.path(),
                type_name: type_name.to_owned(),
            })?;
            match values.as_deref_mut() {
                Some(values) => {
                    let (node, kept) = match self.atomic(&field.kind, type_name, value, true)? {
                        Some((word, kept)) => (Node::Word(word), kept),
                        None => (self.value(&field.kind, type_name, value, depth)?, None),
                    };
                    nodes.push(node);
                    values.push(kept);
                }
                None => nodes.push(self.value(&field.kind, type_name, value, depth)?),
            }
            self.path.pop();
        }
        Ok(nodes)
    }

    /// Refuses a member of a struct value that its type does not declare, which would go
    /// unsigned. Called after [`Self::struct_fields`] found every declared field (and
    /// field names are unique), so there is one iff the object has more distinct keys
    /// than the type has fields. Names the first such key in sorted order, whatever the
    /// member order, so JSON text and a `serde_json::Value` give the same error.
    fn check_declared(&self, id: usize, map: &Object<'_>) -> Result<(), Eip712Error> {
        let def = &self.resolved.structs[id];
        if map.distinct_len() <= def.fields.len() {
            return Ok(());
        }
        let declared: HashSet<&str> = def.fields.iter().map(|f| def.field_name(f)).collect();
        match map.keys().filter(|k| !declared.contains(k)).min() {
            Some(key) => Err(Eip712Error::UnknownField {
                path: format!("{}.{key}", self.path()),
                type_name: def.name().to_owned(),
            }),
            None => Ok(()),
        }
    }

    fn struct_mismatch(&self, id: usize, value: &Raw<'_>) -> Eip712Error {
        let type_name = self.resolved.structs[id].name().to_owned();
        if value.is_null() {
            Eip712Error::NullStruct {
                path: self.path(),
                type_name,
            }
        } else {
            Eip712Error::WrongValueKind {
                path: self.path(),
                type_name,
                expected: "an object",
                found: value.kind(),
            }
        }
    }

    fn wrong_kind(&self, type_name: &str, expected: &'static str, value: &Raw<'_>) -> Eip712Error {
        Eip712Error::WrongValueKind {
            path: self.path(),
            type_name: type_name.to_owned(),
            expected,
            found: value.kind(),
        }
    }

    fn value(
        &mut self,
        kind: &Kind,
        type_name: &str,
        value: &Raw<'_>,
        depth: usize,
    ) -> Result<Node, Eip712Error> {
        if let Some((word, _)) = self.atomic(kind, type_name, value, false)? {
            return Ok(Node::Word(word));
        }
        Ok(match kind {
            Kind::Struct(id) => match value {
                Raw::Object(map) => {
                    let nodes = self.struct_fields(*id, map, depth + 1, None)?;
                    self.check_declared(*id, map)?;
                    Node::Struct(*id, nodes)
                }
                other => return Err(self.struct_mismatch(*id, other)),
            },
            Kind::Array { elem, len } => {
                let items = match value {
                    Raw::Array(items) => items,
                    other => return Err(self.wrong_kind(type_name, "an array", other)),
                };
                if let Some(expected) = len
                    && items.len() != *expected
                {
                    return Err(Eip712Error::ArrayLength {
                        path: self.path(),
                        type_name: type_name.to_owned(),
                        expected: *expected,
                        found: items.len(),
                    });
                }
                if depth + 1 > MAX_DEPTH {
                    return Err(Eip712Error::TooDeep {
                        path: self.path(),
                        limit: MAX_DEPTH,
                    });
                }
                // The element type name is the array's name without its last suffix.
                let elem_name = type_name
                    .rfind('[')
                    .map_or(type_name, |open| &type_name[..open]);
                let mut nodes = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    self.path.push(Seg::Index(i));
                    nodes.push(self.value(elem, elem_name, item, depth + 1)?);
                    self.path.pop();
                }
                Node::Array(nodes)
            }
            // Atomic kinds were handled above.
            _ => Node::Word([0; 32]),
        })
    }

    /// The word of an atomic value (None for a struct or array type), and with `keep`
    /// the value itself.
    fn atomic(
        &self,
        kind: &Kind,
        type_name: &str,
        value: &Raw<'_>,
        keep: bool,
    ) -> Result<Option<Atomic>, Eip712Error> {
        let kept = |v: TypedValue| keep.then_some(v);
        Ok(Some(match kind {
            Kind::Bool => match value {
                Raw::Bool(b) => (bool_word(*b), kept(TypedValue::Bool(*b))),
                other => return Err(self.wrong_kind(type_name, "true or false", other)),
            },
            // A `string` or `bytes` value is encoded as its hash: hash it now, once, so
            // the node holds its final encoding and no copy of the content is kept.
            Kind::String => match value {
                Raw::Str(s) => (
                    hashed_word(s.as_bytes()),
                    keep.then(|| TypedValue::String(s.as_ref().to_owned())),
                ),
                other => return Err(self.wrong_kind(type_name, "a string", other)),
            },
            Kind::Bytes if keep => {
                let digits = self.hex_digits(type_name, value)?;
                let bytes = hex::decode(digits)
                    .map_err(|_| Eip712Error::InvalidHex { path: self.path() })?;
                (hashed_word(&bytes), Some(TypedValue::Bytes(bytes)))
            }
            Kind::Bytes => (self.hash_hex_bytes(type_name, value)?, None),
            Kind::FixedBytes(n) => {
                let word = self.fixed_bytes(type_name, *n, value)?;
                (word, keep.then(|| TypedValue::Bytes(word[..*n].to_vec())))
            }
            Kind::Address => match value {
                Raw::Str(s) => {
                    let address =
                        parse_address(s).map_err(|source| Eip712Error::InvalidAddress {
                            path: self.path(),
                            source,
                        })?;
                    (address_word(&address), kept(TypedValue::Address(address)))
                }
                other => return Err(self.wrong_kind(type_name, "an address string", other)),
            },
            Kind::Uint(bits) | Kind::Int(bits) => {
                let signed = matches!(kind, Kind::Int(_));
                let (negative, magnitude) = self.integer(type_name, value)?;
                let word =
                    integer_word(*bits, signed, negative, magnitude).map_err(|e| match e {
                        IntegerError::Negative => Eip712Error::NegativeUnsigned {
                            path: self.path(),
                            type_name: type_name.to_owned(),
                        },
                        IntegerError::OutOfRange => self.out_of_range(type_name),
                    })?;
                (
                    word,
                    kept(TypedValue::Integer {
                        negative: negative && !magnitude.is_zero(),
                        magnitude,
                    }),
                )
            }
            Kind::Struct(_) | Kind::Array { .. } => return Ok(None),
        }))
    }

    /// The hex digits of a `0x`-prefixed string (not yet checked).
    fn hex_digits<'v>(&self, type_name: &str, value: &'v Raw<'_>) -> Result<&'v str, Eip712Error> {
        match value {
            Raw::Str(s) => s
                .strip_prefix("0x")
                .ok_or_else(|| Eip712Error::InvalidHex { path: self.path() }),
            other => Err(self.wrong_kind(type_name, "a 0x-hex string", other)),
        }
    }

    /// The Keccak-256 of a `bytes` value, decoded in chunks straight into the hasher
    /// (no buffer of the whole value).
    fn hash_hex_bytes(&self, type_name: &str, value: &Raw<'_>) -> Result<[u8; 32], Eip712Error> {
        let digits = self.hex_digits(type_name, value)?;
        if digits.len() % 2 != 0 {
            return Err(Eip712Error::InvalidHex { path: self.path() });
        }
        let mut hasher = Keccak256::new();
        let mut chunk = [0u8; 64];
        // Chunks of an even number of digits, since the whole has an even number.
        for part in digits.as_bytes().chunks(2 * chunk.len()) {
            let out = &mut chunk[..part.len() / 2];
            hex::decode_to_slice(part, out)
                .map_err(|_| Eip712Error::InvalidHex { path: self.path() })?;
            hasher.update(out);
        }
        Ok(hasher.finalize().into())
    }

    /// A `bytesN` value, left-aligned in its 32-byte word.
    fn fixed_bytes(
        &self,
        type_name: &str,
        n: usize,
        value: &Raw<'_>,
    ) -> Result<[u8; 32], Eip712Error> {
        let digits = self.hex_digits(type_name, value)?;
        let invalid_hex = || Eip712Error::InvalidHex { path: self.path() };
        let mut word = [0u8; 32];
        if digits.len() == 2 * n {
            hex::decode_to_slice(digits, &mut word[..n]).map_err(|_| invalid_hex())?;
            return Ok(word);
        }
        // The wrong length; bad hex is reported first, as for any other hex value.
        if digits.len() % 2 != 0 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(invalid_hex());
        }
        Err(Eip712Error::BytesLength {
            path: self.path(),
            type_name: type_name.to_owned(),
            expected: n,
            found: digits.len() / 2,
        })
    }

    /// Reads an integer value as sign and magnitude (the range is checked by the caller).
    fn integer(&self, type_name: &str, value: &Raw<'_>) -> Result<(bool, U256), Eip712Error> {
        match value {
            Raw::PosInt(u) => Ok((false, U256::from(*u))),
            Raw::NegInt(i) => Ok((*i < 0, U256::from(i.unsigned_abs()))),
            Raw::Float(f) => match exact_integer(*f) {
                Some(magnitude) => Ok((*f < 0.0, U256::from(magnitude))),
                None => Err(Eip712Error::InexactNumber { path: self.path() }),
            },
            Raw::Str(s) => {
                let (negative, digits) = match s.strip_prefix('-') {
                    Some(rest) => (true, rest),
                    None => (false, s.as_ref()),
                };
                let parsed = match digits.strip_prefix("0x") {
                    Some(hex) if !negative => U256::from_hex_str(hex),
                    Some(_) => return Err(Eip712Error::InvalidInteger { path: self.path() }),
                    None => U256::from_dec_str(digits),
                };
                match parsed {
                    Ok(m) => Ok((negative, m)),
                    Err(ParseU256Error::Overflow) => Err(self.out_of_range(type_name)),
                    Err(_) => Err(Eip712Error::InvalidInteger { path: self.path() }),
                }
            }
            other => Err(self.wrong_kind(type_name, "an integer or integer string", other)),
        }
    }

    fn out_of_range(&self, type_name: &str) -> Eip712Error {
        Eip712Error::IntegerOutOfRange {
            path: self.path(),
            type_name: type_name.to_owned(),
        }
    }
}

/// The bound on an integer written with a fraction or an exponent: 2^40 (about 1.1e12).
///
/// Such a number reaches us only as the double serde_json reads (the same from text as
/// in a `serde_json::Value`), and its reading may be one unit in the last place off:
/// `9007199254740991.0` reads as `9007199254740990`, `1125899906842623.1` as an integer.
/// Below 2^40 a unit in the last place is at most 2^-12, so an integer never reads as
/// another and a fraction of a thousandth or more never reads as an integer.
const MAX_INEXACT_FORM: f64 = 1_099_511_627_776.0;

/// The magnitude of a JSON number written with a fraction or an exponent, if its value is
/// an integer below 2^40 (`5.0`, `1e3`, `1732076598.0`); None for `5.5`, `1e-1` or
/// anything larger (integers within 64 bits can be written without a fraction instead).
fn exact_integer(f: f64) -> Option<u64> {
    if !f.is_finite() || f.fract() != 0.0 || f.abs() >= MAX_INEXACT_FORM {
        return None;
    }
    // Integral and below 2^40, so the conversion is exact.
    Some(f.abs() as u64)
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use sha3::{Digest, Keccak256};

    use serde_json::Value as Json;

    use crate::eip712::{Eip712Error, TypedData};

    fn one_field(type_name: &str, value: Json) -> Result<TypedData, Eip712Error> {
        TypedData::from_json_value(json!({
            "types": {"T": [{"name": "v", "type": type_name}]},
            "primaryType": "T",
            "domain": {},
            "message": {"v": value},
        }))
    }

    #[test]
    fn bytes_are_hashed_across_decoding_chunks() {
        // Lengths around the 64-byte decoding chunk, including none at all.
        for len in [0usize, 1, 63, 64, 65, 128, 200] {
            let content: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
            let typed = one_field("bytes", json!(format!("0x{}", hex::encode(&content)))).unwrap();
            let mut expected = Keccak256::new();
            expected.update(typed.type_hash("T").unwrap());
            expected.update(Keccak256::digest(&content));
            assert_eq!(
                typed.struct_hash(),
                <[u8; 32]>::from(expected.finalize()),
                "{len}"
            );
            // Upper-case digits are the same bytes.
            let upper = format!("0x{}", hex::encode_upper(&content));
            assert_eq!(
                one_field("bytes", json!(upper)).unwrap().struct_hash(),
                typed.struct_hash()
            );
        }
    }

    #[test]
    fn hex_errors_come_before_length_errors() {
        let invalid =
            |r: Result<TypedData, Eip712Error>| matches!(r, Err(Eip712Error::InvalidHex { .. }));
        assert!(invalid(one_field("bytes", json!("0x123"))));
        assert!(invalid(one_field(
            "bytes",
            json!(format!("0x{}zz", "00".repeat(70)))
        )));
        assert!(invalid(one_field("bytes", json!("1234"))));
        assert!(invalid(one_field("bytes4", json!("0x0102030"))));
        assert!(invalid(one_field("bytes4", json!("0x0102zz"))));
        assert!(invalid(one_field("bytes4", json!("0x010203zz"))));
        assert!(matches!(
            one_field("bytes4", json!("0x0102")),
            Err(Eip712Error::BytesLength {
                expected: 4,
                found: 2,
                ..
            })
        ));
        assert!(one_field("bytes4", json!("0xA1b2C3d4")).is_ok());
    }
}
