//! The parsed typed-data document and its hashes.

use std::fmt;
use std::str::FromStr;

use auth_types::EvmAddress;
use serde_json::{Map, Value as Json};
use sha3::{Digest, Keccak256};

use super::encode::{Node, hash_struct};
use super::error::Eip712Error;
use super::parse::{CANONICAL_DOMAIN, Parsed, parse_document};
use super::types::Kind;
use super::types::{Resolved, Types};
use super::value::{Eip712Domain, Value, check_variants};

/// A validated EIP-712 document, ready to hash and sign.
///
/// Create it from `eth_signTypedData_v4` JSON ([`TypedData::from_json_str`],
/// [`TypedData::from_json_value`], `str::parse`) or in Rust ([`TypedData::new`]). Type
/// hashes are computed once at parse time.
#[derive(Clone)]
pub struct TypedData {
    resolved: Resolved,
    domain_id: usize,
    primary_id: usize,
    domain_nodes: Vec<Node>,
    message_nodes: Vec<Node>,
    domain: Eip712Domain,
    document: Json,
}

impl TypedData {
    /// Parses and validates `eth_signTypedData_v4` JSON text.
    pub fn from_json_str(json: &str) -> Result<Self, Eip712Error> {
        let doc: Json = serde_json::from_str(json).map_err(|e| Eip712Error::Json {
            reason: e.to_string(),
        })?;
        Self::from_json_value(doc)
    }

    /// Parses and validates an `eth_signTypedData_v4` JSON value. Members other than
    /// `types`, `primaryType`, `domain` and `message` (like Pear's top-level `timestamp`)
    /// are kept in [`TypedData::document`] but take no part in the hash.
    pub fn from_json_value(document: Json) -> Result<Self, Eip712Error> {
        let Parsed {
            resolved,
            domain_id,
            primary_id,
            domain,
            message,
        } = parse_document(&document)?;
        let domain_type = &resolved.structs[domain_id];
        let is_canonical = |key: &str| {
            domain_type.fields.iter().any(|f| {
                f.name == key
                    && CANONICAL_DOMAIN
                        .iter()
                        .any(|(name, ty)| *name == key && f.type_name == *ty)
            })
        };
        // The parser already checked and encoded the verifying contract: read it back from
        // its word rather than parsing (and checksumming) the text again.
        let verifying_contract = domain_type
            .fields
            .iter()
            .position(|f| f.name == "verifyingContract" && is_canonical(&f.name))
            .and_then(|i| match domain.get(i) {
                Some(Node::Word(word)) => {
                    let mut bytes = [0u8; 20];
                    bytes.copy_from_slice(&word[12..]);
                    Some(EvmAddress::from_bytes(bytes))
                }
                _ => None,
            });
        let domain_summary = document
            .get("domain")
            .map(|d| Eip712Domain::from_json(d, is_canonical, verifying_contract))
            .unwrap_or_default();
        Ok(TypedData {
            resolved,
            domain_id,
            primary_id,
            domain_nodes: domain,
            message_nodes: message,
            domain: domain_summary,
            document,
        })
    }

    /// Builds typed data in Rust. The domain type is inferred from the domain fields that
    /// are set; `types` must not need to declare `EIP712Domain`.
    ///
    /// ```
    /// use auth_signing::eip712::{Eip712Domain, TypedData, Types, Value};
    /// let types = Types::new().with_struct("Greeting", [("text", "string"), ("count", "uint8")]);
    /// let message = Value::structure([("text", Value::from("hi")), ("count", Value::from(3u64))]);
    /// let typed = TypedData::new(&Eip712Domain::default().with_name("Demo"), types, "Greeting", message)?;
    /// assert_eq!(typed.encode_type("Greeting").as_deref(), Some("Greeting(string text,uint8 count)"));
    ///
    /// // Values are checked against their types as strictly as JSON input, and each
    /// // variant must suit its type.
    /// let types = Types::new().with_struct("Greeting", [("count", "uint8"), ("text", "string")]);
    /// let too_big = Value::structure([("count", Value::from(256u64)), ("text", Value::from("x"))]);
    /// assert!(TypedData::new(&Eip712Domain::default(), types.clone(), "Greeting", too_big).is_err());
    /// let bytes_as_text = Value::structure([("count", Value::from(1u64)), ("text", Value::Bytes(vec![1]))]);
    /// assert!(TypedData::new(&Eip712Domain::default(), types, "Greeting", bytes_as_text).is_err());
    /// # Ok::<(), auth_signing::eip712::Eip712Error>(())
    /// ```
    pub fn new(
        domain: &Eip712Domain,
        types: Types,
        primary_type: &str,
        message: Value,
    ) -> Result<Self, Eip712Error> {
        let types_json: Map<String, Json> = types
            .structs
            .into_iter()
            .map(|(name, fields)| {
                let list = fields
                    .into_iter()
                    .map(|f| serde_json::json!({"name": f.name, "type": f.type_name}))
                    .collect();
                (name, Json::Array(list))
            })
            .collect();
        let document = serde_json::json!({
            "types": types_json,
            "primaryType": primary_type,
            "domain": domain.to_json(),
            "message": message.to_json(),
        });
        let typed = Self::from_json_value(document)?;
        let primary = Kind::Struct(typed.primary_id);
        let mut path = String::from("message");
        check_variants(
            &typed.resolved,
            &primary,
            typed.primary_type(),
            &message,
            &mut path,
        )?;
        Ok(typed)
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

    /// The primary type's name.
    pub fn primary_type(&self) -> &str {
        &self.resolved.structs[self.primary_id].name
    }

    /// The canonical domain fields, for checks before signing.
    pub fn domain(&self) -> &Eip712Domain {
        &self.domain
    }

    /// The message as given (validated against the primary type).
    pub fn message(&self) -> &Json {
        self.document.get("message").unwrap_or(&Json::Null)
    }

    /// The whole JSON document as given, including members outside the standard four.
    pub fn document(&self) -> &Json {
        &self.document
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
            .field("message", self.message())
            .finish()
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
