//! `encodeData` and `hashStruct` over values that were validated and encoded at parse time.
//!
//! Field encodings are streamed into one Keccak state per struct or array; no buffer of
//! encoded fields is ever built. Every leaf already holds its final 32-byte encoding
//! (`string` and `bytes` values were hashed by the parser), so hashing only walks structs
//! and arrays: it never allocates and calls Keccak once per struct or array, the least
//! EIP-712 allows.

use sha3::{Digest, Keccak256};

use super::types::Resolved;
use super::value::TypedValue;

/// A document checked against its types (from JSON or built in Rust): every value encoded,
/// and the atomic top-level fields of the domain and message kept as values.
pub(crate) struct Document {
    pub(crate) resolved: Resolved,
    pub(crate) domain_id: usize,
    pub(crate) primary_id: usize,
    pub(crate) domain_nodes: Vec<Node>,
    pub(crate) message_nodes: Vec<Node>,
    /// One entry per field of the domain type, `None` for struct and array fields.
    pub(crate) domain_values: Vec<Option<TypedValue>>,
    /// One entry per field of the primary type, `None` for struct and array fields.
    pub(crate) message_values: Vec<Option<TypedValue>>,
}

/// A value, already checked against its type.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    /// A leaf in its final 32-byte encoding: an atomic value, or the Keccak-256 hash of a
    /// `string` or `bytes` value.
    Word([u8; 32]),
    /// Array elements; the encoding is the hash of their concatenated encodings.
    Array(Vec<Node>),
    /// A struct of the given type with its fields in declared order.
    Struct(usize, Vec<Node>),
}

/// `hashStruct(s) = keccak256(typeHash ‖ encodeData(s))`.
pub(crate) fn hash_struct(types: &Resolved, id: usize, fields: &[Node]) -> [u8; 32] {
    let mut hasher = Keccak256::new();
    hasher.update(types.structs[id].type_hash);
    for field in fields {
        hasher.update(encode_field(types, field));
    }
    hasher.finalize().into()
}

/// The 32-byte encoding of one field value.
fn encode_field(types: &Resolved, node: &Node) -> [u8; 32] {
    match node {
        Node::Word(word) => *word,
        Node::Array(items) => {
            let mut hasher = Keccak256::new();
            for item in items {
                hasher.update(encode_field(types, item));
            }
            hasher.finalize().into()
        }
        Node::Struct(id, fields) => hash_struct(types, *id, fields),
    }
}
