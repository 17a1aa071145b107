//! Why a keystore could not be opened or written.

/// Why a Web3 Secret Storage keystore could not be opened or written.
///
/// Never quotes the password, the key or any value of the file: fields are named, values
/// are not (a field holding a pasted secret would otherwise be printed back).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeystoreError {
    /// The password does not open the keystore: the MAC does not match (or the file's
    /// ciphertext or MAC was changed).
    #[error("wrong password for the keystore (its MAC does not match)")]
    WrongPassword,
    /// The text is larger than any keystore file.
    #[error("the keystore is {size} bytes, more than the {limit} a keystore file can be")]
    TooLarge {
        /// The size given.
        size: usize,
        /// The largest accepted.
        limit: usize,
    },
    /// The text is not JSON.
    #[error("the keystore is not JSON (line {line}, column {column})")]
    NotJson {
        /// Where the JSON stops making sense.
        line: usize,
        /// Where the JSON stops making sense.
        column: usize,
    },
    /// A field the format requires is missing.
    #[error("the keystore has no {field}")]
    MissingField {
        /// The field's path, like `crypto.kdfparams.salt`.
        field: &'static str,
    },
    /// A field has the wrong type, length or encoding.
    #[error("the keystore's {field} must be {expected}")]
    InvalidField {
        /// The field's path.
        field: &'static str,
        /// What it must be.
        expected: &'static str,
    },
    /// Not a version 3 keystore.
    #[error("unsupported keystore version (only version 3 is supported)")]
    UnsupportedVersion,
    /// A key derivation function other than `scrypt` and `pbkdf2`.
    #[error("unsupported key derivation function {kdf:?} (scrypt and pbkdf2 are supported)")]
    UnsupportedKdf {
        /// The name in the file (at most 32 characters of it).
        kdf: String,
    },
    /// A cipher other than `aes-128-ctr`.
    #[error("unsupported cipher {cipher:?} (aes-128-ctr is supported)")]
    UnsupportedCipher {
        /// The name in the file (at most 32 characters of it).
        cipher: String,
    },
    /// A PBKDF2 pseudo-random function other than `hmac-sha256`.
    #[error("unsupported pbkdf2 prf {prf:?} (hmac-sha256 is supported)")]
    UnsupportedPrf {
        /// The name in the file (at most 32 characters of it).
        prf: String,
    },
    /// Key derivation parameters refused before running the KDF: a memory or time bomb,
    /// or values no implementation writes.
    #[error("refused key derivation parameter {param} = {value}: {limit}")]
    KdfParamsRefused {
        /// The parameter, like `n` or `c`.
        param: &'static str,
        /// Its value (saturated at `u64::MAX`).
        value: u64,
        /// The rule it breaks.
        limit: &'static str,
    },
    /// The password is right but the decrypted bytes are not a secp256k1 key.
    #[error("the keystore decrypts to bytes that are not a secp256k1 private key")]
    InvalidKey,
    /// The file names an address other than the one its key belongs to.
    #[error("the keystore's address field is not the address of the key it holds")]
    AddressMismatch,
    /// The operating system's random number generator failed (creating a keystore).
    #[error("no randomness from the operating system: {reason}")]
    Randomness {
        /// The system's explanation.
        reason: String,
    },
}
