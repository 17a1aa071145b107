//! A store's content with or without sealing: the entry's JSON in clear, or sealed in
//! `{"version":1,"sealed":"<base64 of nonce || ciphertext>"}` (feature `sealing`).

use crate::entry::StoreEntry;
use crate::format::{self, FormatError};

/// The builders `sealed` and `with_previous_key` of a store with a `sealer` field (feature
/// `sealing`): what the store then holds, and who must share its key, as text.
macro_rules! sealing_builders {
    ($holds:literal, $sharers:literal) => {
        /// This store, sealing what it writes with `key` and reading only entries sealed
        /// with it (feature `sealing`; see [`SealingKey`](crate::SealingKey)):
        #[doc = $holds]
        /// An entry in clear, sealed with another key or altered is refused
        /// ([`StoreError::InvalidEntry`](crate::StoreError::InvalidEntry)); a session
        /// ignores it and logs in.
        #[doc = $sharers]
        /// needs the same key (or it as a previous key, see `with_previous_key`).
        #[cfg(feature = "sealing")]
        #[must_use]
        pub fn sealed(mut self, key: &crate::SealingKey) -> Self {
            self.sealer = crate::seal::Sealer::new(key);
            self
        }

        /// This sealed store, also opening entries sealed with `previous`: a key being
        /// rotated out. It writes with the key given to `sealed` only. To rotate a fleet's
        /// key without a login storm: give every process the new key with the old one as
        /// previous, then, once all run so, drop the old one. Has no effect on a store that
        /// does not seal.
        ///
        /// ```
        /// # #[cfg(all(feature = "sealing", feature = "file"))] {
        /// use auth_store::{FileStore, SealingKey};
        /// let new = SealingKey::parse(&"11".repeat(32))?;
        /// let old = SealingKey::parse(&"22".repeat(32))?;
        /// let store = FileStore::new("tokens.json").sealed(&new).with_previous_key(&old);
        /// # let _ = store; }
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        #[cfg(feature = "sealing")]
        #[must_use]
        pub fn with_previous_key(mut self, previous: &crate::SealingKey) -> Self {
            self.sealer = self.sealer.also_open(previous);
            self
        }
    };
}
pub(super) use sealing_builders;

/// How a store writes and reads its content: in clear, or sealed with a key.
#[derive(Clone, Default)]
pub(super) struct Sealer {
    /// The key that seals what is written, and opens first.
    #[cfg(feature = "sealing")]
    key: Option<std::sync::Arc<sealed::Key>>,
    /// Keys being rotated out: they open entries, never seal.
    #[cfg(feature = "sealing")]
    previous: Vec<std::sync::Arc<sealed::Key>>,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.is_sealed() { "sealed" } else { "clear" })
    }
}

impl Sealer {
    /// Whether content is sealed.
    pub(super) fn is_sealed(&self) -> bool {
        #[cfg(feature = "sealing")]
        return self.key.is_some();
        #[cfg(not(feature = "sealing"))]
        return false;
    }

    /// The content for `entry`.
    pub(super) fn encode(&self, entry: &StoreEntry) -> Result<Vec<u8>, FormatError> {
        #[cfg(feature = "sealing")]
        if let Some(key) = &self.key {
            let clear = zeroize::Zeroizing::new(format::encode(entry)?);
            return key.seal(&clear);
        }
        format::encode(entry)
    }

    /// The entry in `bytes`.
    pub(super) fn decode(&self, bytes: &[u8]) -> Result<StoreEntry, FormatError> {
        #[cfg(feature = "sealing")]
        if let Some(key) = &self.key {
            let clear = match key.open(bytes) {
                Err(FormatError::Sealing(crate::error::EntryProblem::WrongKeyOrAltered)) => self
                    .previous
                    .iter()
                    .find_map(|old| old.open(bytes).ok())
                    .ok_or(FormatError::Sealing(
                        crate::error::EntryProblem::WrongKeyOrAltered,
                    ))?,
                opened => opened?,
            };
            return format::decode(&clear);
        }
        format::decode(bytes)
    }
}

#[cfg(feature = "sealing")]
impl Sealer {
    /// Seals with `key`.
    pub(super) fn new(key: &crate::sealing_key::SealingKey) -> Self {
        Sealer {
            key: Some(std::sync::Arc::new(sealed::Key::new(key))),
            previous: Vec::new(),
        }
    }

    /// Also opens entries sealed with `key` (one being rotated out). Only a sealer with a
    /// sealing key uses it.
    pub(super) fn also_open(mut self, key: &crate::sealing_key::SealingKey) -> Self {
        self.previous
            .push(std::sync::Arc::new(sealed::Key::new(key)));
        self
    }
}

#[cfg(feature = "sealing")]
mod sealed {
    use base64::Engine as _;
    use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
    use ring::rand::{SecureRandom as _, SystemRandom};
    use zeroize::Zeroizing;

    use crate::error::EntryProblem;
    use crate::format::{self, FormatError, SealedField};
    use crate::sealing_key::SealingKey;

    /// Associated data of every sealed entry: what the bytes are. (The identity is inside
    /// the sealed text, so it is authenticated with it; a session checks it after opening.)
    const CONTEXT: &[u8] = b"auth-session sealed store entry, version 1";

    /// The sealed content, as written.
    #[derive(serde::Serialize)]
    struct SealedOut<'a> {
        version: u64,
        sealed: &'a str,
    }

    /// The AEAD key (ring wipes nothing itself; the key bytes it was made from are
    /// wiped with the `SealingKey`).
    pub(super) struct Key {
        aead: LessSafeKey,
        random: SystemRandom,
    }

    impl Key {
        pub(super) fn new(key: &SealingKey) -> Self {
            // 32 bytes is ChaCha20-Poly1305's key length: this cannot fail.
            let unbound = UnboundKey::new(&CHACHA20_POLY1305, key.expose())
                .expect("a 32-byte key fits ChaCha20-Poly1305");
            Key {
                aead: LessSafeKey::new(unbound),
                random: SystemRandom::new(),
            }
        }

        /// `{"version":1,"sealed":"<base64 of nonce || ciphertext || tag>"}`.
        pub(super) fn seal(&self, clear: &[u8]) -> Result<Vec<u8>, FormatError> {
            let mut nonce = [0u8; NONCE_LEN];
            self.random
                .fill(&mut nonce)
                .map_err(|_| FormatError::Sealing(crate::error::EntryProblem::WrongKeyOrAltered))?;
            let mut sealed = Vec::with_capacity(NONCE_LEN + clear.len() + 16);
            sealed.extend_from_slice(&nonce);
            let mut body = clear.to_vec();
            self.aead
                .seal_in_place_append_tag(
                    Nonce::assume_unique_for_key(nonce),
                    Aad::from(CONTEXT),
                    &mut body,
                )
                .map_err(|_| FormatError::Sealing(crate::error::EntryProblem::WrongKeyOrAltered))?;
            sealed.extend_from_slice(&body);
            let text = base64::engine::general_purpose::STANDARD.encode(&sealed);
            let bytes = serde_json::to_vec(&SealedOut {
                version: format::VERSION,
                sealed: &text,
            })
            .map_err(FormatError::Encode)?;
            if bytes.len() > format::MAX_BYTES {
                return Err(FormatError::TooLarge);
            }
            Ok(bytes)
        }

        /// The clear content of sealed `bytes`.
        pub(super) fn open(&self, bytes: &[u8]) -> Result<Zeroizing<Vec<u8>>, FormatError> {
            format::check_version(bytes)?;
            let field: SealedField = serde_json::from_slice(bytes).map_err(format::malformed)?;
            let Some(text) = field.sealed else {
                return Err(FormatError::Sealing(EntryProblem::NotSealed));
            };
            let altered = || FormatError::Sealing(crate::error::EntryProblem::WrongKeyOrAltered);
            let sealed = base64::engine::general_purpose::STANDARD
                .decode(text.as_bytes())
                .map_err(|_| altered())?;
            if sealed.len() < NONCE_LEN {
                return Err(altered());
            }
            let (nonce, body) = sealed.split_at(NONCE_LEN);
            let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| altered())?;
            let mut body = Zeroizing::new(body.to_vec());
            let clear_len = self
                .aead
                .open_in_place(nonce, Aad::from(CONTEXT), &mut body)
                .map_err(|_| altered())?
                .len();
            body.truncate(clear_len);
            Ok(body)
        }
    }
}
