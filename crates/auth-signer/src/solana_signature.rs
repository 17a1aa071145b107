//! ed25519 signatures in base58, as Solana tools write them.

use std::str::FromStr;

/// A 64-byte ed25519 signature, written in base58 as Solana tools do.
///
/// ```
/// use auth_signer::SolanaSignature;
/// let sig = SolanaSignature::from_bytes([1; 64]);
/// let text = sig.to_string();
/// assert_eq!(text.parse::<SolanaSignature>()?, sig);
/// assert!("not base58 0OIl".parse::<SolanaSignature>().is_err());
/// # Ok::<(), auth_signer::VerifyError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SolanaSignature([u8; 64]);

impl SolanaSignature {
    /// Wraps 64 raw bytes.
    pub fn from_bytes(bytes: [u8; 64]) -> Self {
        SolanaSignature(bytes)
    }

    /// The 64 raw bytes.
    pub fn as_bytes(&self) -> &[u8; 64] {
        &self.0
    }

    /// The signature in base58.
    pub fn to_base58(&self) -> String {
        bs58::encode(self.0).into_string()
    }
}

impl FromStr for SolanaSignature {
    type Err = VerifyError;

    /// Parses base58 that decodes to exactly 64 bytes.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // 64 bytes are at most 88 base58 characters.
        if s.len() > 88 {
            return Err(VerifyError::MalformedSignature);
        }
        let bytes = bs58::decode(s)
            .into_vec()
            .map_err(|_| VerifyError::MalformedSignature)?;
        let array: [u8; 64] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| VerifyError::MalformedSignature)?;
        Ok(SolanaSignature(array))
    }
}

auth_types::text_form!(SolanaSignature, to_base58);

/// Why a Solana signature did not verify (or, as [`VerifyError::MalformedSignature`], did
/// not parse).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The public key bytes are not a valid ed25519 point.
    #[error("public key is not a valid ed25519 point")]
    InvalidPubkey,
    /// The signature text is not base58 of 64 bytes.
    #[error("signature must be base58 of 64 bytes")]
    MalformedSignature,
    /// The signature does not match the key and message.
    #[error("signature does not match the public key and message")]
    Mismatch,
}
