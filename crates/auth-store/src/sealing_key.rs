//! The key that seals stored tokens at rest (feature `sealing`).

use zeroize::Zeroizing;

/// A 256-bit key that seals a store's entry at rest (see `FileStore::sealed` and, with
/// the `redis` feature, `RedisStore::sealed`): the stored content becomes
/// `{"version":1,"sealed":"<base64 of nonce and ciphertext>"}`, ChaCha20-Poly1305 from
/// `ring` with a random 96-bit nonce per save.
///
/// Read it from the environment ([`from_env`](SealingKey::from_env)) as 64 hex digits
/// (an optional `0x` first) or the base64 of 32 bytes (standard or URL-safe alphabet,
/// padded or not); make one with `openssl rand -hex 32`. Every process sharing a store
/// needs the same key. `Debug` shows no key bytes; they are wiped when the key is dropped.
///
/// ```
/// use auth_store::SealingKey;
///
/// let key = SealingKey::parse(&"ab".repeat(32)).unwrap();
/// assert_eq!(format!("{key:?}"), "SealingKey(..)");
/// assert!(SealingKey::parse("too short").is_err());
/// ```
#[derive(Clone)]
pub struct SealingKey {
    bytes: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealingKey(..)")
    }
}

impl SealingKey {
    /// A key of these 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        SealingKey {
            bytes: Zeroizing::new(bytes),
        }
    }

    /// The key in the environment variable `name` (64 hex digits or base64 of 32 bytes;
    /// whitespace around it is ignored).
    ///
    /// # Errors
    ///
    /// [`SealingKeyError`]: the variable is not set, not Unicode, or not a key. The
    /// message names the variable, never its value.
    pub fn from_env(name: &str) -> Result<Self, SealingKeyError> {
        let value = match std::env::var(name) {
            Ok(value) => Zeroizing::new(value),
            Err(std::env::VarError::NotPresent) => {
                return Err(SealingKeyError::Missing {
                    variable: name.to_owned(),
                });
            }
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(SealingKeyError::Invalid {
                    variable: Some(name.to_owned()),
                });
            }
        };
        SealingKey::parse(&value).map_err(|_| SealingKeyError::Invalid {
            variable: Some(name.to_owned()),
        })
    }

    /// The key written as 64 hex digits (an optional `0x` first) or the base64 of 32
    /// bytes (standard or URL-safe, padded or not); whitespace around it is ignored.
    ///
    /// # Errors
    ///
    /// [`SealingKeyError::Invalid`], which does not quote `text`.
    pub fn parse(text: &str) -> Result<Self, SealingKeyError> {
        let text = text.trim();
        let invalid = || SealingKeyError::Invalid { variable: None };
        let mut bytes = Zeroizing::new([0u8; 32]);
        let hex = text
            .strip_prefix("0x")
            .or_else(|| text.strip_prefix("0X"))
            .unwrap_or(text);
        if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            hex::decode_to_slice(hex, &mut bytes[..]).map_err(|_| invalid())?;
            return Ok(SealingKey { bytes });
        }
        use base64::Engine as _;
        let engines = [
            &base64::engine::general_purpose::STANDARD,
            &base64::engine::general_purpose::STANDARD_NO_PAD,
            &base64::engine::general_purpose::URL_SAFE,
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        ];
        for engine in engines {
            let mut decoded = Zeroizing::new([0u8; 33]);
            if let Ok(32) = engine.decode_slice(text, &mut decoded[..]) {
                bytes.copy_from_slice(&decoded[..32]);
                return Ok(SealingKey { bytes });
            }
        }
        Err(invalid())
    }

    /// The key bytes, for the AEAD.
    #[cfg_attr(not(any(feature = "file", feature = "redis")), allow(dead_code))]
    pub(super) fn expose(&self) -> &[u8; 32] {
        &self.bytes
    }
}

/// Why a [`SealingKey`] could not be read. Never quotes the key text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SealingKeyError {
    /// The environment variable is not set.
    #[error(
        "the environment variable {variable} is not set; put a 32-byte sealing key in it (64 hex digits, e.g. from `openssl rand -hex 32`)"
    )]
    Missing {
        /// The variable's name.
        variable: String,
    },
    /// The text is not 32 bytes in hex or base64.
    #[error("{} is not a sealing key: 32 bytes as 64 hex digits or base64", match variable { Some(name) => format!("the environment variable {name}"), None => "the text".to_owned() })]
    Invalid {
        /// The variable's name, when read from the environment.
        variable: Option<String>,
    },
}
