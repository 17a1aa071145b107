//! Solana public keys in base58.

use std::str::FromStr;

/// A 32-byte Solana public key (an ed25519 verifying key), written in base58.
///
/// Parsing accepts only base58 text that decodes to exactly 32 bytes. It does not check
/// that the bytes are a point on the curve: program-derived addresses are valid Solana
/// addresses that are not.
///
/// ```
/// use auth_types::SolanaPubkey;
/// let k: SolanaPubkey = "11111111111111111111111111111111".parse()?;
/// assert_eq!(k.as_bytes(), &[0u8; 32]);
/// # Ok::<(), auth_types::PubkeyError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SolanaPubkey([u8; 32]);

/// Why a string is not a valid [`SolanaPubkey`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PubkeyError {
    /// A character outside the base58 alphabet.
    #[error("public key is not valid base58")]
    InvalidBase58,
    /// Valid base58 that does not decode to 32 bytes.
    #[error("public key must decode to 32 bytes, found {found}")]
    WrongLength {
        /// How many bytes the text decoded to.
        found: usize,
    },
}

impl SolanaPubkey {
    /// Wraps 32 raw bytes.
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        SolanaPubkey(bytes)
    }

    /// The 32 raw bytes.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The key in base58, as Solana tools print it.
    pub fn to_base58(&self) -> String {
        bs58::encode(self.0).into_string()
    }
}

impl FromStr for SolanaPubkey {
    type Err = PubkeyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // 32 bytes are at most 44 base58 characters; refuse long input before decoding it.
        if s.len() > 44 {
            return Err(PubkeyError::WrongLength {
                found: s.len() * 733 / 1000,
            });
        }
        let bytes = bs58::decode(s)
            .into_vec()
            .map_err(|_| PubkeyError::InvalidBase58)?;
        let array: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| PubkeyError::WrongLength { found: bytes.len() })?;
        Ok(SolanaPubkey(array))
    }
}

crate::text_form!(SolanaPubkey, to_base58, serde);

impl From<[u8; 32]> for SolanaPubkey {
    fn from(bytes: [u8; 32]) -> Self {
        SolanaPubkey(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_base58() {
        let s = "Ew3X67EttAp39P9qfTUVHzJNkdPponQnj7T96HrGeGSz";
        let k: SolanaPubkey = s.parse().unwrap();
        assert_eq!(k.to_string(), s);
        assert_eq!(format!("{k:?}"), format!("SolanaPubkey({s})"));
    }

    #[test]
    fn serde_round_trip_uses_base58() {
        let s = "cGfHiC6Kgg3FpFZvgwGcswsCRtp4aBP2fzuXRQPizuN";
        let k = SolanaPubkey::from_bytes([9; 32]);
        assert_eq!(k.to_string(), s);
        let json = serde_json::to_string(&k).unwrap();
        assert_eq!(json, format!("\"{s}\""));
        let back: SolanaPubkey = serde_json::from_str(&json).unwrap();
        assert_eq!(back, k);
        let error = serde_json::from_str::<SolanaPubkey>("\"1111\"").unwrap_err();
        assert_eq!(
            error.to_string(),
            "public key must decode to 32 bytes, found 4"
        );
    }

    #[test]
    fn refuses_bad_input() {
        assert_eq!(
            "0OIl".parse::<SolanaPubkey>(),
            Err(PubkeyError::InvalidBase58)
        );
        assert_eq!(
            "1111".parse::<SolanaPubkey>(),
            Err(PubkeyError::WrongLength { found: 4 })
        );
        assert!(matches!(
            "2".repeat(200).parse::<SolanaPubkey>(),
            Err(PubkeyError::WrongLength { .. })
        ));
    }
}
