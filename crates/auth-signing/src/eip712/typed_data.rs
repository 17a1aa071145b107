//! The parsed typed-data document and its hashes.

use std::fmt;
use std::str::FromStr;

use serde_json::Value as Json;
use sha3::{Digest, Keccak256};

use super::build::build_document;
use super::domain::Eip712Domain;
use super::encode::{Document, Node, hash_struct};
use super::error::Eip712Error;
use super::parse::parse_document;
use super::raw::Raw;
use super::types::{Resolved, Types};
use super::value::TypedValue;

/// A validated EIP-712 document, ready to hash and sign.
///
/// Create it from `eth_signTypedData_v4` JSON ([`TypedData::from_json_str`],
/// [`TypedData::from_json_value`], `str::parse`) or in Rust ([`TypedData::new`]). Type
/// hashes are computed once, when it is created.
///
/// Before signing data that someone else supplied, read what it says through the typed
/// accessors: [`primary_type`](TypedData::primary_type),
/// [`struct_fields`](TypedData::struct_fields), [`encode_type`](TypedData::encode_type),
/// [`domain`](TypedData::domain) and [`message_field`](TypedData::message_field).
///
/// ```
/// use auth_signing::eip712::TypedData;
/// use auth_types::EvmAddress;
///
/// let typed: TypedData = r#"{
///   "types": {"Authentication": [
///     {"name": "address", "type": "address"}, {"name": "clientId", "type": "string"},
///     {"name": "timestamp", "type": "uint256"}, {"name": "action", "type": "string"}]},
///   "primaryType": "Authentication",
///   "domain": {"name": "Pear Protocol", "version": "1", "chainId": 42161,
///              "verifyingContract": "0x0000000000000000000000000000000000000001"},
///   "message": {"address": "0xad1c2d81e22c7a4edfe1901bc68f97f4c34d297d", "clientId": "HLP-bot_01",
///               "timestamp": 1732076598, "action": "authenticate"},
///   "timestamp": 1732076598
/// }"#.parse()?;
///
/// assert_eq!(typed.primary_type(), "Authentication");
/// let fields: Vec<(&str, &str)> = typed.struct_fields("Authentication").unwrap().collect();
/// assert_eq!(fields, [("address", "address"), ("clientId", "string"),
///                     ("timestamp", "uint256"), ("action", "string")]);
///
/// let domain = typed.domain();
/// assert_eq!(domain.name.as_deref(), Some("Pear Protocol"));
/// assert_eq!(domain.chain_id.and_then(|c| c.to_u64()), Some(42161));
///
/// assert_eq!(typed.message_field("action").and_then(|v| v.as_str()), Some("authenticate"));
/// assert_eq!(typed.message_field("timestamp").and_then(|v| v.as_u64()), Some(1732076598));
/// let address: EvmAddress = "0xad1c2d81e22c7a4edfe1901bc68f97f4c34d297d".parse()?;
/// assert_eq!(typed.message_field("address").and_then(|v| v.as_address()), Some(address));
/// // A member the primary type does not declare (like Pear's top-level `timestamp`) is
/// // not part of the message.
/// assert!(typed.message_field("nonce").is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct TypedData {
    resolved: Resolved,
    domain_id: usize,
    primary_id: usize,
    domain_nodes: Vec<Node>,
    message_nodes: Vec<Node>,
    /// The value of each atomic top-level field of the message (by field index).
    message_values: Vec<Option<TypedValue>>,
    domain: Eip712Domain,
}

impl TypedData {
    /// Parses and validates `eth_signTypedData_v4` JSON text.
    ///
    /// The text is read once into a light tree borrowed from it (no `serde_json::Value`),
    /// then checked against the types. Members other than `types`, `primaryType`, `domain`
    /// and `message` (like Pear's top-level `timestamp`) are allowed and ignored.
    pub fn from_json_str(json: &str) -> Result<Self, Eip712Error> {
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let raw: Raw<'_> = serde::Deserialize::deserialize(&mut deserializer)
            .and_then(|raw| deserializer.end().map(|()| raw))
            .map_err(|e| Eip712Error::Json {
                reason: e.to_string(),
            })?;
        Ok(Self::from_document(parse_document(&raw)?))
    }

    /// Parses and validates an `eth_signTypedData_v4` JSON value. Members other than
    /// `types`, `primaryType`, `domain` and `message` (like Pear's top-level `timestamp`)
    /// are allowed and ignored: they take no part in the hash.
    pub fn from_json_value(document: Json) -> Result<Self, Eip712Error> {
        Ok(Self::from_document(parse_document(&Raw::from_json(
            &document,
        ))?))
    }

    /// Builds typed data in Rust, checked once, with no JSON in between. The domain type
    /// is inferred from the domain fields that are set unless `types` declares
    /// `EIP712Domain`.
    ///
    /// ```
    /// use auth_signing::eip712::{Eip712Domain, TypedData, Types, TypedValue};
    /// let types = Types::new().with_struct("Greeting", [("text", "string"), ("count", "uint8")]);
    /// let message = TypedValue::structure([("text", TypedValue::from("hi")), ("count", TypedValue::from(3u64))]);
    /// let typed = TypedData::new(&Eip712Domain::default().with_name("Demo"), types, "Greeting", message)?;
    /// assert_eq!(typed.encode_type("Greeting").as_deref(), Some("Greeting(string text,uint8 count)"));
    /// assert_eq!(typed.message_field("count").and_then(|v| v.as_u64()), Some(3));
    ///
    /// // Values are checked against their types as strictly as JSON input, and each
    /// // variant must suit its type.
    /// let types = Types::new().with_struct("Greeting", [("count", "uint8"), ("text", "string")]);
    /// let too_big = TypedValue::structure([("count", TypedValue::from(256u64)), ("text", TypedValue::from("x"))]);
    /// assert!(TypedData::new(&Eip712Domain::default(), types.clone(), "Greeting", too_big).is_err());
    /// let bytes_as_text = TypedValue::structure([("count", TypedValue::from(1u64)), ("text", TypedValue::Bytes(vec![1]))]);
    /// assert!(TypedData::new(&Eip712Domain::default(), types, "Greeting", bytes_as_text).is_err());
    /// # Ok::<(), auth_signing::eip712::Eip712Error>(())
    /// ```
    pub fn new(
        domain: &Eip712Domain,
        types: Types,
        primary_type: &str,
        message: TypedValue,
    ) -> Result<Self, Eip712Error> {
        Ok(Self::from_document(build_document(
            domain,
            &types,
            primary_type,
            &message,
        )?))
    }

    fn from_document(document: Document) -> Self {
        let Document {
            resolved,
            domain_id,
            primary_id,
            domain_nodes,
            message_nodes,
            domain_values,
            message_values,
        } = document;
        let domain = Eip712Domain::from_checked(&resolved.structs[domain_id], domain_values);
        TypedData {
            resolved,
            domain_id,
            primary_id,
            domain_nodes,
            message_nodes,
            message_values,
            domain,
        }
    }

    /// `hashStruct(domain)`: the domain separator.
    pub fn domain_separator(&self) -> [u8; 32] {
        hash_struct(&self.resolved, self.domain_id, &self.domain_nodes)
    }

    /// `hashStruct(message)` for the primary type.
    pub fn struct_hash(&self) -> [u8; 32] {
        hash_struct(&self.resolved, self.primary_id, &self.message_nodes)
    }

    /// The hash to sign: `keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(message))`.
    ///
    /// When `primaryType` is `EIP712Domain` the message hash is left out, as in
    /// eth-sig-util and viem.
    pub fn signing_hash(&self) -> [u8; 32] {
        let mut hasher = Keccak256::new();
        hasher.update([0x19, 0x01]);
        hasher.update(self.domain_separator());
        if self.primary_id != self.domain_id {
            hasher.update(self.struct_hash());
        }
        hasher.finalize().into()
    }

    /// All three hashes at once, computing the domain separator only once.
    pub fn hashes(&self) -> Hashes {
        let domain_separator = self.domain_separator();
        let struct_hash = self.struct_hash();
        let mut hasher = Keccak256::new();
        hasher.update([0x19, 0x01]);
        hasher.update(domain_separator);
        if self.primary_id != self.domain_id {
            hasher.update(struct_hash);
        }
        Hashes {
            domain_separator,
            struct_hash,
            signing_hash: hasher.finalize().into(),
        }
    }

    /// `encodeType` of a struct in use (reachable from the domain or primary type).
    pub fn encode_type(&self, struct_name: &str) -> Option<String> {
        let id = self.resolved.id(struct_name)?;
        let mut out = String::new();
        self.resolved
            .write_encode_type(id, &mut |s: &str| out.push_str(s));
        Some(out)
    }

    /// `typeHash` (`keccak256(encodeType)`) of a struct in use.
    pub fn type_hash(&self, struct_name: &str) -> Option<[u8; 32]> {
        let id = self.resolved.id(struct_name)?;
        Some(self.resolved.structs[id].type_hash)
    }

    /// The fields of a struct type in use, in declared order, as `(name, type name)`
    /// pairs (like `("to", "Person[]")`). `EIP712Domain` is always in use, inferred or
    /// declared.
    pub fn struct_fields(
        &self,
        struct_name: &str,
    ) -> Option<impl ExactSizeIterator<Item = (&str, &str)> + '_> {
        let def = &self.resolved.structs[self.resolved.id(struct_name)?];
        Some(
            def.fields
                .iter()
                .map(move |f| (def.field_name(f), def.field_type(f))),
        )
    }

    /// The primary type's name.
    pub fn primary_type(&self) -> &str {
        self.resolved.structs[self.primary_id].name()
    }

    /// The canonical domain fields, for checks before signing. A field is shown only if
    /// the domain type declares it with its canonical type (`name` and `version` as
    /// `string`, `chainId` as `uint256`, `verifyingContract` as `address`, `salt` as
    /// `bytes32`).
    pub fn domain(&self) -> &Eip712Domain {
        &self.domain
    }

    /// The checked value of a top-level member of the message, for checks before signing:
    /// `string` as [`TypedValue::String`], `uintN` and `intN` as [`TypedValue::Integer`],
    /// `address` as [`TypedValue::Address`], `bool`, and `bytes` and `bytesN` as
    /// [`TypedValue::Bytes`]. Read them with [`TypedValue::as_str`],
    /// [`as_u64`](TypedValue::as_u64), [`as_u256`](TypedValue::as_u256),
    /// [`as_address`](TypedValue::as_address) and so on.
    ///
    /// `None` if the primary type has no such field, or if the field is a struct or an
    /// array (those are checked and hashed, but not kept as values).
    pub fn message_field(&self, name: &str) -> Option<&TypedValue> {
        let def = &self.resolved.structs[self.primary_id];
        self.message_values.get(def.field_index(name)?)?.as_ref()
    }
}

impl FromStr for TypedData {
    type Err = Eip712Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TypedData::from_json_str(s)
    }
}

impl fmt::Debug for TypedData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TypedData")
            .field("primary_type", &self.primary_type())
            .field("domain", &self.domain)
            .field("message", &MessageFields(self))
            .finish()
    }
}

/// The atomic top-level fields of the message, for `Debug`.
struct MessageFields<'a>(&'a TypedData);

impl fmt::Debug for MessageFields<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let typed = self.0;
        let def = &typed.resolved.structs[typed.primary_id];
        let mut map = f.debug_map();
        for (field, value) in def.fields.iter().zip(&typed.message_values) {
            if let Some(value) = value {
                map.entry(&def.field_name(field), value);
            }
        }
        map.finish()
    }
}

/// What an [`EthSigner`](crate::EthSigner) signs of typed data: its signing hash.
impl auth_signer::Eip712Payload for TypedData {
    fn signing_hash(&self) -> [u8; 32] {
        TypedData::signing_hash(self)
    }
}

/// The three hashes of a typed-data document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hashes {
    /// `hashStruct(domain)`.
    pub domain_separator: [u8; 32],
    /// `hashStruct(message)`.
    pub struct_hash: [u8; 32],
    /// The hash that is signed.
    pub signing_hash: [u8; 32],
}
