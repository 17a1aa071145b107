//! Ethereum addresses with EIP-55 checksums.

use std::str::FromStr;

use sha3::{Digest, Keccak256};

/// A 20-byte Ethereum (EVM) account address.
///
/// Parsing accepts `0x` followed by 40 hex digits. All-lowercase and all-uppercase digits
/// are accepted as they are; mixed case must carry a valid
/// [EIP-55](https://eips.ethereum.org/EIPS/eip-55) checksum, so a mistyped address is caught
/// before anything is signed for it. `Display` prints the checksummed form;
/// [`EvmAddress::to_lowercase_hex`] gives the lowercase form that some servers send.
///
/// ```
/// use auth_types::EvmAddress;
/// let a: EvmAddress = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed".parse()?;
/// assert_eq!(a.to_string(), "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
/// # Ok::<(), auth_types::AddressError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct EvmAddress([u8; 20]);

/// Why a string is not a valid [`EvmAddress`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AddressError {
    /// The text does not start with `0x`.
    #[error("address must start with `0x`")]
    MissingPrefix,
    /// The text has the wrong number of hex digits.
    #[error("address must have 40 hex digits after `0x`, found {found} characters")]
    WrongLength {
        /// How many characters followed `0x`.
        found: usize,
    },
    /// A character is not a hex digit.
    #[error("address contains a character that is not a hex digit")]
    InvalidHex,
    /// Mixed-case input whose case does not match its EIP-55 checksum.
    #[error(
        "address has mixed case but an invalid EIP-55 checksum (expected {expected}); check for a typo or pass it all lowercase"
    )]
    BadChecksum {
        /// The correctly checksummed form of the same bytes.
        expected: String,
    },
}

impl EvmAddress {
    /// The all-zero address.
    pub const ZERO: EvmAddress = EvmAddress([0; 20]);

    /// Wraps 20 raw bytes.
    pub const fn from_bytes(bytes: [u8; 20]) -> Self {
        EvmAddress(bytes)
    }

    /// The 20 raw bytes.
    pub const fn as_bytes(&self) -> &[u8; 20] {
        &self.0
    }

    /// The address as `0x` + 40 lowercase hex digits.
    pub fn to_lowercase_hex(&self) -> String {
        format!("0x{}", hex::encode(self.0))
    }

    /// The address in EIP-55 checksummed form (`0x` + 40 mixed-case hex digits).
    pub fn to_checksum(&self) -> String {
        let lower = hex::encode(self.0);
        let hash = Keccak256::digest(lower.as_bytes());
        let mut out = String::with_capacity(42);
        out.push_str("0x");
        for (i, c) in lower.chars().enumerate() {
            let nibble = (hash[i / 2] >> (if i % 2 == 0 { 4 } else { 0 })) & 0x0f;
            if c.is_ascii_alphabetic() && nibble >= 8 {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
        }
        out
    }
}

impl FromStr for EvmAddress {
    type Err = AddressError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits = s.strip_prefix("0x").ok_or(AddressError::MissingPrefix)?;
        if digits.len() != 40 {
            return Err(AddressError::WrongLength {
                found: digits.chars().count(),
            });
        }
        let mut bytes = [0u8; 20];
        hex::decode_to_slice(digits, &mut bytes).map_err(|_| AddressError::InvalidHex)?;
        let address = EvmAddress(bytes);
        let has_lower = digits.bytes().any(|b| b.is_ascii_lowercase());
        let has_upper = digits.bytes().any(|b| b.is_ascii_uppercase());
        if has_lower && has_upper {
            let expected = address.to_checksum();
            if expected[2..] != *digits {
                return Err(AddressError::BadChecksum { expected });
            }
        }
        Ok(address)
    }
}

crate::text_form!(EvmAddress, to_checksum, serde);

impl From<[u8; 20]> for EvmAddress {
    fn from(bytes: [u8; 20]) -> Self {
        EvmAddress(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The examples of EIP-55 itself.
    const EIP55: [&str; 4] = [
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ];

    #[test]
    fn checksums_match_eip55_examples() {
        for s in EIP55 {
            let a: EvmAddress = s.parse().unwrap();
            assert_eq!(a.to_string(), s);
            let lower: EvmAddress = s.to_lowercase().parse().unwrap();
            assert_eq!(lower, a);
            let upper: EvmAddress = format!("0x{}", s[2..].to_uppercase()).parse().unwrap();
            assert_eq!(upper, a);
        }
    }

    #[test]
    fn wrong_checksum_is_refused() {
        // Flip the case of one letter of a valid checksummed address.
        let bad = "0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
        match bad.parse::<EvmAddress>() {
            Err(AddressError::BadChecksum { expected }) => assert_eq!(expected, EIP55[0]),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn malformed_inputs_are_refused() {
        assert_eq!(
            "5aaeb6053f3e94c9b9a09f33669435e7ef1beaed".parse::<EvmAddress>(),
            Err(AddressError::MissingPrefix)
        );
        assert_eq!(
            "0x5aaeb6".parse::<EvmAddress>(),
            Err(AddressError::WrongLength { found: 6 })
        );
        assert_eq!(
            "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg".parse::<EvmAddress>(),
            Err(AddressError::InvalidHex)
        );
        // Multi-byte characters must not panic on slicing.
        assert!(
            "0xé5aaeb6053f3e94c9b9a09f33669435e7ef1bea"
                .parse::<EvmAddress>()
                .is_err()
        );
    }

    #[test]
    fn serde_round_trip_uses_checksum() {
        let a: EvmAddress = EIP55[1].parse().unwrap();
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, format!("\"{}\"", EIP55[1]));
        let back: EvmAddress = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
        let lower: EvmAddress = serde_json::from_str(&json.to_lowercase()).unwrap();
        assert_eq!(lower, a);
        let error = serde_json::from_str::<EvmAddress>("\"0x12\"").unwrap_err();
        assert_eq!(
            error.to_string(),
            "address must have 40 hex digits after `0x`, found 2 characters"
        );
    }

    #[test]
    fn debug_shows_the_checksummed_form() {
        let a: EvmAddress = EIP55[0].to_lowercase().parse().unwrap();
        assert_eq!(format!("{a:?}"), format!("EvmAddress({})", EIP55[0]));
        assert_eq!(format!("{a:#?}"), format!("EvmAddress({})", EIP55[0]));
        assert_eq!(
            format!("{:?}", EvmAddress::ZERO),
            "EvmAddress(0x0000000000000000000000000000000000000000)"
        );
    }
}
