//! The fields of an EIP-4361 message, unchecked: the JSON shape of spruceid's vectors.

use serde::{Deserialize, Serialize};

/// The fields of an EIP-4361 message, as plain values (nothing checked yet); in JSON, the
/// camelCase names of spruceid's test vectors (`chainId` a number).
///
/// [`SiweMessage::from_fields`](super::SiweMessage::from_fields) checks them;
/// [`SiweMessage::fields`](super::SiweMessage::fields) gives them back.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SiweFields {
    /// The URI scheme of the origin (`https`), written before the domain; optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    /// The RFC 3986 authority asking for the sign-in (`example.com`, `user@host:8080`).
    pub domain: String,
    /// The EIP-55 checksummed address signing in.
    pub address: String,
    /// A human-readable assertion; one line of URI characters and spaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// The RFC 3986 URI the sign-in is for.
    pub uri: String,
    /// The message version: `1`.
    pub version: String,
    /// The EIP-155 chain ID.
    pub chain_id: u64,
    /// At least 8 ASCII letters or digits, chosen by the server against replays.
    pub nonce: String,
    /// When the message was made (RFC 3339).
    pub issued_at: String,
    /// When the message stops being valid (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_time: Option<String>,
    /// When the message starts being valid (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<String>,
    /// A system-specific identifier (RFC 3986 `pchar`s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// RFC 3986 URIs the user wishes to have resolved.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
}
