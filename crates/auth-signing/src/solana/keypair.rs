//! ed25519 keypairs in the formats Solana users have them.

use std::fmt::{self, Write as _};

use auth_types::{SecretBytes32, SolanaPubkey};
use ed25519_dalek::{Signer as _, SigningKey};
use zeroize::Zeroizing;

use super::signature::SolanaSignature;

/// A Solana keypair held in memory.
///
/// The secret is wiped on drop; `Debug` shows only the public key.
///
/// ```
/// use auth_signing::solana::{SolanaKeypair, verify};
///
/// // The Solana CLI's `id.json` format: a JSON array of 64 bytes, seed then public key.
/// let kp = SolanaKeypair::from_seed_bytes([7u8; 32]);
/// let file = kp.to_keypair_json();
/// let again = SolanaKeypair::from_keypair_json(&file)?;
/// assert_eq!(again.pubkey(), kp.pubkey());
///
/// let sig = kp.sign(b"Sign in to pump.fun: 1732076598000");
/// verify(&kp.pubkey(), b"Sign in to pump.fun: 1732076598000", &sig)?;
/// assert!(format!("{kp:?}").starts_with("SolanaKeypair("));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct SolanaKeypair {
    signing: SigningKey,
    pubkey: SolanaPubkey,
}

/// Why input is not a valid Solana keypair. Never quotes the key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeypairError {
    /// The keypair file is not a JSON array of 64 integers 0-255.
    #[error(
        "keypair file must be a JSON array of 64 integers from 0 to 255 (the Solana CLI format)"
    )]
    NotJsonBytes,
    /// The base58 text is not valid base58.
    #[error("keypair is not valid base58")]
    InvalidBase58,
    /// Input of the wrong length.
    #[error("keypair must be 64 bytes (seed then public key), found {found}")]
    WrongLength {
        /// How many bytes were found.
        found: usize,
    },
    /// The public key half does not belong to the seed half.
    #[error(
        "keypair's public key does not match its secret seed; the file is corrupt or was edited"
    )]
    PubkeyMismatch,
}

impl SolanaKeypair {
    /// A keypair from a 32-byte secret seed.
    pub fn from_seed(seed: &SecretBytes32) -> Self {
        let signing = SigningKey::from_bytes(seed.expose_secret());
        let pubkey = SolanaPubkey::from_bytes(signing.verifying_key().to_bytes());
        SolanaKeypair { signing, pubkey }
    }

    /// A keypair from a 32-byte seed given by value. Prefer [`SolanaKeypair::from_seed`]
    /// when the seed already sits in a [`SecretBytes32`].
    pub fn from_seed_bytes(seed: [u8; 32]) -> Self {
        Self::from_seed(&SecretBytes32::new(seed))
    }

    /// A keypair from 64 bytes: seed then public key. Refuses a public key that does not
    /// belong to the seed.
    pub fn from_keypair_bytes(bytes: &[u8]) -> Result<Self, KeypairError> {
        if bytes.len() != 64 {
            return Err(KeypairError::WrongLength { found: bytes.len() });
        }
        let mut seed = SecretBytes32::new([0u8; 32]);
        seed.expose_secret_mut().copy_from_slice(&bytes[..32]);
        let keypair = Self::from_seed(&seed);
        if keypair.pubkey.as_bytes()[..] != bytes[32..] {
            return Err(KeypairError::PubkeyMismatch);
        }
        Ok(keypair)
    }

    /// A keypair from the Solana CLI file format (`~/.config/solana/id.json`): a JSON array
    /// of 64 integers.
    pub fn from_keypair_json(json: &str) -> Result<Self, KeypairError> {
        let bytes: Zeroizing<Vec<u8>> = Zeroizing::new(
            serde_json::from_str(json.trim()).map_err(|_| KeypairError::NotJsonBytes)?,
        );
        Self::from_keypair_bytes(&bytes)
    }

    /// A keypair from base58 of the 64 bytes (as Phantom and other wallets export it).
    pub fn from_base58(text: &str) -> Result<Self, KeypairError> {
        let text = text.trim();
        // 64 bytes are at most 88 base58 characters.
        if text.len() > 88 {
            return Err(KeypairError::WrongLength {
                found: text.len() * 733 / 1000,
            });
        }
        let bytes = Zeroizing::new(
            bs58::decode(text)
                .into_vec()
                .map_err(|_| KeypairError::InvalidBase58)?,
        );
        Self::from_keypair_bytes(&bytes)
    }

    /// The public key (the wallet address).
    pub fn pubkey(&self) -> SolanaPubkey {
        self.pubkey
    }

    /// Signs raw message bytes (for pump.fun, the UTF-8 of the sign-in text).
    pub fn sign(&self, message: &[u8]) -> SolanaSignature {
        SolanaSignature::from_bytes(self.signing.sign(message).to_bytes())
    }

    /// The keypair in the Solana CLI file format. The returned string holds the secret:
    /// write it to a file with restrictive permissions and drop it.
    pub fn to_keypair_json(&self) -> Zeroizing<String> {
        let bytes = Zeroizing::new(self.signing.to_keypair_bytes());
        let mut out = Zeroizing::new(String::with_capacity(64 * 4 + 2));
        out.push('[');
        for (i, b) in bytes.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            // Written digit by digit: no temporary strings holding key bytes.
            let _ = write!(out, "{b}");
        }
        out.push(']');
        out
    }
}

impl fmt::Debug for SolanaKeypair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SolanaKeypair({})", self.pubkey)
    }
}
