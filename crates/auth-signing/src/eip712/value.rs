//! Building typed data in Rust, without writing JSON.

use auth_types::EvmAddress;
use serde_json::{Map, Value as Json};

use super::error::Eip712Error;
use super::number::U256;
use super::types::{Kind, Resolved};

/// A value of typed data built in Rust. Conversion checks it against its declared type
/// exactly as JSON input is checked (so `Bytes` of the wrong length for a `bytes32` field
/// is refused with the field's path).
///
/// ```
/// use auth_signing::eip712::Value;
/// let v = Value::structure([
///     ("name", Value::from("Bob")),
///     ("age", Value::from(42u64)),
///     ("delta", Value::from(-7i64)),
/// ]);
/// assert!(matches!(v, Value::Struct(_)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Value {
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
    Array(Vec<Value>),
    /// A struct, as `(field name, value)` pairs in any order.
    Struct(Vec<(String, Value)>),
}

impl Value {
    /// A struct value from `(field name, value)` pairs.
    pub fn structure<N: Into<String>>(fields: impl IntoIterator<Item = (N, Value)>) -> Value {
        Value::Struct(fields.into_iter().map(|(n, v)| (n.into(), v)).collect())
    }

    /// The `eth_signTypedData_v4` JSON form: integers as decimal strings, bytes as `0x` hex.
    pub fn to_json(&self) -> Json {
        match self {
            Value::Bool(b) => Json::Bool(*b),
            Value::Integer {
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
            Value::String(s) => Json::String(s.clone()),
            Value::Bytes(b) => Json::String(format!("0x{}", hex::encode(b))),
            Value::Address(a) => Json::String(a.to_lowercase_hex()),
            Value::Array(items) => Json::Array(items.iter().map(Value::to_json).collect()),
            Value::Struct(fields) => Json::Object(
                fields
                    .iter()
                    .map(|(n, v)| (n.clone(), v.to_json()))
                    .collect::<Map<String, Json>>(),
            ),
        }
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::String(v.to_owned())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::String(v)
    }
}

impl From<EvmAddress> for Value {
    fn from(v: EvmAddress) -> Self {
        Value::Address(v)
    }
}

impl From<U256> for Value {
    fn from(v: U256) -> Self {
        Value::Integer {
            negative: false,
            magnitude: v,
        }
    }
}

impl From<u64> for Value {
    fn from(v: u64) -> Self {
        U256::from(v).into()
    }
}

impl From<u128> for Value {
    fn from(v: u128) -> Self {
        U256::from(v).into()
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Integer {
            negative: v < 0,
            magnitude: U256::from(v.unsigned_abs()),
        }
    }
}

impl From<i128> for Value {
    fn from(v: i128) -> Self {
        Value::Integer {
            negative: v < 0,
            magnitude: U256::from(v.unsigned_abs()),
        }
    }
}

impl From<Vec<Value>> for Value {
    fn from(v: Vec<Value>) -> Self {
        Value::Array(v)
    }
}

/// The canonical EIP-712 domain fields. Absent fields are left out of the domain type.
///
/// Build one with struct syntax or the `with_` methods:
///
/// ```
/// use auth_signing::eip712::Eip712Domain;
/// let d = Eip712Domain::default().with_name("Pear Protocol").with_version("1").with_chain_id(42161);
/// assert_eq!(d.name.as_deref(), Some("Pear Protocol"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Eip712Domain {
    /// The dApp or protocol name.
    pub name: Option<String>,
    /// The signing domain's version.
    pub version: Option<String>,
    /// The EIP-155 chain id.
    pub chain_id: Option<U256>,
    /// The contract that verifies signatures.
    pub verifying_contract: Option<EvmAddress>,
    /// A disambiguating salt.
    pub salt: Option<[u8; 32]>,
}

impl Eip712Domain {
    /// Sets `name`.
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets `version`.
    pub fn with_version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }

    /// Sets `chainId`. (For a chain id beyond 64 bits, set the field to a [`U256`].)
    pub fn with_chain_id(mut self, chain_id: u64) -> Self {
        self.chain_id = Some(U256::from(chain_id));
        self
    }

    /// Sets `verifyingContract`.
    pub fn with_verifying_contract(mut self, contract: EvmAddress) -> Self {
        self.verifying_contract = Some(contract);
        self
    }

    /// Sets `salt`.
    pub fn with_salt(mut self, salt: [u8; 32]) -> Self {
        self.salt = Some(salt);
        self
    }

    /// The domain as a JSON object with the fields that are set.
    pub fn to_json(&self) -> Json {
        let mut map = Map::new();
        if let Some(v) = &self.name {
            map.insert("name".into(), Json::String(v.clone()));
        }
        if let Some(v) = &self.version {
            map.insert("version".into(), Json::String(v.clone()));
        }
        if let Some(v) = &self.chain_id {
            map.insert("chainId".into(), Json::String(v.to_string()));
        }
        if let Some(v) = &self.verifying_contract {
            map.insert(
                "verifyingContract".into(),
                Json::String(v.to_lowercase_hex()),
            );
        }
        if let Some(v) = &self.salt {
            map.insert("salt".into(), Json::String(format!("0x{}", hex::encode(v))));
        }
        Json::Object(map)
    }

    /// Reads the canonical fields from a domain JSON object. A field counts only if the
    /// domain type declares it with its canonical type (`is_canonical`), so the summary
    /// never shows a value that was signed as something else. The verifying contract was
    /// already parsed (its EIP-55 check costs a Keccak) and is passed in.
    pub(crate) fn from_json(
        domain: &Json,
        is_canonical: impl Fn(&str) -> bool,
        verifying_contract: Option<EvmAddress>,
    ) -> Self {
        let get = |key: &str| domain.get(key).filter(|_| is_canonical(key));
        let text = |key: &str| get(key).and_then(Json::as_str).map(str::to_owned);
        let chain_id = match get("chainId") {
            Some(Json::Number(n)) => n.as_u64().map(U256::from),
            Some(Json::String(s)) => s.parse().ok(),
            _ => None,
        };
        let salt = get("salt")
            .and_then(Json::as_str)
            .and_then(|s| s.strip_prefix("0x"))
            .and_then(|h| {
                let mut out = [0u8; 32];
                hex::decode_to_slice(h, &mut out).ok().map(|()| out)
            });
        Eip712Domain {
            name: text("name"),
            version: text("version"),
            chain_id,
            verifying_contract,
            salt,
        }
    }
}

/// Checks that each [`Value`] variant suits its declared type (a `Value::Bytes` for a
/// `string` field would otherwise sign the text of its hex form), and that no struct value
/// names a field twice. Missing fields and ranges are checked by the JSON path already.
pub(crate) fn check_variants(
    resolved: &Resolved,
    kind: &Kind,
    type_name: &str,
    value: &Value,
    path: &mut String,
) -> Result<(), Eip712Error> {
    let matches = match (kind, value) {
        (Kind::Bool, Value::Bool(_))
        | (Kind::Uint(_) | Kind::Int(_), Value::Integer { .. })
        | (Kind::String, Value::String(_))
        | (Kind::Bytes | Kind::FixedBytes(_), Value::Bytes(_))
        | (Kind::Address, Value::Address(_)) => true,
        (Kind::Array { elem, .. }, Value::Array(items)) => {
            let elem_name = type_name
                .rfind('[')
                .map_or(type_name, |open| &type_name[..open]);
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                check_variants(resolved, elem, elem_name, item, path)?;
                path.truncate(len);
            }
            true
        }
        (Kind::Struct(id), Value::Struct(fields)) => {
            for (i, (name, _)) in fields.iter().enumerate() {
                if fields[..i].iter().any(|(n, _)| n == name) {
                    return Err(Eip712Error::DuplicateField {
                        path: path.clone(),
                        field: name.clone(),
                    });
                }
            }
            for field in &resolved.structs[*id].fields {
                if let Some((_, v)) = fields.iter().find(|(n, _)| *n == field.name) {
                    let len = path.len();
                    path.push('.');
                    path.push_str(&field.name);
                    check_variants(resolved, &field.kind, &field.type_name, v, path)?;
                    path.truncate(len);
                }
            }
            true
        }
        _ => false,
    };
    if matches {
        return Ok(());
    }
    let expected = match kind {
        Kind::Bool => "Value::Bool",
        Kind::Uint(_) | Kind::Int(_) => "Value::Integer",
        Kind::String => "Value::String",
        Kind::Bytes | Kind::FixedBytes(_) => "Value::Bytes",
        Kind::Address => "Value::Address",
        Kind::Array { .. } => "Value::Array",
        Kind::Struct(_) => "Value::Struct",
    };
    let found = match value {
        Value::Bool(_) => "Value::Bool",
        Value::Integer { .. } => "Value::Integer",
        Value::String(_) => "Value::String",
        Value::Bytes(_) => "Value::Bytes",
        Value::Address(_) => "Value::Address",
        Value::Array(_) => "Value::Array",
        Value::Struct(_) => "Value::Struct",
    };
    Err(Eip712Error::WrongValueKind {
        path: path.clone(),
        type_name: type_name.to_owned(),
        expected,
        found,
    })
}
