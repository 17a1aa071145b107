//! From `eth_signTypedData_v4` JSON to validated, encoded values.
//!
//! Every check happens here, once: after parsing, hashing cannot fail.

use serde_json::{Map, Value as Json};
use sha3::{Digest, Keccak256};

use super::encode::Node;
use super::error::Eip712Error;
use super::number::U256;
use super::types::{Field, Kind, Resolved, Types};
use super::{DOMAIN_TYPE, MAX_DEPTH};

/// The canonical domain fields and their types, in the order EIP-712 lists them.
pub(crate) const CANONICAL_DOMAIN: [(&str, &str); 5] = [
    ("name", "string"),
    ("version", "string"),
    ("chainId", "uint256"),
    ("verifyingContract", "address"),
    ("salt", "bytes32"),
];

/// The pieces of a parsed document.
pub(crate) struct Parsed {
    pub(crate) resolved: Resolved,
    pub(crate) domain_id: usize,
    pub(crate) primary_id: usize,
    pub(crate) domain: Vec<Node>,
    pub(crate) message: Vec<Node>,
}

pub(crate) fn parse_document(doc: &Json) -> Result<Parsed, Eip712Error> {
    let root = doc.as_object().ok_or_else(|| Eip712Error::Shape {
        path: "(root)".to_owned(),
        expected: "a JSON object with types, primaryType, domain and message",
    })?;
    let mut types = parse_types(root.get("types"))?;
    let primary_type = root
        .get("primaryType")
        .and_then(Json::as_str)
        .ok_or_else(|| Eip712Error::Shape {
            path: "primaryType".to_owned(),
            expected: "a string naming a struct in types",
        })?;
    let domain = root
        .get("domain")
        .and_then(Json::as_object)
        .ok_or_else(|| Eip712Error::Shape {
            path: "domain".to_owned(),
            expected: "an object",
        })?;
    let message = root.get("message").ok_or_else(|| Eip712Error::Shape {
        path: "message".to_owned(),
        expected: "an object",
    })?;

    match types.get(DOMAIN_TYPE) {
        Some(fields) => {
            if let Some(extra) = domain
                .keys()
                .find(|k| !fields.iter().any(|f| &f.name == *k))
            {
                return Err(Eip712Error::UnknownDomainField {
                    field: extra.clone(),
                });
            }
        }
        None => {
            types.insert(DOMAIN_TYPE, infer_domain_type(domain)?);
        }
    }
    if types.get(primary_type).is_none() {
        return Err(Eip712Error::MissingPrimaryType {
            primary_type: primary_type.to_owned(),
        });
    }
    let resolved = Resolved::resolve(types, &[DOMAIN_TYPE, primary_type])?;
    let domain_id = resolved.id(DOMAIN_TYPE).unwrap_or(0);
    let primary_id = resolved.id(primary_type).unwrap_or(0);

    let mut encoder = Encoder {
        resolved: &resolved,
        path: Vec::new(),
    };
    encoder.path.push(Seg::Key("domain"));
    let domain_nodes = encoder.struct_fields(domain_id, domain, 1)?;
    encoder.path.clear();
    encoder.path.push(Seg::Key("message"));
    let message_nodes = match message {
        Json::Object(map) => encoder.struct_fields(primary_id, map, 1)?,
        other => return Err(encoder.struct_mismatch(primary_id, other)),
    };
    Ok(Parsed {
        resolved,
        domain_id,
        primary_id,
        domain: domain_nodes,
        message: message_nodes,
    })
}

/// Without `EIP712Domain` in `types`, the domain type is the canonical fields present (not
/// null), in canonical order, as viem and ethers infer it.
fn infer_domain_type(domain: &Map<String, Json>) -> Result<Vec<Field>, Eip712Error> {
    if let Some(extra) = domain
        .keys()
        .find(|k| !CANONICAL_DOMAIN.iter().any(|(name, _)| name == k))
    {
        return Err(Eip712Error::UnknownDomainField {
            field: extra.clone(),
        });
    }
    Ok(CANONICAL_DOMAIN
        .iter()
        .filter(|(name, _)| domain.get(*name).is_some_and(|v| !v.is_null()))
        .map(|(name, ty)| Field::new(*name, *ty))
        .collect())
}

fn parse_types(value: Option<&Json>) -> Result<Types, Eip712Error> {
    let shape = |path: String, expected| Eip712Error::Shape { path, expected };
    let map = value
        .and_then(Json::as_object)
        .ok_or_else(|| shape("types".to_owned(), "an object of struct definitions"))?;
    let mut types = Types::new();
    for (name, fields) in map {
        let list = fields
            .as_array()
            .ok_or_else(|| shape(format!("types.{name}"), "an array of {name, type} objects"))?;
        let mut out = Vec::with_capacity(list.len());
        for (i, field) in list.iter().enumerate() {
            let get = |key: &'static str| {
                field
                    .get(key)
                    .and_then(Json::as_str)
                    .ok_or_else(|| shape(format!("types.{name}[{i}].{key}"), "a string"))
            };
            out.push(Field::new(get("name")?, get("type")?));
        }
        types.insert(name.clone(), out);
    }
    Ok(types)
}

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

    fn struct_fields(
        &mut self,
        id: usize,
        map: &'a Map<String, Json>,
        depth: usize,
    ) -> Result<Vec<Node>, Eip712Error> {
        if depth > MAX_DEPTH {
            return Err(Eip712Error::TooDeep {
                path: self.path(),
                limit: MAX_DEPTH,
            });
        }
        let def = &self.resolved.structs[id];
        let mut nodes = Vec::with_capacity(def.fields.len());
        for field in &def.fields {
            self.path.push(Seg::Key(&field.name));
            let value = map
                .get(&field.name)
                .ok_or_else(|| Eip712Error::MissingField {
                    path: self.path(),
                    type_name: field.type_name.clone(),
                })?;
            nodes.push(self.value(&field.kind, &field.type_name, value, depth)?);
            self.path.pop();
        }
        Ok(nodes)
    }

    fn struct_mismatch(&self, id: usize, value: &Json) -> Eip712Error {
        let type_name = self.resolved.structs[id].name.clone();
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
                found: json_kind(value),
            }
        }
    }

    fn wrong_kind(&self, type_name: &str, expected: &'static str, value: &Json) -> Eip712Error {
        Eip712Error::WrongValueKind {
            path: self.path(),
            type_name: type_name.to_owned(),
            expected,
            found: json_kind(value),
        }
    }

    fn value(
        &mut self,
        kind: &Kind,
        type_name: &str,
        value: &'a Json,
        depth: usize,
    ) -> Result<Node, Eip712Error> {
        Ok(match kind {
            Kind::Bool => match value {
                Json::Bool(b) => Node::Word(U256::from(u64::from(*b)).to_be_bytes()),
                other => return Err(self.wrong_kind(type_name, "true or false", other)),
            },
            // A `string` or `bytes` value is encoded as its hash: hash it now, once, so
            // the node holds its final encoding and no copy of the content is kept.
            Kind::String => match value {
                Json::String(s) => Node::Word(Keccak256::digest(s.as_bytes()).into()),
                other => return Err(self.wrong_kind(type_name, "a string", other)),
            },
            Kind::Bytes => Node::Word(self.hash_hex_bytes(type_name, value)?),
            Kind::FixedBytes(n) => Node::Word(self.fixed_bytes(type_name, *n, value)?),
            Kind::Address => match value {
                Json::String(s) => {
                    let address: auth_types::EvmAddress =
                        s.parse().map_err(|source| Eip712Error::InvalidAddress {
                            path: self.path(),
                            source,
                        })?;
                    let mut word = [0u8; 32];
                    word[12..].copy_from_slice(address.as_bytes());
                    Node::Word(word)
                }
                other => return Err(self.wrong_kind(type_name, "an address string", other)),
            },
            Kind::Uint(bits) => Node::Word(self.integer(type_name, *bits, false, value)?),
            Kind::Int(bits) => Node::Word(self.integer(type_name, *bits, true, value)?),
            Kind::Struct(id) => match value {
                Json::Object(map) => Node::Struct(*id, self.struct_fields(*id, map, depth + 1)?),
                other => return Err(self.struct_mismatch(*id, other)),
            },
            Kind::Array { elem, len } => {
                let items = match value {
                    Json::Array(items) => items,
                    other => return Err(self.wrong_kind(type_name, "an array", other)),
                };
                if let Some(expected) = len {
                    if items.len() != *expected {
                        return Err(Eip712Error::ArrayLength {
                            path: self.path(),
                            type_name: type_name.to_owned(),
                            expected: *expected,
                            found: items.len(),
                        });
                    }
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
        })
    }

    /// The hex digits of a `0x`-prefixed string (not yet checked).
    fn hex_digits<'v>(&self, type_name: &str, value: &'v Json) -> Result<&'v str, Eip712Error> {
        match value {
            Json::String(s) => s
                .strip_prefix("0x")
                .ok_or_else(|| Eip712Error::InvalidHex { path: self.path() }),
            other => Err(self.wrong_kind(type_name, "a 0x-hex string", other)),
        }
    }

    /// The Keccak-256 of a `bytes` value, decoded in chunks straight into the hasher
    /// (no buffer of the whole value).
    fn hash_hex_bytes(&self, type_name: &str, value: &Json) -> Result<[u8; 32], Eip712Error> {
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
        value: &Json,
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

    /// Parses an integer value and range-checks it for `uint<bits>` / `int<bits>`,
    /// returning its 32-byte two's complement encoding.
    fn integer(
        &self,
        type_name: &str,
        bits: u32,
        signed: bool,
        value: &Json,
    ) -> Result<[u8; 32], Eip712Error> {
        let (negative, magnitude) = match value {
            Json::Number(n) => {
                if let Some(u) = n.as_u64() {
                    (false, U256::from(u))
                } else if let Some(i) = n.as_i64() {
                    (i < 0, U256::from(i.unsigned_abs()))
                } else {
                    return Err(Eip712Error::InexactNumber { path: self.path() });
                }
            }
            Json::String(s) => {
                let (negative, digits) = match s.strip_prefix('-') {
                    Some(rest) => (true, rest),
                    None => (false, s.as_str()),
                };
                let parsed = match digits.strip_prefix("0x") {
                    Some(hex) if !negative => U256::from_hex_str(hex),
                    Some(_) => return Err(Eip712Error::InvalidInteger { path: self.path() }),
                    None => U256::from_dec_str(digits),
                };
                match parsed {
                    Ok(m) => (negative, m),
                    Err(super::number::ParseU256Error::Overflow) => {
                        return Err(self.out_of_range(type_name));
                    }
                    Err(_) => return Err(Eip712Error::InvalidInteger { path: self.path() }),
                }
            }
            other => return Err(self.wrong_kind(type_name, "an integer or integer string", other)),
        };
        let negative = negative && !magnitude.is_zero();
        if !signed {
            if negative {
                return Err(Eip712Error::NegativeUnsigned {
                    path: self.path(),
                    type_name: type_name.to_owned(),
                });
            }
            if magnitude.bits() > bits {
                return Err(self.out_of_range(type_name));
            }
            return Ok(magnitude.to_be_bytes());
        }
        // intN holds -2^(N-1) ..= 2^(N-1) - 1.
        let fits = magnitude.bits() < bits || (negative && magnitude == U256::pow2(bits - 1));
        if !fits {
            return Err(self.out_of_range(type_name));
        }
        Ok(if negative {
            magnitude.wrapping_neg().to_be_bytes()
        } else {
            magnitude.to_be_bytes()
        })
    }

    fn out_of_range(&self, type_name: &str) -> Eip712Error {
        Eip712Error::IntegerOutOfRange {
            path: self.path(),
            type_name: type_name.to_owned(),
        }
    }
}

fn json_kind(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use sha3::{Digest, Keccak256};

    use super::Json;
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
