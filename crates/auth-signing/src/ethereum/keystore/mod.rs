//! Web3 Secret Storage (version 3) keystores: the encrypted key files of geth, foundry
//! (`cast wallet import`, `~/.foundry/keystores/NAME`) and Python's `eth-account`.
//!
//! Reads scrypt and PBKDF2-HMAC-SHA256 files with AES-128-CTR and checks the Keccak-256
//! MAC before decrypting; writes scrypt files. Every parameter is checked before a key
//! derivation runs, so a hostile file cannot make scrypt allocate more than 512 MiB (all
//! of its buffers, `128 * r * (n + p + 1)` bytes: [`MAX_SCRYPT_MEMORY`]) or ask for more
//! than seconds of work ([`MAX_SCRYPT_WORK`], [`MAX_PBKDF2_ITERATIONS`], ...). Bad input
//! is a [`KeystoreError`], never a panic. Reading and writing files is the caller's job:
//! this module works on the JSON text.
//!
//! ```
//! use auth_signing::ethereum::LocalEthSigner;
//! use auth_signing::ethereum::keystore::{self, Kdf, KeystoreError, KeystorePassword};
//!
//! let signer = LocalEthSigner::from_hex(&"11".repeat(32))?;
//! let password = KeystorePassword::new("correct horse battery staple");
//! // Kdf::SCRYPT_STANDARD for real keys; the light setting keeps this example fast.
//! let json = keystore::encrypt(&signer, &password, Kdf::SCRYPT_LIGHT)?;
//!
//! let opened = keystore::decrypt(&json, &password)?;
//! assert_eq!(opened.address(), signer.address());
//! assert_eq!(
//!     keystore::decrypt(&json, &KeystorePassword::new("wrong")).unwrap_err(),
//!     KeystoreError::WrongPassword
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use aes::cipher::{KeyIvInit as _, StreamCipher as _};
use auth_types::SecretBytes32;
use secrecy::{ExposeSecret as _, SecretString};
use zeroize::Zeroizing;

use super::LocalEthSigner;
use auth_signer::keccak256;

mod error;
mod json;
mod kdf;

pub use error::KeystoreError;
pub use json::MAX_KEYSTORE_BYTES;
pub use kdf::{
    Kdf, MAX_PBKDF2_ITERATIONS, MAX_SCRYPT_LOG_N, MAX_SCRYPT_MEMORY, MAX_SCRYPT_P, MAX_SCRYPT_WORK,
};

type Aes128Ctr = ctr::Ctr128BE<aes::Aes128>;

/// A keystore password: wiped on drop, `Debug` shows nothing of it.
///
/// Used as its UTF-8 bytes, without normalisation, as geth and `eth-account` do.
///
/// ```
/// use auth_signing::ethereum::keystore::KeystorePassword;
/// let password = KeystorePassword::new("hunter2");
/// assert_eq!(format!("{password:?}"), "KeystorePassword(<redacted>)");
/// ```
#[derive(Clone)]
pub struct KeystorePassword(SecretString);

impl KeystorePassword {
    /// Wraps a password.
    pub fn new(password: impl Into<String>) -> Self {
        KeystorePassword(SecretString::from(password.into()))
    }

    /// The password's text.
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }
}

impl From<Zeroizing<String>> for KeystorePassword {
    fn from(password: Zeroizing<String>) -> Self {
        KeystorePassword::new(password.as_str())
    }
}

impl From<SecretString> for KeystorePassword {
    fn from(password: SecretString) -> Self {
        KeystorePassword(password)
    }
}

impl fmt::Debug for KeystorePassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeystorePassword(<redacted>)")
    }
}

/// The MAC of a keystore: Keccak-256 of the second half of the derived key, then the
/// ciphertext.
fn mac(derived: &[u8; 32], ciphertext: &[u8; 32]) -> [u8; 32] {
    let mut input = Zeroizing::new([0u8; 48]);
    input[..16].copy_from_slice(&derived[16..]);
    input[16..].copy_from_slice(ciphertext);
    keccak256(&input[..])
}

/// Compares without stopping at the first difference.
fn equal(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Opens a keystore's JSON with its password.
///
/// The file is checked whole (format, cipher, KDF and its parameters against this
/// module's limits) before the key derivation runs; the MAC is checked before anything is
/// decrypted; an `address` field, when present, must be the key's.
pub fn decrypt(json: &str, password: &KeystorePassword) -> Result<LocalEthSigner, KeystoreError> {
    let parsed = json::parse(json)?;
    let derived = parsed
        .kdf
        .derive(password.expose_secret().as_bytes(), &parsed.salt)?;
    if !equal(&mac(&derived, &parsed.ciphertext), &parsed.mac) {
        return Err(KeystoreError::WrongPassword);
    }
    // Decrypt in place inside the wiped-on-drop key buffer: no other copy of the key.
    let mut key = SecretBytes32::new(parsed.ciphertext);
    let mut cipher = Aes128Ctr::new((&derived[..16]).into(), (&parsed.iv).into());
    cipher.apply_keystream(key.expose_secret_mut());
    let signer = LocalEthSigner::from_secret(key).map_err(|_| KeystoreError::InvalidKey)?;
    match parsed.address {
        Some(address) if &address != signer.address().as_bytes() => {
            Err(KeystoreError::AddressMismatch)
        }
        _ => Ok(signer),
    }
}

/// Encrypts a key into a new keystore's JSON, with a fresh random salt (32 bytes), IV and
/// id. Use [`Kdf::SCRYPT_STANDARD`] for keys that matter.
///
/// The result opens in geth, foundry and `eth-account` (for the KDFs they read: all of them
/// read scrypt and PBKDF2-HMAC-SHA256).
pub fn encrypt(
    signer: &LocalEthSigner,
    password: &KeystorePassword,
    kdf: Kdf,
) -> Result<String, KeystoreError> {
    kdf.check()?;
    let mut random = [0u8; 32 + 16 + 16];
    getrandom::fill(&mut random).map_err(|e| KeystoreError::Randomness {
        reason: e.to_string(),
    })?;
    let (salt, rest) = random.split_at(32);
    let mut iv = [0u8; 16];
    iv.copy_from_slice(&rest[..16]);
    let mut id = [0u8; 16];
    id.copy_from_slice(&rest[16..]);

    let derived = kdf.derive(password.expose_secret().as_bytes(), salt)?;
    let mut ciphertext = *signer.secret().expose_secret();
    let mut cipher = Aes128Ctr::new((&derived[..16]).into(), (&iv).into());
    cipher.apply_keystream(&mut ciphertext);
    let mac = mac(&derived, &ciphertext);
    Ok(json::write(
        &kdf,
        salt,
        &iv,
        &ciphertext,
        &mac,
        signer.address().as_bytes(),
        &id,
    ))
}

/// A fresh key from the operating system's random number generator, for a new keystore.
///
/// ```
/// let signer = auth_signing::ethereum::keystore::random_key()?;
/// assert_ne!(signer.address(), auth_signing::ethereum::keystore::random_key()?.address());
/// # Ok::<(), auth_signing::ethereum::keystore::KeystoreError>(())
/// ```
pub fn random_key() -> Result<LocalEthSigner, KeystoreError> {
    // A random 32 bytes fail to be a key (zero, or not below the group order) with
    // probability about 2^-128; a few tries are plenty.
    for _ in 0..8 {
        let mut key = SecretBytes32::new([0u8; 32]);
        getrandom::fill(key.expose_secret_mut()).map_err(|e| KeystoreError::Randomness {
            reason: e.to_string(),
        })?;
        if let Ok(signer) = LocalEthSigner::from_secret(key) {
            return Ok(signer);
        }
    }
    Err(KeystoreError::Randomness {
        reason: "eight random draws were not secp256k1 keys".to_owned(),
    })
}

impl LocalEthSigner {
    /// Opens a Web3 Secret Storage keystore's JSON: [`keystore::decrypt`](decrypt).
    pub fn from_keystore(
        json: &str,
        password: &KeystorePassword,
    ) -> Result<LocalEthSigner, KeystoreError> {
        decrypt(json, password)
    }

    /// Writes this key into a new keystore's JSON: [`keystore::encrypt`](encrypt).
    pub fn to_keystore(
        &self,
        password: &KeystorePassword,
        kdf: Kdf,
    ) -> Result<String, KeystoreError> {
        encrypt(self, password, kdf)
    }
}
