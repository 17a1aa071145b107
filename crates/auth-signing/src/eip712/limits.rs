//! The bounds on hostile input: how deep, how many types, how much `encodeType` text.
//!
//! Each is checked while parsing (or building), before any hashing, and crossing one is a
//! typed [`Eip712Error`](super::Eip712Error), never a stack overflow or runaway work.

/// The deepest nesting of structs and arrays accepted in a value (and of array suffixes in
/// a type name). Deeper input is refused with
/// [`Eip712Error::TooDeep`](super::Eip712Error::TooDeep), never a stack overflow.
pub const MAX_DEPTH: usize = 64;

/// The most struct types one document may use (reachable from the domain and primary
/// type). Keeps `encodeType` of hostile input small.
pub const MAX_STRUCT_TYPES: usize = 1024;

/// The most bytes of `encodeType` text hashed for one document, over all its struct
/// types. Each type's `encodeType` repeats its dependencies, so this bounds the work a
/// hostile `types` member can cause.
pub const MAX_ENCODE_TYPE_BYTES: usize = 1 << 20;
