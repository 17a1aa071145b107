//! ed25519 keypairs in the formats Solana users have them.

use std::fmt::{self, Write as _};

use auth_types::{SecretBytes32, SolanaPubkey};
use ed25519_dalek::{Signer as _, SigningKey};
use zeroize::Zeroizing;

use async_trait::async_trait;
use auth_signer::{SignerError, SolanaSignature, SolanaSigner};

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
    ///
    /// The bytes are read straight into one fixed buffer that is wiped on drop: no growing
    /// `Vec` leaves copies of the seed behind in freed memory.
    pub fn from_keypair_json(json: &str) -> Result<Self, KeypairError> {
        let bytes = parse_keypair_json(json.trim())?;
        Self::from_keypair_bytes(&bytes[..])
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

/// Reads the Solana CLI format, a JSON array of integers 0-255 (JSON whitespace allowed
/// around each), into a fixed, zeroizing buffer. Counts the elements past 64 without
/// keeping them, so a wrong length is reported as such.
fn parse_keypair_json(text: &str) -> Result<Zeroizing<[u8; 64]>, KeypairError> {
    let mut out = Zeroizing::new([0u8; 64]);
    let input = text.as_bytes();
    let mut pos = 0;
    let skip_whitespace = |pos: &mut usize| {
        while matches!(input.get(*pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            *pos += 1;
        }
    };
    skip_whitespace(&mut pos);
    if input.get(pos) != Some(&b'[') {
        return Err(KeypairError::NotJsonBytes);
    }
    pos += 1;
    skip_whitespace(&mut pos);
    let mut count = 0usize;
    if input.get(pos) == Some(&b']') {
        pos += 1;
    } else {
        loop {
            // One integer 0-255, as JSON writes it: decimal digits, no leading zero.
            let start = pos;
            let mut value = 0u16;
            while let Some(digit @ b'0'..=b'9') = input.get(pos) {
                if pos - start < 3 {
                    value = value * 10 + u16::from(digit - b'0');
                }
                pos += 1;
            }
            let digits = pos - start;
            let leading_zero = digits > 1 && input[start] == b'0';
            let byte = match u8::try_from(value) {
                Ok(byte) if (1..=3).contains(&digits) && !leading_zero => byte,
                _ => return Err(KeypairError::NotJsonBytes),
            };
            if let Some(slot) = out.get_mut(count) {
                *slot = byte;
            }
            count += 1;
            skip_whitespace(&mut pos);
            match input.get(pos) {
                Some(b',') => {
                    pos += 1;
                    skip_whitespace(&mut pos);
                }
                Some(b']') => {
                    pos += 1;
                    break;
                }
                _ => return Err(KeypairError::NotJsonBytes),
            }
        }
    }
    skip_whitespace(&mut pos);
    if pos != input.len() {
        return Err(KeypairError::NotJsonBytes);
    }
    if count != 64 {
        return Err(KeypairError::WrongLength { found: count });
    }
    Ok(out)
}

impl fmt::Debug for SolanaKeypair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SolanaKeypair({})", self.pubkey)
    }
}

#[async_trait]
impl SolanaSigner for SolanaKeypair {
    fn pubkey(&self) -> SolanaPubkey {
        SolanaKeypair::pubkey(self)
    }

    async fn sign_message(&self, message: &[u8]) -> Result<SolanaSignature, SignerError> {
        Ok(self.sign(message))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

    use super::*;

    fn file(bytes: &[u8]) -> String {
        let items: Vec<String> = bytes.iter().map(u8::to_string).collect();
        format!("[{}]", items.join(","))
    }

    #[test]
    fn keypair_json_reads_the_cli_format() {
        let kp = SolanaKeypair::from_seed_bytes([9u8; 32]);
        let bytes = kp.signing.to_keypair_bytes();
        // Compact, as the CLI writes it, and with JSON whitespace anywhere.
        let compact = file(&bytes);
        let spaced = format!(
            " \n[ {} ]\r\n",
            bytes
                .iter()
                .map(u8::to_string)
                .collect::<Vec<_>>()
                .join(" ,\t\n")
        );
        for text in [compact, spaced] {
            let parsed = SolanaKeypair::from_keypair_json(&text).unwrap();
            assert_eq!(parsed.pubkey(), kp.pubkey(), "{text}");
        }
        let parsed = parse_keypair_json(&file(&bytes)).unwrap();
        assert_eq!(parsed[..], bytes[..]);
        // Every byte value, 0 and 255 included, reads back.
        let all: Vec<u8> = (0..64u8)
            .map(|i| i.wrapping_mul(4).wrapping_add(3))
            .collect();
        let mut edge = all.clone();
        edge[0] = 0;
        edge[1] = 255;
        assert_eq!(parse_keypair_json(&file(&edge)).unwrap()[..], edge[..]);
    }

    #[test]
    fn keypair_json_refuses_what_is_not_64_json_bytes() {
        let kp = SolanaKeypair::from_seed_bytes([9u8; 32]);
        let good = file(&kp.signing.to_keypair_bytes());
        let inner = &good[1..good.len() - 1];
        for bad in [
            String::new(),
            "[".to_owned(),
            "]".to_owned(),
            format!("[{inner}"),
            format!("{inner}]"),
            format!("[{inner},]"),
            format!("[,{inner}]"),
            format!("[{inner}]]"),
            format!("[{inner}] x"),
            format!("[[{inner}]]"),
            good.replacen('[', "[256,", 1).replacen(",9]", "]", 1),
            good.replacen('[', "[1000,", 1),
            good.replacen('[', "[-1,", 1),
            good.replacen('[', "[01,", 1),
            good.replacen('[', "[1.0,", 1),
            good.replacen('[', "[1e0,", 1),
            good.replacen('[', "[\"1\",", 1),
            good.replacen('[', "[null,", 1),
            good.replacen(',', ",,", 1),
            good.replacen(',', " ", 1),
            "{\"key\": [1]}".to_owned(),
        ] {
            assert!(
                matches!(
                    SolanaKeypair::from_keypair_json(&bad),
                    Err(KeypairError::NotJsonBytes)
                ),
                "{bad}"
            );
        }
        for (text, found) in [
            ("[]".to_owned(), 0),
            (" [ ] ".to_owned(), 0),
            (file(&[1, 2, 3]), 3),
            (file(&[7u8; 63]), 63),
            (file(&[7u8; 65]), 65),
            (file(&[7u8; 1000]), 1000),
        ] {
            assert_eq!(
                SolanaKeypair::from_keypair_json(&text).unwrap_err(),
                KeypairError::WrongLength { found },
                "{text}"
            );
        }
        // 64 bytes whose public half is not the seed's.
        let mut bytes = kp.signing.to_keypair_bytes();
        bytes[63] ^= 1;
        assert_eq!(
            SolanaKeypair::from_keypair_json(&file(&bytes)).unwrap_err(),
            KeypairError::PubkeyMismatch
        );
    }
}
