//! Secret values: tokens, keys and key material.
//!
//! Every type here keeps its content in memory that is wiped on drop (through
//! [`secrecy`] and [`zeroize`]), prints only `TypeName(<redacted>)` with `Debug`, and has no
//! `Display`. The content is read with an explicit `expose_secret()` call.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use zeroize::{Zeroize, ZeroizeOnDrop};

macro_rules! secret_string {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// `Debug` prints only the type name; there is no `Display`; the text is wiped from
        /// memory when the last clone is dropped. Use `expose_secret()` where the value must
        /// really be sent.
        ///
        /// Clones share one copy of the text (a reference count), so handing the token to
        /// every request copies and wipes nothing.
        #[derive(Clone)]
        pub struct $name(std::sync::Arc<SecretString>);

        impl $name {
            /// Wraps a secret string.
            pub fn new(secret: impl Into<String>) -> Self {
                $name(std::sync::Arc::new(SecretString::from(secret.into())))
            }

            /// The secret text. Every call site is a place where the secret leaves its box.
            pub fn expose_secret(&self) -> &str {
                self.0.expose_secret()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }

        impl From<String> for $name {
            fn from(secret: String) -> Self {
                $name::new(secret)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map($name::new)
            }
        }

        impl PartialEq for $name {
            /// Compares in time independent of where the first difference is.
            fn eq(&self, other: &Self) -> bool {
                constant_time_eq(self.expose_secret().as_bytes(), other.expose_secret().as_bytes())
            }
        }

        impl Eq for $name {}
    };
}

secret_string!(
    /// A bearer access token (for Pear, a JWT valid about 15 minutes; for pump.fun, the JWT).
    AccessToken
);
secret_string!(
    /// A refresh token. For Pear it is single use: each refresh returns a new one.
    RefreshToken
);
secret_string!(
    /// An API key that logs in without a wallet signature.
    ApiKey
);
secret_string!(
    /// An access token issued by Privy, traded for a Pear session.
    PrivyAccessToken
);

/// Compares two byte strings without stopping at the first difference.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Thirty-two secret bytes: a secp256k1 private key or an ed25519 seed.
///
/// The bytes are wiped on drop; `Debug` prints `SecretBytes32(<redacted>)`.
///
/// ```
/// use auth_types::SecretBytes32;
/// let k = SecretBytes32::new([7u8; 32]);
/// assert_eq!(format!("{k:?}"), "SecretBytes32(<redacted>)");
/// assert_eq!(k.expose_secret()[0], 7);
/// ```
#[derive(Clone)]
pub struct SecretBytes32(Box<[u8; 32]>);

impl Zeroize for SecretBytes32 {
    fn zeroize(&mut self) {
        self.0.as_mut().zeroize();
    }
}

impl Drop for SecretBytes32 {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for SecretBytes32 {}

impl SecretBytes32 {
    /// Takes ownership of the bytes. The caller's copy, if any, is the caller's to wipe.
    pub fn new(bytes: [u8; 32]) -> Self {
        SecretBytes32(Box::new(bytes))
    }

    /// Parses 64 hex digits, with or without a `0x` prefix. The error never quotes the input.
    pub fn from_hex(text: &str) -> Result<Self, SecretHexError> {
        let text = text.trim();
        let digits = text.strip_prefix("0x").unwrap_or(text);
        if digits.len() != 64 {
            return Err(SecretHexError::WrongLength);
        }
        let mut out = SecretBytes32(Box::new([0u8; 32]));
        hex::decode_to_slice(digits, &mut out.0[..]).map_err(|_| SecretHexError::InvalidHex)?;
        Ok(out)
    }

    /// The secret bytes.
    pub fn expose_secret(&self) -> &[u8; 32] {
        &self.0
    }

    /// The secret bytes, for filling in place (so no copy is left elsewhere).
    pub fn expose_secret_mut(&mut self) -> &mut [u8; 32] {
        &mut self.0
    }
}

impl fmt::Debug for SecretBytes32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretBytes32(<redacted>)")
    }
}

/// Why text is not 32 secret bytes in hex. Never quotes the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SecretHexError {
    /// Not 64 hex digits (after an optional `0x`).
    #[error("expected 64 hex digits (32 bytes), optionally prefixed with 0x")]
    WrongLength,
    /// A character that is not a hex digit.
    #[error("the key contains a character that is not a hex digit")]
    InvalidHex,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let t = AccessToken::new("very-secret-token");
        assert_eq!(format!("{t:?}"), "AccessToken(<redacted>)");
        assert_eq!(
            format!("{:#?}", RefreshToken::new("x")),
            "RefreshToken(<redacted>)"
        );
        assert_eq!(format!("{:?}", ApiKey::new("x")), "ApiKey(<redacted>)");
        assert_eq!(
            format!("{:?}", PrivyAccessToken::new("x")),
            "PrivyAccessToken(<redacted>)"
        );
        assert_eq!(t.expose_secret(), "very-secret-token");
    }

    #[test]
    fn equality_compares_content() {
        assert_eq!(ApiKey::new("abc"), ApiKey::new("abc"));
        assert_ne!(ApiKey::new("abc"), ApiKey::new("abd"));
        assert_ne!(ApiKey::new("abc"), ApiKey::new("abcd"));
    }

    #[test]
    fn deserializes_from_json_string() {
        let t: RefreshToken = serde_json::from_str("\"r1\"").unwrap();
        assert_eq!(t.expose_secret(), "r1");
    }

    #[test]
    fn secret_bytes_parse_and_never_echo() {
        let hex64 = "11".repeat(32);
        let a = SecretBytes32::from_hex(&hex64).unwrap();
        let b = SecretBytes32::from_hex(&format!("0x{hex64}")).unwrap();
        assert_eq!(a.expose_secret(), b.expose_secret());
        assert_eq!(a.expose_secret(), &[0x11; 32]);
        let bad = format!("0x{}zz", "ab".repeat(31));
        let err = SecretBytes32::from_hex(&bad).unwrap_err();
        assert_eq!(err, SecretHexError::InvalidHex);
        assert!(!err.to_string().contains("abab"));
        assert_eq!(
            SecretBytes32::from_hex("0x1234").unwrap_err(),
            SecretHexError::WrongLength
        );
    }

    #[test]
    fn zeroize_clears_bytes() {
        let mut k = SecretBytes32::new([9; 32]);
        k.zeroize();
        assert_eq!(k.expose_secret(), &[0; 32]);
    }
}
