//! A secp256k1 private key held in memory.

use std::fmt;

use auth_types::{EvmAddress, SecretBytes32, SecretHexError};
use secp256k1::ecdsa::{RecoverableSignature, RecoveryId};
use secp256k1::{Message, PublicKey, SECP256K1, SecretKey};

use async_trait::async_trait;
use auth_signer::{EthSignature, EthSigner, SignatureError, SignerError, eip191_hash, keccak256};

use crate::eip712::TypedData;

/// An Ethereum account whose private key is held in memory.
///
/// The key bytes live in a [`SecretBytes32`] (wiped on drop); `Debug` shows only the
/// address. Signatures are deterministic (RFC 6979 nonces) with low `s` and `v` = 27/28,
/// byte for byte what viem, ethers and MetaMask produce.
///
/// ```
/// use auth_signing::ethereum::{LocalEthSigner, recover_address};
/// use auth_signing::keccak256;
///
/// let signer = LocalEthSigner::from_hex(&hex::encode(keccak256(b"cow")))?;
/// assert_eq!(signer.address().to_string(), "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826");
/// assert_eq!(format!("{signer:?}"), "LocalEthSigner(0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826)");
///
/// let hash = keccak256(b"anything");
/// let sig = signer.sign_hash(&hash)?;
/// assert_eq!(recover_address(&hash, &sig)?, signer.address());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct LocalEthSigner {
    key: SecretBytes32,
    address: EvmAddress,
}

/// Why bytes are not a usable secp256k1 private key. Never quotes the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// Not 64 hex digits.
    #[error("invalid private key: {0}")]
    Hex(#[from] SecretHexError),
    /// Zero, or not below the secp256k1 group order.
    #[error("invalid private key: not in the range 1 ..= n-1 of secp256k1")]
    OutOfRange,
}

/// A failure while signing with a local key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LocalSignError {
    /// The nonce gave a recovery id of 2 or 3, which Ethereum cannot express (chance about
    /// 2^-127; signing again with the same input gives the same result).
    #[error("the signature has a recovery id Ethereum cannot express")]
    UnrepresentableRecoveryId,
    /// The stored key no longer parses (cannot happen for a key that was accepted).
    #[error("the private key is invalid")]
    InvalidKey,
}

impl LocalEthSigner {
    /// A signer from 32 key bytes.
    pub fn from_secret(key: SecretBytes32) -> Result<Self, KeyError> {
        let mut sk =
            SecretKey::from_byte_array(*key.expose_secret()).map_err(|_| KeyError::OutOfRange)?;
        let public = PublicKey::from_secret_key(SECP256K1, &sk);
        sk.non_secure_erase();
        Ok(LocalEthSigner {
            key,
            address: address_of(&public),
        })
    }

    /// A signer from 64 hex digits, with or without `0x`. The error never quotes the input.
    pub fn from_hex(hex: &str) -> Result<Self, KeyError> {
        Self::from_secret(SecretBytes32::from_hex(hex)?)
    }

    /// The key bytes, for writing a keystore.
    #[cfg(feature = "keystore")]
    pub(crate) fn secret(&self) -> &SecretBytes32 {
        &self.key
    }

    /// The account address.
    pub fn address(&self) -> EvmAddress {
        self.address
    }

    /// Signs a 32-byte hash: RFC 6979 nonce, low `s`, `v` = 27/28.
    pub fn sign_hash(&self, hash: &[u8; 32]) -> Result<EthSignature, LocalSignError> {
        // The key was checked at construction, so this cannot fail; the error path only
        // exists to keep `unwrap` out of library code.
        let mut sk = SecretKey::from_byte_array(*self.key.expose_secret())
            .map_err(|_| LocalSignError::InvalidKey)?;
        let sig = SECP256K1.sign_ecdsa_recoverable(Message::from_digest(*hash), &sk);
        sk.non_secure_erase();
        let (recovery_id, compact) = sig.serialize_compact();
        let v = match i32::from(recovery_id) {
            id @ (0 | 1) => id as u8,
            _ => return Err(LocalSignError::UnrepresentableRecoveryId),
        };
        let mut rsv = [0u8; 65];
        rsv[..64].copy_from_slice(&compact);
        rsv[64] = v;
        // libsecp256k1 signs with low `s` and nonzero `r` and `s`, so the checks of
        // `from_bytes` pass; a signature they refused could not be used by Ethereum either.
        EthSignature::from_bytes(&rsv).map_err(|_| LocalSignError::UnrepresentableRecoveryId)
    }

    /// Signs typed data (`eth_signTypedData_v4`).
    pub fn sign_typed_data(&self, typed: &TypedData) -> Result<EthSignature, LocalSignError> {
        self.sign_hash(&typed.signing_hash())
    }

    /// Signs a message the EIP-191 way (`personal_sign`).
    pub fn sign_personal_message(&self, message: &[u8]) -> Result<EthSignature, LocalSignError> {
        self.sign_hash(&eip191_hash(message))
    }
}

impl fmt::Debug for LocalEthSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LocalEthSigner({})", self.address)
    }
}

#[async_trait]
impl EthSigner for LocalEthSigner {
    fn address(&self) -> EvmAddress {
        LocalEthSigner::address(self)
    }

    async fn sign_hash(&self, hash: &[u8; 32]) -> Result<EthSignature, SignerError> {
        LocalEthSigner::sign_hash(self, hash).map_err(|e| SignerError::Failed {
            reason: e.to_string(),
            source: Some(Box::new(e)),
        })
    }
}

/// The address of a public key: the last 20 bytes of the Keccak-256 of its 64-byte
/// uncompressed form.
fn address_of(public: &PublicKey) -> EvmAddress {
    let uncompressed = public.serialize_uncompressed();
    let hash = keccak256(&uncompressed[1..]);
    let mut out = [0u8; 20];
    out.copy_from_slice(&hash[12..]);
    EvmAddress::from_bytes(out)
}

/// Recovers the address that signed `hash`.
///
/// Compare the result with the address you expect; a valid signature by anyone recovers to
/// *some* address.
pub fn recover_address(
    hash: &[u8; 32],
    signature: &EthSignature,
) -> Result<EvmAddress, SignatureError> {
    let recovery_id = RecoveryId::try_from(i32::from(signature.recovery_id()))
        .map_err(|_| SignatureError::InvalidV { v: signature.v() })?;
    let sig = RecoverableSignature::from_compact(&signature.as_bytes()[..64], recovery_id)
        .map_err(|_| SignatureError::OutOfRange)?;
    let public = SECP256K1
        .recover_ecdsa(Message::from_digest(*hash), &sig)
        .map_err(|_| SignatureError::RecoveryFailed)?;
    Ok(address_of(&public))
}
