//! Nonces: issued by one mode (cookie or token), single use, expiring; and the random
//! values of this module (nonces, cookie sessions, refresh tokens), from the operating
//! system's generator.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use auth_types::lock;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::{SecureRandom, SystemRandom};

use crate::time::unix_now_ms;

/// The length of a nonce: 17 ASCII alphanumerics, as spruceid's `generateNonce`.
pub(crate) const NONCE_LEN: usize = 17;

/// How long past its expiry a nonce is remembered, so it is refused as expired (not
/// unknown) for a while.
const KEEP_EXPIRED_MS: u64 = 60_000;

/// The two session modes; a nonce works only in the mode that issued it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `GET /nonce`, `POST /verify`.
    Cookie,
    /// `GET /auth/nonce`, `POST /auth/login`.
    Token,
}

/// Why a nonce was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NonceRefusal {
    /// Never issued here (or forgotten long after it expired).
    Unknown,
    /// Issued by the other mode.
    OtherMode,
    /// Past its lifetime.
    Expired,
    /// Already logged in once.
    Used,
}

impl NonceRefusal {
    /// The refusal's message.
    pub(crate) fn message(self) -> &'static str {
        match self {
            NonceRefusal::Unknown => "Nonce was not issued by this server",
            NonceRefusal::OtherMode => "Nonce was issued for the other session mode",
            NonceRefusal::Expired => "Nonce has expired; ask for a new one",
            NonceRefusal::Used => "Nonce has already been used",
        }
    }
}

struct Issued {
    mode: Mode,
    expires_ms: u64,
    used: bool,
}

/// The nonces a unit issued.
pub(crate) struct Nonces {
    ttl_ms: u64,
    issued: Mutex<HashMap<String, Issued>>,
}

impl Nonces {
    /// Nonces that live `ttl`.
    pub(crate) fn new(ttl: Duration) -> Nonces {
        Nonces {
            ttl_ms: u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX),
            issued: Mutex::new(HashMap::new()),
        }
    }

    /// Their lifetime, milliseconds.
    pub(crate) fn ttl_ms(&self) -> u64 {
        self.ttl_ms
    }

    /// A fresh nonce for `mode`.
    pub(crate) fn issue(&self, mode: Mode) -> String {
        let now = unix_now_ms();
        let nonce = random_alphanumeric(NONCE_LEN);
        let mut issued = lock(&self.issued);
        issued.retain(|_, i| i.expires_ms.saturating_add(KEEP_EXPIRED_MS) > now);
        issued.insert(
            nonce.clone(),
            Issued {
                mode,
                expires_ms: now.saturating_add(self.ttl_ms),
                used: false,
            },
        );
        nonce
    }

    /// Whether `nonce` may log in now in `mode`; `consume` also uses it up (atomically
    /// with the check).
    pub(crate) fn check(&self, nonce: &str, mode: Mode, consume: bool) -> Result<(), NonceRefusal> {
        let mut issued = lock(&self.issued);
        let entry = issued.get_mut(nonce).ok_or(NonceRefusal::Unknown)?;
        if entry.mode != mode {
            return Err(NonceRefusal::OtherMode);
        }
        if entry.used {
            return Err(NonceRefusal::Used);
        }
        if entry.expires_ms <= unix_now_ms() {
            return Err(NonceRefusal::Expired);
        }
        entry.used |= consume;
        Ok(())
    }
}

/// Fills `out` from the system's generator (or, should it fail, from the standard
/// library's randomly keyed hasher).
fn fill(out: &mut [u8]) {
    if SystemRandom::new().fill(out).is_ok() {
        return;
    }
    use std::hash::{BuildHasher, RandomState};
    for (i, chunk) in out.chunks_mut(8).enumerate() {
        let word = RandomState::new()
            .hash_one((i, unix_now_ms()))
            .to_le_bytes();
        chunk.copy_from_slice(&word[..chunk.len()]);
    }
}

/// `len` random characters of `[A-Za-z0-9]`, uniformly (rejection sampling).
pub(crate) fn random_alphanumeric(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::with_capacity(len);
    let mut bytes = [0u8; 32];
    while out.len() < len {
        fill(&mut bytes);
        for &b in &bytes {
            // 248 = 4 × 62: bytes at or above it would bias the draw.
            if b < 248 && out.len() < len {
                out.push(char::from(ALPHABET[usize::from(b % 62)]));
            }
        }
    }
    out
}

/// An opaque random value (32 bytes, base64url): a cookie session or a refresh token.
pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    fill(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_17_alphanumerics_and_differ() {
        let nonces = Nonces::new(Duration::from_secs(60));
        let (a, b) = (nonces.issue(Mode::Cookie), nonces.issue(Mode::Cookie));
        assert_ne!(a, b);
        for n in [&a, &b] {
            assert_eq!(n.len(), NONCE_LEN);
            assert!(n.bytes().all(|c| c.is_ascii_alphanumeric()), "{n}");
        }
    }

    #[test]
    fn a_nonce_works_once_and_only_in_its_mode() {
        let nonces = Nonces::new(Duration::from_secs(60));
        let n = nonces.issue(Mode::Token);
        assert_eq!(
            nonces.check(&n, Mode::Cookie, true),
            Err(NonceRefusal::OtherMode)
        );
        assert_eq!(nonces.check(&n, Mode::Token, false), Ok(()));
        assert_eq!(nonces.check(&n, Mode::Token, true), Ok(()));
        assert_eq!(nonces.check(&n, Mode::Token, true), Err(NonceRefusal::Used));
        assert_eq!(
            nonces.check("nope", Mode::Token, true),
            Err(NonceRefusal::Unknown)
        );
    }

    #[test]
    fn a_nonce_expires() {
        let nonces = Nonces::new(Duration::ZERO);
        let n = nonces.issue(Mode::Cookie);
        assert_eq!(
            nonces.check(&n, Mode::Cookie, true),
            Err(NonceRefusal::Expired)
        );
    }

    #[test]
    fn tokens_are_43_characters_of_base64url() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
    }
}
