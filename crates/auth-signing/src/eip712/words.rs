//! The 32-byte encodings of atomic values, shared by the JSON parser and the Rust builder
//! so that both check ranges the same way.

use auth_types::EvmAddress;
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
