//! Ethereum's signature recovery, written with `sha3` and `secp256k1` directly (never with
//! `auth-signing`, the code the sandbox exists to test), for every API that takes an
//! Ethereum signature: the digest is the API's, the recovery the same for all.

use secp256k1::ecdsa::{RecoverableSignature, RecoveryId};
use secp256k1::{Message, SECP256K1};
use sha3::{Digest, Keccak256};

/// Half the order of secp256k1: the largest `s` Ethereum accepts (EIP-2).
const HALF_ORDER: [u8; 32] = [
    0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0,
];

/// Why an Ethereum signature was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EthRefusal {
    /// Not `0x` followed by exactly 130 hex digits.
    Malformed,
    /// A recovery byte other than 0, 1, 27 or 28.
    BadV,
    /// `r` or `s` is zero, or not below the curve order.
    OutOfRange,
    /// `s` above half the curve order (malleable; Ethereum refuses it).
    HighS,
    /// No public key recovers from this signature and digest.
    NotRecoverable,
}

/// Keccak-256 of the concatenation of `parts`.
pub(crate) fn keccak(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Keccak256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

/// Recovers the address that signed `digest` with `signature` (`0x` + 130 hex digits,
/// `r ‖ s ‖ v`, `v` 0/1 or 27/28, low `s` only): the last 20 bytes of the Keccak-256 of
/// the 64-byte uncompressed public key.
pub(crate) fn recover_eth_signer(
    digest: &[u8; 32],
    signature: &str,
) -> Result<[u8; 20], EthRefusal> {
    let digits = signature.strip_prefix("0x").ok_or(EthRefusal::Malformed)?;
    if digits.len() != 130 {
        return Err(EthRefusal::Malformed);
    }
    let mut bytes = [0u8; 65];
    hex::decode_to_slice(digits, &mut bytes).map_err(|_| EthRefusal::Malformed)?;
    let recovery = match bytes[64] {
        0 | 27 => 0,
        1 | 28 => 1,
        _ => return Err(EthRefusal::BadV),
    };
    let (r, s) = (&bytes[..32], &bytes[32..64]);
    if r.iter().all(|&b| b == 0) || s.iter().all(|&b| b == 0) {
        return Err(EthRefusal::OutOfRange);
    }
    if s > &HALF_ORDER[..] {
        return Err(EthRefusal::HighS);
    }
    let recovery_id = RecoveryId::try_from(recovery).map_err(|_| EthRefusal::BadV)?;
    let compact = RecoverableSignature::from_compact(&bytes[..64], recovery_id)
        .map_err(|_| EthRefusal::OutOfRange)?;
    let public = SECP256K1
        .recover_ecdsa(Message::from_digest(*digest), &compact)
        .map_err(|_| EthRefusal::NotRecoverable)?;
    let uncompressed = public.serialize_uncompressed();
    let hash = keccak(&[&uncompressed[1..]]);
    let mut address = [0u8; 20];
    address.copy_from_slice(&hash[12..]);
    Ok(address)
}
