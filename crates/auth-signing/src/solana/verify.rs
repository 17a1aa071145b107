//! Verification of ed25519 signatures.

use auth_signer::{SolanaSignature, VerifyError};
use auth_types::SolanaPubkey;
use ed25519_dalek::{Signature, VerifyingKey};

/// Verifies an ed25519 signature of `message` by `pubkey`, strictly (RFC 8032 with the
/// checks that refuse malleable signatures and weak keys).
///
/// ```
/// use auth_signing::solana::{SolanaKeypair, verify};
/// let kp = SolanaKeypair::from_seed_bytes([1u8; 32]);
/// let sig = kp.sign(b"hello");
/// assert!(verify(&kp.pubkey(), b"hello", &sig).is_ok());
/// assert!(verify(&kp.pubkey(), b"hullo", &sig).is_err());
/// ```
pub fn verify(
    pubkey: &SolanaPubkey,
    message: &[u8],
    signature: &SolanaSignature,
) -> Result<(), VerifyError> {
    let key =
        VerifyingKey::from_bytes(pubkey.as_bytes()).map_err(|_| VerifyError::InvalidPubkey)?;
    let sig = Signature::from_bytes(signature.as_bytes());
    key.verify_strict(message, &sig)
        .map_err(|_| VerifyError::Mismatch)
}
