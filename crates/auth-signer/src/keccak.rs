//! Keccak-256, the hash of Ethereum (not the NIST SHA3-256 padding).

use sha3::{Digest, Keccak256};

/// Keccak-256 of `data`.
///
/// ```
/// use auth_signer::keccak256;
/// assert_eq!(
///     hex::encode(keccak256(b"")),
///     "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
/// );
/// ```
pub fn keccak256(data: impl AsRef<[u8]>) -> [u8; 32] {
    Keccak256::digest(data.as_ref()).into()
}

/// The EIP-191 `personal_sign` hash:
/// `keccak256("\x19Ethereum Signed Message:\n" ‖ len(message) ‖ message)`, with the length
/// in decimal ASCII.
///
/// ```
/// use auth_signer::eip191_hash;
/// assert_eq!(
///     hex::encode(eip191_hash(b"hello")),
///     "50b2c43fd39106bafbba0da34fc430e1f91e3c96ea2acee2bc34119f92b37750"
/// );
/// ```
pub fn eip191_hash(message: &[u8]) -> [u8; 32] {
    let mut hasher = Keccak256::new();
    hasher.update(b"\x19Ethereum Signed Message:\n");
    hasher.update(message.len().to_string().as_bytes());
    hasher.update(message);
    hasher.finalize().into()
}
