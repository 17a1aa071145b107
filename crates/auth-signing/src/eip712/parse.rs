//! From `eth_signTypedData_v4` JSON (as a borrowed [`Raw`] tree) to a checked document:
//! the shape of the document and of `types`, and what a JSON value is as a [`Source`] of
//! the one walk (`walk.rs`): strings, hex, numbers and addresses read and encoded.

use sha3::{Digest, Keccak256};

use super::encode::Document;
use super::error::Eip712Error;
use super::number::{ParseU256Error, U256};
use super::raw::{Object, Raw};
use super::types::{Kind, TypeDefs};
use super::value::TypedValue;
use super::walk::{Atomic, Members, Path, Source, check_document};
use super::words::{address_word, bool_word, hashed_word, parse_address};

pub(crate) fn parse_document(doc: &Raw<'_>) -> Result<Document, Eip712Error> {
    let root = doc.as_object().ok_or_else(|| Eip712Error::Shape {
        path: "(root)".to_owned(),
        expected: "a JSON object with types, primaryType, domain and message",
    })?;
    let types = parse_types(root.get("types"))?;
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
    check_document(types, primary_type, domain, message)
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

impl<'a> Members<Raw<'a>> for Object<'a> {
    fn get(&self, name: &str) -> Option<&Raw<'a>> {
        Object::get(self, name)
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.keys()
    }

    fn distinct_len(&self) -> usize {
        Object::distinct_len(self)
    }

    /// A repeated key is allowed: the last member counts, as in `serde_json::Value`.
    fn check_unique(&self, _at: &Path<'_>) -> Result<(), Eip712Error> {
        Ok(())
    }
}

impl<'a> Source for Raw<'a> {
    type Members = Object<'a>;

    fn members(&self) -> Option<&Object<'a>> {
        match self {
            Raw::Object(map) => Some(map),
            _ => None,
        }
    }

    fn items(&self) -> Option<&[Raw<'a>]> {
        match self {
            Raw::Array(items) => Some(items),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        Raw::is_null(self)
    }

    fn not_container(&self, kind: &Kind, type_name: &str, at: &Path<'_>) -> Eip712Error {
        match kind {
            Kind::Array { .. } => at.wrong_kind(type_name, "an array", self.kind()),
            _ if self.is_null() => Eip712Error::NullStruct {
                path: at.to_string(),
                type_name: type_name.to_owned(),
            },
            _ => at.wrong_kind(type_name, "an object", self.kind()),
        }
    }

    fn atomic(
        &self,
        kind: &Kind,
        type_name: &str,
        keep: bool,
        at: &Path<'_>,
    ) -> Result<Atomic, Eip712Error> {
        let kept = |v: TypedValue| keep.then_some(v);
        let value = self;
        Ok(match kind {
            Kind::Bool => match value {
                Raw::Bool(b) => (bool_word(*b), kept(TypedValue::Bool(*b))),
                other => return Err(at.wrong_kind(type_name, "true or false", other.kind())),
            },
            // A `string` or `bytes` value is encoded as its hash: hash it now, once, so
            // the node holds its final encoding and no copy of the content is kept.
            Kind::String => match value {
                Raw::Str(s) => (
                    hashed_word(s.as_bytes()),
                    keep.then(|| TypedValue::String(s.as_ref().to_owned())),
                ),
                other => return Err(at.wrong_kind(type_name, "a string", other.kind())),
            },
            Kind::Bytes if keep => {
                let digits = hex_digits(type_name, value, at)?;
                let bytes = hex::decode(digits).map_err(|_| Eip712Error::InvalidHex {
                    path: at.to_string(),
                })?;
                (hashed_word(&bytes), Some(TypedValue::Bytes(bytes)))
            }
            Kind::Bytes => (hash_hex_bytes(type_name, value, at)?, None),
            Kind::FixedBytes(n) => {
                let word = fixed_bytes(type_name, *n, value, at)?;
                (word, keep.then(|| TypedValue::Bytes(word[..*n].to_vec())))
            }
            Kind::Address => match value {
                Raw::Str(s) => {
                    let address =
                        parse_address(s).map_err(|source| Eip712Error::InvalidAddress {
                            path: at.to_string(),
                            source,
                        })?;
                    (address_word(&address), kept(TypedValue::Address(address)))
                }
                other => {
                    return Err(at.wrong_kind(type_name, "an address string", other.kind()));
                }
            },
            Kind::Uint(bits) | Kind::Int(bits) => {
                let signed = matches!(kind, Kind::Int(_));
                let integer = integer(type_name, value, at)?;
                return at.integer((*bits, signed), type_name, integer, keep);
            }
            Kind::Struct(_) | Kind::Array { .. } => {
                return Err(self.not_container(kind, type_name, at));
            }
        })
    }
}

/// The hex digits of a `0x`-prefixed string (not yet checked).
fn hex_digits<'v>(
    type_name: &str,
    value: &'v Raw<'_>,
    at: &Path<'_>,
) -> Result<&'v str, Eip712Error> {
    match value {
        Raw::Str(s) => s.strip_prefix("0x").ok_or_else(|| Eip712Error::InvalidHex {
            path: at.to_string(),
        }),
        other => Err(at.wrong_kind(type_name, "a 0x-hex string", other.kind())),
    }
}

/// The Keccak-256 of a `bytes` value, decoded in chunks straight into the hasher
/// (no buffer of the whole value).
fn hash_hex_bytes(
    type_name: &str,
    value: &Raw<'_>,
    at: &Path<'_>,
) -> Result<[u8; 32], Eip712Error> {
    let digits = hex_digits(type_name, value, at)?;
    let invalid_hex = || Eip712Error::InvalidHex {
        path: at.to_string(),
    };
    if digits.len() % 2 != 0 {
        return Err(invalid_hex());
    }
    let mut hasher = Keccak256::new();
    let mut chunk = [0u8; 64];
    // Chunks of an even number of digits, since the whole has an even number.
    for part in digits.as_bytes().chunks(2 * chunk.len()) {
        let out = &mut chunk[..part.len() / 2];
        hex::decode_to_slice(part, out).map_err(|_| invalid_hex())?;
        hasher.update(out);
    }
    Ok(hasher.finalize().into())
}

/// A `bytesN` value, left-aligned in its 32-byte word.
fn fixed_bytes(
    type_name: &str,
    n: usize,
    value: &Raw<'_>,
    at: &Path<'_>,
) -> Result<[u8; 32], Eip712Error> {
    let digits = hex_digits(type_name, value, at)?;
    let invalid_hex = || Eip712Error::InvalidHex {
        path: at.to_string(),
    };
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
        path: at.to_string(),
        type_name: type_name.to_owned(),
        expected: n,
        found: digits.len() / 2,
    })
}

/// Reads an integer value as sign and magnitude (the range is checked by the walk).
fn integer(type_name: &str, value: &Raw<'_>, at: &Path<'_>) -> Result<(bool, U256), Eip712Error> {
    let invalid = || Eip712Error::InvalidInteger {
        path: at.to_string(),
    };
    match value {
        Raw::PosInt(u) => Ok((false, U256::from(*u))),
        Raw::NegInt(i) => Ok((*i < 0, U256::from(i.unsigned_abs()))),
        Raw::Float(f) => match exact_integer(*f) {
            Some(magnitude) => Ok((*f < 0.0, U256::from(magnitude))),
            None => Err(Eip712Error::InexactNumber {
                path: at.to_string(),
            }),
        },
        Raw::Str(s) => {
            let (negative, digits) = match s.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, s.as_ref()),
            };
            let parsed = match digits.strip_prefix("0x") {
                Some(hex) if !negative => U256::from_hex_str(hex),
                Some(_) => return Err(invalid()),
                None => U256::from_dec_str(digits),
            };
            match parsed {
                Ok(m) => Ok((negative, m)),
                Err(ParseU256Error::Overflow) => Err(at.out_of_range(type_name)),
                Err(_) => Err(invalid()),
            }
        }
        other => Err(at.wrong_kind(type_name, "an integer or integer string", other.kind())),
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

    use super::parse_document;
    use crate::eip712::encode::{Document, hash_struct};
    use crate::eip712::error::Eip712Error;
    use crate::eip712::raw::Raw;

    fn one_field(type_name: &str, value: Json) -> Result<Document, Eip712Error> {
        parse_document(&Raw::from_json(&json!({
            "types": {"T": [{"name": "v", "type": type_name}]},
            "primaryType": "T",
            "domain": {},
            "message": {"v": value},
        })))
    }

    fn struct_hash(doc: &Document) -> [u8; 32] {
        hash_struct(&doc.resolved, doc.primary_id, &doc.message_nodes)
    }

    #[test]
    fn bytes_are_hashed_across_decoding_chunks() {
        // Lengths around the 64-byte decoding chunk, including none at all.
        for len in [0usize, 1, 63, 64, 65, 128, 200] {
            let content: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
            let typed = one_field("bytes", json!(format!("0x{}", hex::encode(&content)))).unwrap();
            let mut expected = Keccak256::new();
            expected.update(typed.resolved.structs[typed.primary_id].type_hash);
            expected.update(Keccak256::digest(&content));
            assert_eq!(
                struct_hash(&typed),
                <[u8; 32]>::from(expected.finalize()),
                "{len}"
            );
            // Upper-case digits are the same bytes.
            let upper = format!("0x{}", hex::encode_upper(&content));
            assert_eq!(
                struct_hash(&one_field("bytes", json!(upper)).unwrap()),
                struct_hash(&typed)
            );
        }
    }

    #[test]
    fn hex_errors_come_before_length_errors() {
        let invalid =
            |r: Result<Document, Eip712Error>| matches!(r, Err(Eip712Error::InvalidHex { .. }));
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
