//! The pump.fun API's own signature check: strict ed25519 verification (with
//! `ed25519-dalek` directly, not `auth-signing`) of the UTF-8 sign-in message.

use ed25519_dalek::{Signature, VerifyingKey};

/// Why an ed25519 signature was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ed25519Refusal {
    /// Not base58 of exactly 64 bytes.
    Malformed,
    /// The public key is not a valid (strict) ed25519 point, or the signature does not
    /// verify.
    Mismatch,
}

/// Parses a detached ed25519 signature: base58 of exactly 64 bytes.
pub(crate) fn parse_ed25519_signature(text: &str) -> Result<[u8; 64], Ed25519Refusal> {
    // 64 bytes are at most 88 base58 characters; refuse longer input before decoding.
    if text.len() > 88 {
        return Err(Ed25519Refusal::Malformed);
    }
    let bytes = bs58::decode(text)
        .into_vec()
        .map_err(|_| Ed25519Refusal::Malformed)?;
    bytes
        .as_slice()
        .try_into()
        .map_err(|_| Ed25519Refusal::Malformed)
}

/// Strict ed25519 verification (RFC 8032, refusing small-order keys and non-canonical
/// encodings) of `message` under `pubkey`.
pub(crate) fn verify_ed25519(
    pubkey: &[u8; 32],
    message: &[u8],
    signature: &[u8; 64],
) -> Result<(), Ed25519Refusal> {
    let key = VerifyingKey::from_bytes(pubkey).map_err(|_| Ed25519Refusal::Mismatch)?;
    key.verify_strict(message, &Signature::from_bytes(signature))
        .map_err(|_| Ed25519Refusal::Mismatch)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test that cannot unwrap has failed
mod tests {
    //! Known answers made outside this workspace (never by `auth-signing`).

    use super::*;

    fn bytes<const N: usize>(hex_text: &str) -> [u8; N] {
        let mut out = [0u8; N];
        hex::decode_to_slice(hex_text, &mut out).unwrap();
        out
    }

    // RFC 8032, section 7.1, TEST 2 (one-byte message 0x72).
    const RFC8032_KEY: &str = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
    const RFC8032_SIG: &str = "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da\
                               085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";

    #[test]
    fn ed25519_rfc8032_vector_verifies_and_a_changed_message_does_not() {
        let key = bytes::<32>(RFC8032_KEY);
        let text = bs58::encode(bytes::<64>(RFC8032_SIG)).into_string();
        let sig = parse_ed25519_signature(&text).unwrap();
        assert_eq!(verify_ed25519(&key, &[0x72], &sig), Ok(()));
        assert_eq!(
            verify_ed25519(&key, &[0x73], &sig),
            Err(Ed25519Refusal::Mismatch)
        );
        assert_eq!(
            verify_ed25519(&key, &[], &sig),
            Err(Ed25519Refusal::Mismatch)
        );
    }

    #[test]
    fn ed25519_signatures_must_be_64_bytes_of_base58() {
        let short = bs58::encode([7u8; 63]).into_string();
        let long = bs58::encode([7u8; 65]).into_string();
        for bad in [short.as_str(), long.as_str(), "0OIl", "", &"1".repeat(89)] {
            assert_eq!(
                parse_ed25519_signature(bad),
                Err(Ed25519Refusal::Malformed),
                "{bad}"
            );
        }
        // The small-order identity point as a key is refused by strict verification.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert_eq!(
            verify_ed25519(&identity, b"x", &[0u8; 64]),
            Err(Ed25519Refusal::Mismatch)
        );
    }
}
