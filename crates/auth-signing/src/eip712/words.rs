//! The 32-byte encodings of atomic values, shared by the JSON parser and the Rust builder
//! so that both check ranges the same way.

use auth_types::{AddressError, EvmAddress};
use sha3::{Digest, Keccak256};

use super::number::U256;

/// Why an integer does not fit its type.
pub(crate) enum IntegerError {
    /// Below zero for a `uintN`.
    Negative,
    /// Outside the range of the width.
    OutOfRange,
}

/// The two's complement word of an integer for `uint<bits>` (`signed` false) or
/// `int<bits>`, after a range check.
pub(crate) fn integer_word(
    bits: u32,
    signed: bool,
    negative: bool,
    magnitude: U256,
) -> Result<[u8; 32], IntegerError> {
    let negative = negative && !magnitude.is_zero();
    if !signed {
        if negative {
            return Err(IntegerError::Negative);
        }
        if magnitude.bits() > bits {
            return Err(IntegerError::OutOfRange);
        }
        return Ok(magnitude.to_be_bytes());
    }
    // intN holds -2^(N-1) ..= 2^(N-1) - 1.
    let fits = magnitude.bits() < bits || (negative && magnitude == U256::pow2(bits - 1));
    if !fits {
        return Err(IntegerError::OutOfRange);
    }
    Ok(if negative {
        magnitude.wrapping_neg().to_be_bytes()
    } else {
        magnitude.to_be_bytes()
    })
}

/// Parses an address exactly as `EvmAddress::from_str` does (mixed case must pass
/// EIP-55), checking the checksum on the stack: one Keccak and no allocation. Anything but
/// a well-formed, correctly checksummed address is handed to `from_str`, so the errors
/// are its own.
pub(crate) fn parse_address(text: &str) -> Result<EvmAddress, AddressError> {
    if let Some(digits) = text.strip_prefix("0x") {
        let mut bytes = [0u8; 20];
        if digits.len() == 40 && hex::decode_to_slice(digits, &mut bytes).is_ok() {
            let has_lower = digits.bytes().any(|b| b.is_ascii_lowercase());
            let has_upper = digits.bytes().any(|b| b.is_ascii_uppercase());
            if !(has_lower && has_upper) || passes_eip55(digits) {
                return Ok(EvmAddress::from_bytes(bytes));
            }
        }
    }
    text.parse()
}

/// Whether 40 hex digits carry the EIP-55 checksum: a letter is upper case exactly when
/// the matching nibble of `keccak256(lower-case digits)` is 8 or more.
fn passes_eip55(digits: &str) -> bool {
    let mut lower = [0u8; 40];
    for (out, b) in lower.iter_mut().zip(digits.bytes()) {
        *out = b.to_ascii_lowercase();
    }
    let hash: [u8; 32] = Keccak256::digest(lower).into();
    digits.bytes().enumerate().all(|(i, b)| {
        let nibble = (hash[i / 2] >> if i % 2 == 0 { 4 } else { 0 }) & 0x0f;
        !b.is_ascii_alphabetic() || b.is_ascii_uppercase() == (nibble >= 8)
    })
}

/// An address, right-aligned.
pub(crate) fn address_word(address: &EvmAddress) -> [u8; 32] {
    let mut word = [0u8; 32];
    word[12..].copy_from_slice(address.as_bytes());
    word
}

/// `false` as 0, `true` as 1.
pub(crate) fn bool_word(value: bool) -> [u8; 32] {
    U256::from(u64::from(value)).to_be_bytes()
}

/// A `string` or `bytes` value is encoded as the Keccak-256 of its content.
pub(crate) fn hashed_word(content: &[u8]) -> [u8; 32] {
    Keccak256::digest(content).into()
}

#[cfg(test)]
mod tests {
    use super::parse_address;

    #[test]
    fn address_parsing_agrees_with_evm_address() {
        for text in [
            "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826",
            "0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826",
            "0xCD2A3D9F938E13CD947EC05ABC7FE734DF8DD826",
            "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD827",
            "0xcD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826",
            "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD8",
            "CD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826",
            "0xZZ2a3d9F938E13CD947Ec05AbC7FE734Df8DD826",
        ] {
            assert_eq!(parse_address(text), text.parse(), "{text}");
        }
    }
}
