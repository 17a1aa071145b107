//! The signing domain: its canonical fields, the domain type inferred from them, and the
//! summary [`TypedData::domain`](super::TypedData::domain) shows before signing.

use std::sync::OnceLock;

use auth_types::EvmAddress;
use serde_json::{Map, Value as Json};
use sha3::{Digest, Keccak256};

use super::DOMAIN_TYPE;
use super::number::U256;
use super::types::StructDef;
use super::value::TypedValue;

/// The canonical domain fields and their types, in the order EIP-712 lists them.
pub(crate) const CANONICAL_DOMAIN: [(&str, &str); 5] = [
    ("name", "string"),
    ("version", "string"),
    ("chainId", "uint256"),
    ("verifyingContract", "address"),
    ("salt", "bytes32"),
];

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

    /// The fields that are set, as the members of a struct value, in canonical order.
    pub(crate) fn to_fields(&self) -> Vec<(String, TypedValue)> {
        let mut fields = Vec::new();
        if let Some(v) = &self.name {
            fields.push(("name".to_owned(), TypedValue::String(v.clone())));
        }
        if let Some(v) = &self.version {
            fields.push(("version".to_owned(), TypedValue::String(v.clone())));
        }
        if let Some(v) = self.chain_id {
            fields.push(("chainId".to_owned(), TypedValue::from(v)));
        }
        if let Some(v) = self.verifying_contract {
            fields.push(("verifyingContract".to_owned(), TypedValue::Address(v)));
        }
        if let Some(v) = self.salt {
            fields.push(("salt".to_owned(), TypedValue::Bytes(v.to_vec())));
        }
        fields
    }

    /// The one way the domain summary is read: from the checked values of the domain's
    /// top-level fields (`values`, in the order of the domain type's fields, taken out).
    /// A field counts only if the domain type declares it with its canonical type, so the
    /// summary never shows a value that was signed as something else.
    pub(crate) fn from_checked(def: &StructDef, mut values: Vec<Option<TypedValue>>) -> Self {
        let mut take = |key: &str| {
            let (_, ty) = CANONICAL_DOMAIN.iter().find(|(n, _)| *n == key)?;
            let i = def
                .fields
                .iter()
                .position(|f| def.field_name(f) == key && def.field_type(f) == *ty)?;
            values.get_mut(i)?.take()
        };
        let name = match take("name") {
            Some(TypedValue::String(s)) => Some(s),
            _ => None,
        };
        let version = match take("version") {
            Some(TypedValue::String(s)) => Some(s),
            _ => None,
        };
        let chain_id = take("chainId").and_then(|v| v.as_u256());
        let verifying_contract = take("verifyingContract").and_then(|v| v.as_address());
        let salt = take("salt").and_then(|v| v.as_bytes().and_then(|b| b.try_into().ok()));
        Eip712Domain {
            name,
            version,
            chain_id,
            verifying_contract,
            salt,
        }
    }
}

/// The names of the canonical domain fields present, in canonical order: the domain type
/// viem and ethers infer when `types` has no `EIP712Domain`.
pub(crate) fn inferred_fields(present: impl Fn(&str) -> bool) -> Vec<(&'static str, &'static str)> {
    CANONICAL_DOMAIN
        .iter()
        .filter(|(name, _)| present(name))
        .copied()
        .collect()
}

/// The type hash of a struct whose whole `encodeType` is `definition`, if it is one of the
/// 32 canonical domain types (a subset of the canonical fields, in canonical order). These
/// are computed once per process, since nearly every document uses one of them.
pub(crate) fn canonical_type_hash(definition: &str) -> Option<[u8; 32]> {
    static TABLE: OnceLock<Vec<(String, [u8; 32])>> = OnceLock::new();
    if !definition.starts_with("EIP712Domain(") {
        return None;
    }
    let table = TABLE.get_or_init(|| {
        (0u32..1 << CANONICAL_DOMAIN.len())
            .map(|mask| {
                let fields: Vec<String> = CANONICAL_DOMAIN
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, (name, ty))| format!("{ty} {name}"))
                    .collect();
                let text = format!("{DOMAIN_TYPE}({})", fields.join(","));
                let hash = Keccak256::digest(text.as_bytes()).into();
                (text, hash)
            })
            .collect()
    });
    table
        .iter()
        .find(|(text, _)| text == definition)
        .map(|(_, hash)| *hash)
}
