//! Errors of EIP-712 parsing and encoding, each naming the JSON path at fault.

use auth_types::AddressError;

/// Text from typed data as an error shows it: control and invisible format characters
/// escaped (typed data often comes from a server), at most 200 characters.
fn shown(text: &str) -> String {
    auth_types::escape_unprintable_cut(text, 200)
}

/// Why typed data was refused. Every variant that concerns a value names its path in the
/// `eth_signTypedData_v4` document, like `message.to[1].wallet` or `types.Mail[0].type`.
///
/// Nothing is ever signed from typed data that failed to parse: the checks run before a
/// hash exists.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Eip712Error {
    /// The text is not JSON at all.
    #[error("typed data is not valid JSON: {reason}", reason = shown(.reason))]
    Json {
        /// The JSON parser's explanation (position and kind of the problem).
        reason: String,
    },
    /// The JSON does not have the `eth_signTypedData_v4` shape at `path`.
    #[error("{path}: expected {expected}", path = shown(.path))]
    Shape {
        /// Where the problem is.
        path: String,
        /// What should have been there.
        expected: &'static str,
    },
    /// A type name that is neither an atomic type nor a struct defined in `types`.
    #[error("{path}: unknown type `{type_name}`; define it in `types` or fix the spelling", path = shown(.path), type_name = shown(.type_name))]
    UnknownType {
        /// Where the type is used.
        path: String,
        /// The unknown name.
        type_name: String,
    },
    /// A type name that is malformed, like `uint7`, `bytes33` or `Foo[x]`.
    #[error("{path}: invalid type `{type_name}`: {reason}", path = shown(.path), type_name = shown(.type_name), reason = shown(.reason))]
    InvalidType {
        /// Where the type is used.
        path: String,
        /// The offending type name.
        type_name: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// `primaryType` names no struct in `types`.
    #[error("primaryType `{primary_type}` is not defined in `types`", primary_type = shown(.primary_type))]
    MissingPrimaryType {
        /// The `primaryType` given.
        primary_type: String,
    },
    /// A struct value lacks one of its type's fields.
    #[error("{path}: missing field of type `{type_name}`", path = shown(.path), type_name = shown(.type_name))]
    MissingField {
        /// Where the field should be.
        path: String,
        /// The field's declared type.
        type_name: String,
    },
    /// `null` where a struct value is required.
    #[error("{path}: null where a `{type_name}` struct is required", path = shown(.path), type_name = shown(.type_name))]
    NullStruct {
        /// Where the null is.
        path: String,
        /// The struct type expected.
        type_name: String,
    },
    /// A JSON value of the wrong kind for its type, like a string for a `bool`.
    #[error("{path}: expected {expected} for type `{type_name}`, found {found}", path = shown(.path), type_name = shown(.type_name))]
    WrongValueKind {
        /// Where the value is.
        path: String,
        /// The declared type.
        type_name: String,
        /// The kind of JSON value required.
        expected: &'static str,
        /// The kind of JSON value found.
        found: &'static str,
    },
    /// An integer outside the range of its type (`uint8` holding 256, `int8` holding -129).
    #[error("{path}: integer out of range for `{type_name}`", path = shown(.path), type_name = shown(.type_name))]
    IntegerOutOfRange {
        /// Where the value is.
        path: String,
        /// The declared integer type.
        type_name: String,
    },
    /// A negative value for an unsigned integer type.
    #[error("{path}: negative value for unsigned `{type_name}`", path = shown(.path), type_name = shown(.type_name))]
    NegativeUnsigned {
        /// Where the value is.
        path: String,
        /// The declared integer type.
        type_name: String,
    },
    /// A JSON number that is not an exact integer: a fraction (`5.5`, `1e-1`), an integer
    /// beyond 64 bits, or an integer of 2^40 or more written with a fraction or an
    /// exponent (`9007199254740993.0`, which a double cannot hold). `5.0` and `1e3` are
    /// the integers 5 and 1000. Pass large integers as decimal or `0x` strings.
    #[error(
        "{path}: JSON number is not an exact integer (at most 64 bits, or below 2^40 when written with a fraction or exponent); write it as a plain integer or pass it as a decimal or 0x-hex string", path = shown(.path))]
    InexactNumber {
        /// Where the value is.
        path: String,
    },
    /// A string that is not a decimal (optionally `-`) or `0x`-hex integer.
    #[error("{path}: not a decimal or 0x-hex integer string", path = shown(.path))]
    InvalidInteger {
        /// Where the value is.
        path: String,
    },
    /// Bytes that are not `0x` followed by an even number of hex digits.
    #[error("{path}: bytes must be 0x followed by an even number of hex digits", path = shown(.path))]
    InvalidHex {
        /// Where the value is.
        path: String,
    },
    /// A `bytesN` value of a length other than `N`.
    #[error("{path}: `{type_name}` needs exactly {expected} bytes, found {found}", path = shown(.path), type_name = shown(.type_name))]
    BytesLength {
        /// Where the value is.
        path: String,
        /// The declared type.
        type_name: String,
        /// The length the type requires.
        expected: usize,
        /// The length found.
        found: usize,
    },
    /// An address value that is malformed or fails its EIP-55 checksum.
    #[error("{path}: invalid address: {source}", path = shown(.path))]
    InvalidAddress {
        /// Where the value is.
        path: String,
        /// What is wrong with it.
        source: AddressError,
    },
    /// A fixed-size array value of the wrong length.
    #[error("{path}: `{type_name}` needs exactly {expected} elements, found {found}", path = shown(.path), type_name = shown(.type_name))]
    ArrayLength {
        /// Where the value is.
        path: String,
        /// The declared array type.
        type_name: String,
        /// The length the type requires.
        expected: usize,
        /// The length found.
        found: usize,
    },
    /// Values nested deeper than [`MAX_DEPTH`](super::MAX_DEPTH) levels of structs and arrays.
    #[error("{path}: nested deeper than the limit of {limit} levels", path = shown(.path))]
    TooDeep {
        /// Where the limit was crossed.
        path: String,
        /// The limit.
        limit: usize,
    },
    /// More struct types in use than [`MAX_STRUCT_TYPES`](super::MAX_STRUCT_TYPES).
    #[error("more than {limit} struct types are in use")]
    TooManyTypes {
        /// The limit.
        limit: usize,
    },
    /// The struct types' `encodeType` texts add up to more than
    /// [`MAX_ENCODE_TYPE_BYTES`](super::MAX_ENCODE_TYPE_BYTES).
    #[error("the struct types are too large to hash (encodeType over {limit} bytes in all)")]
    TypesTooLarge {
        /// The limit.
        limit: usize,
    },
    /// A struct defines the same field name twice.
    #[error("{path}: field `{field}` is defined twice", path = shown(.path), field = shown(.field))]
    DuplicateField {
        /// The struct definition.
        path: String,
        /// The repeated name.
        field: String,
    },
    /// A member of a struct value (the message or a struct inside it) that its type does
    /// not declare. It would not be signed, so the signer would sign less than the
    /// document shows.
    #[error("{path}: not a field of `{type_name}`; declare it in types.{type_name} or remove it", path = shown(.path), type_name = shown(.type_name))]
    UnknownField {
        /// Where the undeclared member is, its key last (`message.to[1].nick`).
        path: String,
        /// The struct type of the value holding it.
        type_name: String,
    },
    /// A field name that is not an identifier (`[A-Za-z_$][A-Za-z0-9_$]*`). Field names go
    /// into `encodeType` verbatim, so a name like `"a,uint256 b"` could forge another
    /// type's text.
    #[error(
        "{path}: field name `{field}` is not an identifier; use ASCII letters, digits, `_` and `$`, not starting with a digit", path = shown(.path), field = shown(.field))]
    InvalidFieldName {
        /// Where the name is defined, like `types.Mail[0].name`.
        path: String,
        /// The offending name.
        field: String,
    },
    /// A domain key that the domain type does not declare. Without `EIP712Domain` in
    /// `types`, only `name`, `version`, `chainId`, `verifyingContract` and `salt` are allowed.
    #[error(
        "domain.{field}: not a field of the domain type; declare it in types.EIP712Domain or remove it", field = shown(.field))]
    UnknownDomainField {
        /// The key.
        field: String,
    },
}
