//! EIP-712 typed structured data: parsing, validation, `encodeType`, `hashStruct`, domain
//! separator and signing hash.
//!
//! Input is the JSON of `eth_signTypedData_v4` (`types`, `primaryType`, `domain`,
//! `message`), or the same built in Rust with [`Types`], [`Eip712Domain`] and [`Value`].
//! Parsing checks everything (type names, integer ranges, byte lengths, address checksums,
//! array lengths, missing fields, nesting depth) and reports the JSON path of the first
//! problem; after that, hashing cannot fail.
//!
//! ```
//! use auth_signing::eip712::TypedData;
//!
//! let json = r#"{
//!   "types": {"Authentication": [
//!     {"name": "address", "type": "address"}, {"name": "clientId", "type": "string"},
//!     {"name": "timestamp", "type": "uint256"}, {"name": "action", "type": "string"}]},
//!   "primaryType": "Authentication",
//!   "domain": {"name": "Pear Protocol", "version": "1", "chainId": 42161,
//!              "verifyingContract": "0x0000000000000000000000000000000000000000"},
//!   "message": {"address": "0xad1c2d81e22c7a4edfe1901bc68f97f4c34d297d", "clientId": "HLP-bot_01",
//!               "timestamp": 1732076598, "action": "authenticate"}
//! }"#;
//! let typed: TypedData = json.parse()?;
//! assert_eq!(
//!     hex::encode(typed.signing_hash()),
//!     "e795d871a98d607bc1bc6caa4ba7c0474664fcc05ffe9d1943478a26cb310288"
//! );
//! # Ok::<(), auth_signing::eip712::Eip712Error>(())
//! ```

mod encode;
mod error;
mod number;
mod parse;
mod typed_data;
mod types;
mod value;

pub use error::Eip712Error;
pub use number::{ParseU256Error, U256};
pub use typed_data::{Hashes, TypedData};
pub use types::{Field, Types};
pub use value::{Eip712Domain, Value};

/// The deepest nesting of structs and arrays accepted in a value (and of array suffixes in
/// a type name). Deeper input is refused with [`Eip712Error::TooDeep`], never a stack
/// overflow.
pub const MAX_DEPTH: usize = 64;

/// The most struct types one document may use (reachable from the domain and primary
/// type). Keeps `encodeType` of hostile input small.
pub const MAX_STRUCT_TYPES: usize = 1024;

/// The most bytes of `encodeType` text hashed for one document, over all its struct
/// types. Each type's `encodeType` repeats its dependencies, so this bounds the work a
/// hostile `types` member can cause.
pub const MAX_ENCODE_TYPE_BYTES: usize = 1 << 20;

/// The name of the domain's struct type.
pub const DOMAIN_TYPE: &str = "EIP712Domain";
