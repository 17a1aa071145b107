//! A value of typed data as Rust sees it: built by hand for
//! [`TypedData::new`](super::TypedData::new), or read back from a checked document with
//! [`TypedData::message_field`](super::TypedData::message_field).

use auth_types::EvmAddress;
use serde_json::{Map, Value as Json};

use super::number::U256;

/// A value of typed data. [`TypedData::new`](super::TypedData::new) checks it against its
/// declared type exactly as JSON input is checked (so `Bytes` of the wrong length for a
/// `bytes32` field is refused with the field's path), and each variant must suit its type
/// (`String` for `string`, `Integer` for `uintN` and `intN`, `Bytes` for `bytes` and
/// `bytesN`, and so on).
///
/// ```
/// use auth_signing::eip712::TypedValue;
/// let v = TypedValue::structure([
///     ("name", TypedValue::from("Bob")),
///     ("age", TypedValue::from(42u64)),
///     ("delta", TypedValue::from(-7i64)),
/// ]);
/// assert!(matches!(v, TypedValue::Struct(_)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TypedValue {
    /// A `bool`.
    Bool(bool),
    /// An integer for a `uintN` or `intN` field.
    Integer {
        /// Whether the value is below zero.
        negative: bool,
        /// The absolute value.
        magnitude: U256,
    },
    /// A `string`.
    String(String),
    /// The content of a `bytes` or `bytesN` field.
    Bytes(Vec<u8>),
    /// An `address`.
    Address(EvmAddress),
    /// An array (`T[]` or `T[n]`).
    Array(Vec<TypedValue>),
    /// A struct, as `(field name, value)` pairs in any order.
    Struct(Vec<(String, TypedValue)>),
}

impl TypedValue {
    /// A struct value from `(field name, value)` pairs.
    pub fn structure<N: Into<String>>(
        fields: impl IntoIterator<Item = (N, TypedValue)>,
    ) -> TypedValue {
        TypedValue::Struct(fields.into_iter().map(|(n, v)| (n.into(), v)).collect())
    }

    /// The text of a `string` value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            TypedValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// A `bool` value.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            TypedValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// An integer value that is not negative, if it fits in a `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        self.as_u256().and_then(|n| n.to_u64())
    }

    /// An integer value that is not negative.
    pub fn as_u256(&self) -> Option<U256> {
        match self {
            TypedValue::Integer {
                negative: false,
                magnitude,
            } => Some(*magnitude),
            TypedValue::Integer { magnitude, .. } if magnitude.is_zero() => Some(U256::ZERO),
            _ => None,
        }
    }

    /// An `address` value.
    pub fn as_address(&self) -> Option<EvmAddress> {
        match self {
            TypedValue::Address(a) => Some(*a),
            _ => None,
        }
    }

    /// The content of a `bytes` or `bytesN` value.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            TypedValue::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The `eth_signTypedData_v4` JSON form: integers as decimal strings, bytes as `0x` hex.
    pub fn to_json(&self) -> Json {
        match self {
            TypedValue::Bool(b) => Json::Bool(*b),
            TypedValue::Integer {
                negative,
                magnitude,
            } => {
                let sign = if *negative && !magnitude.is_zero() {
                    "-"
                } else {
                    ""
                };
                Json::String(format!("{sign}{magnitude}"))
            }
            TypedValue::String(s) => Json::String(s.clone()),
            TypedValue::Bytes(b) => Json::String(format!("0x{}", hex::encode(b))),
            TypedValue::Address(a) => Json::String(a.to_lowercase_hex()),
            TypedValue::Array(items) => {
                Json::Array(items.iter().map(TypedValue::to_json).collect())
            }
            TypedValue::Struct(fields) => Json::Object(
                fields
                    .iter()
                    .map(|(n, v)| (n.clone(), v.to_json()))
                    .collect::<Map<String, Json>>(),
            ),
        }
    }
}

impl From<bool> for TypedValue {
    fn from(v: bool) -> Self {
        TypedValue::Bool(v)
    }
}

impl From<&str> for TypedValue {
    fn from(v: &str) -> Self {
        TypedValue::String(v.to_owned())
    }
}

impl From<String> for TypedValue {
    fn from(v: String) -> Self {
        TypedValue::String(v)
    }
}

impl From<EvmAddress> for TypedValue {
    fn from(v: EvmAddress) -> Self {
        TypedValue::Address(v)
    }
}

impl From<U256> for TypedValue {
    fn from(v: U256) -> Self {
        TypedValue::Integer {
            negative: false,
            magnitude: v,
        }
    }
}

impl From<u64> for TypedValue {
    fn from(v: u64) -> Self {
        U256::from(v).into()
    }
}

impl From<u128> for TypedValue {
    fn from(v: u128) -> Self {
        U256::from(v).into()
    }
}

impl From<i64> for TypedValue {
    fn from(v: i64) -> Self {
        TypedValue::Integer {
            negative: v < 0,
            magnitude: U256::from(v.unsigned_abs()),
        }
    }
}

impl From<i128> for TypedValue {
    fn from(v: i128) -> Self {
        TypedValue::Integer {
            negative: v < 0,
            magnitude: U256::from(v.unsigned_abs()),
        }
    }
}

impl From<Vec<TypedValue>> for TypedValue {
    fn from(v: Vec<TypedValue>) -> Self {
        TypedValue::Array(v)
    }
}
