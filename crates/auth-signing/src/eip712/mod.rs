//! EIP-712 typed structured data: parsing, validation, `encodeType`, `hashStruct`, domain
//! separator and signing hash.
//!
//! Input is the JSON of `eth_signTypedData_v4` (`types`, `primaryType`, `domain`,
//! `message`), or the same built in Rust with [`Types`], [`Eip712Domain`] and [`TypedValue`].
//! Parsing checks everything (type names, field and struct names, integer ranges, byte
//! lengths, address checksums, array lengths, missing fields, members a struct's type does
//! not declare, nesting depth) and reports the JSON path of the first problem; after that,
//! hashing cannot fail.
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

mod build;
mod cache;
mod domain;
mod encode;
mod error;
mod limits;
mod number;
mod parse;
mod raw;
mod typed_data;
mod types;
mod value;
mod walk;
mod words;

pub use domain::Eip712Domain;
pub use error::Eip712Error;
pub use limits::{MAX_DEPTH, MAX_ENCODE_TYPE_BYTES, MAX_STRUCT_TYPES};
pub use number::{ParseU256Error, U256};
pub use typed_data::{Hashes, TypedData};
pub use types::{Field, Types};
pub use value::TypedValue;

/// The name of the domain's struct type.
pub const DOMAIN_TYPE: &str = "EIP712Domain";
