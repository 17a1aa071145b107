//! 65-byte recoverable ECDSA signatures in Ethereum's `r ‖ s ‖ v` layout.

use std::str::FromStr;

/// Half the order of secp256k1, the largest `s` of a canonical (low-`s`) signature.
const HALF_ORDER: [u8; 32] = [
    0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0,
];

/// An Ethereum signature: `r ‖ s ‖ v`, 65 bytes, with `v` = 27 or 28 and low `s`
/// (as `eth_signTypedData_v4` and `personal_sign` return it).
///
/// Parsing accepts `v` as 0/1 or 27/28 and stores 27/28; it refuses a high `s` (the
/// malleable twin of a valid signature) and zero `r` or `s`.
///
/// ```
/// use auth_signer::EthSignature;
/// let hex = format!("0x{}{}1b", "11".repeat(32), "22".repeat(32));
/// let sig: EthSignature = hex.parse()?;
/// assert_eq!(sig.v(), 27);
/// assert_eq!(sig.to_string(), hex);
/// # Ok::<(), auth_signer::SignatureError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct EthSignature([u8; 65]);

/// Why bytes are not a valid [`EthSignature`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// Not `0x` followed by hex digits.
    #[error("signature must be 0x followed by 130 hex digits")]
    InvalidHex,
    /// Not 65 bytes.
    #[error("signature must be 65 bytes (r, s, v), found {found}")]
    WrongLength {
        /// How many bytes were given.
        found: usize,
    },
    /// A recovery byte other than 0, 1, 27 or 28.
    #[error("signature recovery byte v must be 0, 1, 27 or 28, found {v}")]
    InvalidV {
        /// The byte found.
        v: u8,
    },
    /// `s` above half the curve order: a malleable signature that Ethereum refuses.
    #[error("signature has a high s value (not canonical); Ethereum accepts only low-s signatures")]
    HighS,
    /// `r` or `s` is zero or not below the curve order.
    #[error("signature r or s is out of range")]
    OutOfRange,
    /// No public key recovers from this signature and hash.
    #[error("no public key can be recovered from this signature and hash")]
    RecoveryFailed,
}

impl EthSignature {
    /// Parses 65 bytes `r ‖ s ‖ v`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SignatureError> {
        let bytes: [u8; 65] = bytes
            .try_into()
            .map_err(|_| SignatureError::WrongLength { found: bytes.len() })?;
        let v = match bytes[64] {
            0 | 27 => 27,
            1 | 28 => 28,
            v => return Err(SignatureError::InvalidV { v }),
        };
        let (r, s) = (&bytes[..32], &bytes[32..64]);
        if r.iter().all(|&b| b == 0) || s.iter().all(|&b| b == 0) {
            return Err(SignatureError::OutOfRange);
        }
        if s > &HALF_ORDER[..] {
            return Err(SignatureError::HighS);
        }
        let mut out = bytes;
        out[64] = v;
        Ok(EthSignature(out))
    }

    /// The 65 bytes `r ‖ s ‖ v`, `v` being 27 or 28.
    pub fn as_bytes(&self) -> &[u8; 65] {
        &self.0
    }

    /// `r`.
    pub fn r(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        out.copy_from_slice(&self.0[..32]);
        out
    }

    /// `s`.
    pub fn s(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        out.copy_from_slice(&self.0[32..64]);
        out
    }

    /// `v`: 27 or 28.
    pub fn v(&self) -> u8 {
        self.0[64]
    }

    /// The recovery id: `v - 27`, 0 or 1.
    pub fn recovery_id(&self) -> u8 {
        self.0[64] - 27
    }

    /// `0x` + 130 lowercase hex digits: the text `Display` shows and `FromStr` reads.
    fn to_hex(self) -> String {
        format!("0x{}", hex::encode(self.0))
    }
}

impl FromStr for EthSignature {
    type Err = SignatureError;

    /// Parses `0x` + 130 hex digits.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits = s.strip_prefix("0x").ok_or(SignatureError::InvalidHex)?;
        if digits.len() != 130 {
            return Err(SignatureError::WrongLength {
                found: digits.len() / 2,
            });
        }
        let mut bytes = [0u8; 65];
        hex::decode_to_slice(digits, &mut bytes).map_err(|_| SignatureError::InvalidHex)?;
        EthSignature::from_bytes(&bytes)
    }
}

auth_types::text_form!(EthSignature, to_hex);
