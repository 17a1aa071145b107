//! A minimal unsigned 256-bit integer: exactly what EIP-712 encoding needs (parse, range
//! check, two's complement, big-endian bytes), without a big-integer dependency or heap
//! allocation.

use std::fmt;
use std::str::FromStr;

/// An unsigned 256-bit integer, as used for `uint256` values and `chainId`.
///
/// ```
/// use auth_signing::eip712::U256;
/// let n: U256 = "0xff".parse()?;
/// assert_eq!(n, U256::from(255u64));
/// assert_eq!(n.to_string(), "255");
/// assert_eq!(n.to_u64(), Some(255));
/// # Ok::<(), auth_signing::eip712::ParseU256Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct U256 {
    /// Little-endian 64-bit limbs.
    limbs: [u64; 4],
}

/// Why text is not an unsigned 256-bit integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseU256Error {
    /// Empty, or a character that is not a digit of the base.
    #[error("not a decimal or 0x-hex integer")]
    InvalidDigit,
    /// The value needs more than 256 bits.
    #[error("integer does not fit in 256 bits")]
    Overflow,
}

impl U256 {
    /// Zero.
    pub const ZERO: U256 = U256 { limbs: [0; 4] };
    /// The largest value, 2^256 - 1.
    pub const MAX: U256 = U256 {
        limbs: [u64::MAX; 4],
    };

    /// Parses decimal digits (no sign, no prefix).
    pub fn from_dec_str(digits: &str) -> Result<Self, ParseU256Error> {
        if digits.is_empty() {
            return Err(ParseU256Error::InvalidDigit);
        }
        let mut n = U256::ZERO;
        for b in digits.bytes() {
            if !b.is_ascii_digit() {
                return Err(ParseU256Error::InvalidDigit);
            }
            n = n
                .checked_mul_small_add(10, u64::from(b - b'0'))
                .ok_or(ParseU256Error::Overflow)?;
        }
        Ok(n)
    }

    /// Parses hex digits (no sign, no `0x` prefix), upper or lower case.
    pub fn from_hex_str(digits: &str) -> Result<Self, ParseU256Error> {
        if digits.is_empty() {
            return Err(ParseU256Error::InvalidDigit);
        }
        let mut n = U256::ZERO;
        let mut significant = 0usize;
        for b in digits.bytes() {
            let d = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => return Err(ParseU256Error::InvalidDigit),
            };
            if significant > 0 || d != 0 {
                significant += 1;
            }
            if significant > 64 {
                return Err(ParseU256Error::Overflow);
            }
            n = n.shl4_or(d);
        }
        Ok(n)
    }

    /// The value as 32 big-endian bytes.
    pub fn to_be_bytes(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (i, limb) in self.limbs.iter().enumerate() {
            out[32 - 8 * (i + 1)..32 - 8 * i].copy_from_slice(&limb.to_be_bytes());
        }
        out
    }

    /// The value from 32 big-endian bytes.
    pub fn from_be_bytes(bytes: [u8; 32]) -> Self {
        let mut limbs = [0u64; 4];
        for (i, limb) in limbs.iter_mut().enumerate() {
            let mut chunk = [0u8; 8];
            chunk.copy_from_slice(&bytes[32 - 8 * (i + 1)..32 - 8 * i]);
            *limb = u64::from_be_bytes(chunk);
        }
        U256 { limbs }
    }

    /// The value as a `u64`, if it fits.
    pub fn to_u64(&self) -> Option<u64> {
        if self.limbs[1..].iter().all(|&l| l == 0) {
            Some(self.limbs[0])
        } else {
            None
        }
    }

    /// How many bits the value needs (0 for zero).
    pub fn bits(&self) -> u32 {
        for i in (0..4).rev() {
            if self.limbs[i] != 0 {
                return 64 * i as u32 + (64 - self.limbs[i].leading_zeros());
            }
        }
        0
    }

    /// Whether the value is zero.
    pub fn is_zero(&self) -> bool {
        self.limbs == [0; 4]
    }

    /// `2^k` for `k < 256`.
    pub(crate) fn pow2(k: u32) -> Self {
        let mut limbs = [0u64; 4];
        limbs[(k / 64) as usize] = 1u64 << (k % 64);
        U256 { limbs }
    }

    /// The two's complement negation modulo 2^256.
    pub(crate) fn wrapping_neg(&self) -> Self {
        let mut limbs = [0u64; 4];
        let mut carry = true;
        for (out, &l) in limbs.iter_mut().zip(&self.limbs) {
            let (v, c) = (!l).overflowing_add(u64::from(carry));
            *out = v;
            carry = c;
        }
        U256 { limbs }
    }

    fn checked_mul_small_add(&self, mul: u64, add: u64) -> Option<Self> {
        let mut limbs = [0u64; 4];
        let mut carry = u128::from(add);
        for (out, &l) in limbs.iter_mut().zip(&self.limbs) {
            let v = u128::from(l) * u128::from(mul) + carry;
            *out = v as u64;
            carry = v >> 64;
        }
        if carry == 0 {
            Some(U256 { limbs })
        } else {
            None
        }
    }

    fn shl4_or(&self, nibble: u8) -> Self {
        let mut limbs = [0u64; 4];
        let mut carry = u64::from(nibble);
        for (out, &l) in limbs.iter_mut().zip(&self.limbs) {
            *out = (l << 4) | carry;
            carry = l >> 60;
        }
        U256 { limbs }
    }

    /// Divides by a small number, returning the quotient and the remainder.
    fn div_rem_small(&self, div: u64) -> (Self, u64) {
        let mut limbs = [0u64; 4];
        let mut rem = 0u128;
        for i in (0..4).rev() {
            let cur = (rem << 64) | u128::from(self.limbs[i]);
            limbs[i] = (cur / u128::from(div)) as u64;
            rem = cur % u128::from(div);
        }
        (U256 { limbs }, rem as u64)
    }
}

impl From<u64> for U256 {
    fn from(v: u64) -> Self {
        U256 {
            limbs: [v, 0, 0, 0],
        }
    }
}

impl From<u128> for U256 {
    fn from(v: u128) -> Self {
        U256 {
            limbs: [v as u64, (v >> 64) as u64, 0, 0],
        }
    }
}

impl FromStr for U256 {
    type Err = ParseU256Error;

    /// Parses decimal digits, or hex digits after `0x`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.strip_prefix("0x") {
            Some(hex) => U256::from_hex_str(hex),
            None => U256::from_dec_str(s),
        }
    }
}

impl fmt::Display for U256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_zero() {
            return f.write_str("0");
        }
        // 2^256 has 78 decimal digits.
        let mut digits = [0u8; 78];
        let mut n = *self;
        let mut at = digits.len();
        while !n.is_zero() {
            let (q, r) = n.div_rem_small(10);
            at -= 1;
            digits[at] = b'0' + r as u8;
            n = q;
        }
        // Only ASCII digits were written.
        f.write_str(std::str::from_utf8(&digits[at..]).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for U256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "U256({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_extremes() {
        let max_dec =
            "115792089237316195423570985008687907853269984665640564039457584007913129639935";
        assert_eq!(U256::from_dec_str(max_dec), Ok(U256::MAX));
        assert_eq!(U256::MAX.to_string(), max_dec);
        let over = "115792089237316195423570985008687907853269984665640564039457584007913129639936";
        assert_eq!(U256::from_dec_str(over), Err(ParseU256Error::Overflow));
        assert_eq!(U256::from_hex_str(&"f".repeat(64)), Ok(U256::MAX));
        assert_eq!(
            U256::from_hex_str(&format!("1{}", "0".repeat(64))),
            Err(ParseU256Error::Overflow)
        );
        // Leading zeros do not count toward the width.
        assert_eq!(
            U256::from_hex_str(&format!("{}1", "0".repeat(100))),
            Ok(U256::from(1u64))
        );
        assert_eq!(U256::from_dec_str(""), Err(ParseU256Error::InvalidDigit));
        assert_eq!(U256::from_dec_str("1_0"), Err(ParseU256Error::InvalidDigit));
        assert_eq!(U256::from_hex_str("0g"), Err(ParseU256Error::InvalidDigit));
    }

    #[test]
    fn bytes_bits_and_negation() {
        let n = U256::from(0x0102u64);
        let b = n.to_be_bytes();
        assert_eq!(&b[30..], &[1, 2]);
        assert_eq!(U256::from_be_bytes(b), n);
        assert_eq!(n.bits(), 9);
        assert_eq!(U256::ZERO.bits(), 0);
        assert_eq!(U256::pow2(255).bits(), 256);
        assert_eq!(U256::from(1u64).wrapping_neg(), U256::MAX);
        assert_eq!(U256::ZERO.wrapping_neg(), U256::ZERO);
        assert_eq!(U256::from(u128::MAX).to_string(), u128::MAX.to_string());
        assert_eq!(U256::pow2(64).to_u64(), None);
    }
}
