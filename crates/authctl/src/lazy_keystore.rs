//! A keystore opened only when a login must sign, for `authctl pear token`: a good stored
//! token then costs no password and no key derivation (scrypt: about a second and 270 MB
//! per call with the standard parameters).
//!
//! The session's identity needs the account before anything is signed. Web3 Secret Storage
//! files usually carry it in clear (`address`: geth, foundry, `eth-account` and
//! `authctl keystore` write it), so it is read from the file without decrypting. A file
//! without one can only tell its address by decrypting: it is opened up front, as before.
//!
//! [`LazyKeystore`] holds the file's text, that address and where the password comes from;
//! the first signature (or [`UnlockFirst`], before a login sends anything) reads the
//! password, decrypts and keeps the key for the rest of the process. A key whose address
//! is not the one the file named is refused before anything is signed or sent, so a file
//! whose clear address lies cannot log a different account in under that address's
//! store entry.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;
use auth_session::{AuthError, Authenticator, FailureKind, Identity, Tokens};
use auth_signing::ethereum::{EthSignature, LocalEthSigner};
use auth_signing::{EthSigner, SignerError};
use auth_types::{AccessToken, EvmAddress, RefreshToken};
use zeroize::Zeroizing;

use crate::cli::PasswordArgs;
use crate::failure::Failure;
use crate::secrets::open_keystore;

/// A keystore file whose key is decrypted on first use. `Debug` shows the path and the
/// address only.
pub(crate) struct LazyKeystore {
    path: PathBuf,
    json: Arc<Zeroizing<String>>,
    address: EvmAddress,
    password: PasswordArgs,
    key: tokio::sync::OnceCell<LocalEthSigner>,
}

impl fmt::Debug for LazyKeystore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LazyKeystore")
            .field("path", &self.path)
            .field("address", &self.address)
            .field("opened", &self.key.initialized())
            .finish_non_exhaustive()
    }
}

/// How `authctl pear token` signs with a keystore: lazily when the file names its address,
/// else with the key decrypted up front.
#[derive(Debug)]
pub(crate) enum KeystoreSigner {
    /// The file names its address: decrypted when a login signs.
    Lazy(Arc<LazyKeystore>),
    /// The file names no address: decrypted already.
    Opened(LocalEthSigner),
}

impl KeystoreSigner {
    /// The keystore at `path` (its text `json`), with the password from `password`.
    pub(crate) fn new(
        path: &Path,
        json: Zeroizing<String>,
        password: &PasswordArgs,
    ) -> Result<Self, Failure> {
        match clear_address(path, &json)? {
            Some(address) => Ok(KeystoreSigner::Lazy(Arc::new(LazyKeystore {
                path: path.to_owned(),
                json: Arc::new(json),
                address,
                password: password.clone(),
                key: tokio::sync::OnceCell::new(),
            }))),
            None => open_keystore(path, &json, password).map(KeystoreSigner::Opened),
        }
    }

    /// The signer, and the keystore to open before a login when it is lazy.
    pub(crate) fn into_parts(self) -> (Arc<dyn EthSigner>, Option<Arc<LazyKeystore>>) {
        match self {
            KeystoreSigner::Lazy(keystore) => (keystore.clone(), Some(keystore)),
            KeystoreSigner::Opened(signer) => (Arc::new(signer), None),
        }
    }
}

/// The keystore's clear `address` field: `None` when it has none (or `null`).
fn clear_address(path: &Path, json: &str) -> Result<Option<EvmAddress>, Failure> {
    let failed = |problem: String| Failure::new(format!("{}: {problem}", path.display()));
    let document: serde_json::Value = serde_json::from_str(json).map_err(|e| {
        failed(format!(
            "the keystore is not JSON (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    let text = match document.get("address") {
        None | Some(serde_json::Value::Null) => return Ok(None),
        Some(serde_json::Value::String(text)) => text,
        Some(_) => return Err(failed("the keystore's address must be a string".to_owned())),
    };
    let digits = text.strip_prefix("0x").unwrap_or(text);
    let mut bytes = [0u8; 20];
    hex::decode_to_slice(digits, &mut bytes)
        .map_err(|_| failed("the keystore's address must be hex of 20 bytes".to_owned()))?;
    Ok(Some(EvmAddress::from(bytes)))
}

impl LazyKeystore {
    /// Reads the password and decrypts the key, once per process (a failure is not kept:
    /// the next call tries again). The key must be the address the file named.
    pub(crate) async fn unlock(&self) -> Result<&LocalEthSigner, Failure> {
        self.key
            .get_or_try_init(|| async {
                let path = self.path.clone();
                let json = Arc::clone(&self.json);
                let password = self.password.clone();
                let named = self.address;
                // A terminal prompt and the key derivation both block.
                tokio::task::spawn_blocking(move || {
                    let signer = open_keystore(&path, &json, &password)?;
                    if signer.address() == named {
                        Ok(signer)
                    } else {
                        Err(Failure::new(format!(
                            "{}: the key in the keystore is not that of its address field \
                             ({named}); refusing to sign with it",
                            path.display()
                        )))
                    }
                })
                .await
                .map_err(|e| Failure::new(format!("opening the keystore stopped: {e}")))?
            })
            .await
    }
}

#[async_trait]
impl EthSigner for LazyKeystore {
    fn address(&self) -> EvmAddress {
        self.address
    }

    async fn sign_hash(&self, hash: &[u8; 32]) -> Result<EthSignature, SignerError> {
        let key = self.unlock().await.map_err(|e| SignerError::Failed {
            reason: e.to_string(),
            source: None,
        })?;
        EthSigner::sign_hash(key, hash).await
    }
}

/// An authenticator that opens a [`LazyKeystore`] before it logs in, so a wrong password,
/// a missing variable or a key that is not the file's address fails before any request
/// (the login message is fetched only after), and a terminal prompt comes before the
/// login message, whose timestamp the server checks. Refreshes and logouts need no key.
#[derive(Debug)]
pub(crate) struct UnlockFirst<A> {
    inner: A,
    keystore: Option<Arc<LazyKeystore>>,
}

impl<A> UnlockFirst<A> {
    /// `inner`, opening `keystore` (if any) before each login.
    pub(crate) fn new(inner: A, keystore: Option<Arc<LazyKeystore>>) -> Self {
        UnlockFirst { inner, keystore }
    }
}

/// Why an [`UnlockFirst`] login failed: the keystore, or the provider.
#[derive(Debug)]
pub(crate) enum UnlockError<E> {
    /// The keystore could not be opened (permanent: a password or a file to fix).
    Keystore(Failure),
    /// The provider's error.
    Provider(E),
}

impl<E: fmt::Display> fmt::Display for UnlockError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnlockError::Keystore(failure) => failure.fmt(f),
            UnlockError::Provider(error) => error.fmt(f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for UnlockError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            UnlockError::Keystore(_) => None,
            UnlockError::Provider(error) => error.source(),
        }
    }
}

impl<E: AuthError> AuthError for UnlockError<E> {
    fn kind(&self) -> FailureKind {
        match self {
            UnlockError::Keystore(_) => FailureKind::Permanent,
            UnlockError::Provider(error) => error.kind(),
        }
    }

    fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            UnlockError::Keystore(_) => None,
            UnlockError::Provider(error) => error.retry_after(),
        }
    }
}

#[async_trait]
impl<A: Authenticator> Authenticator for UnlockFirst<A> {
    type Error = UnlockError<A::Error>;

    fn identity(&self) -> Identity {
        self.inner.identity()
    }

    async fn login(&self) -> Result<Tokens, Self::Error> {
        if let Some(keystore) = &self.keystore {
            keystore.unlock().await.map_err(UnlockError::Keystore)?;
        }
        self.inner.login().await.map_err(UnlockError::Provider)
    }

    async fn refresh(&self, refresh_token: &RefreshToken) -> Result<Tokens, Self::Error> {
        self.inner
            .refresh(refresh_token)
            .await
            .map_err(UnlockError::Provider)
    }

    async fn logout(
        &self,
        access_token: &AccessToken,
        refresh_token: Option<&RefreshToken>,
    ) -> Result<(), Self::Error> {
        self.inner
            .logout(access_token, refresh_token)
            .await
            .map_err(UnlockError::Provider)
    }
}

#[cfg(test)]
mod tests {
    use auth_signing::ethereum::keystore::{Kdf, KeystorePassword};

    use super::*;

    const KEY: &str = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

    fn json_with_address(address: Option<serde_json::Value>) -> Zeroizing<String> {
        let signer = LocalEthSigner::from_hex(KEY).expect("a key");
        let json = signer
            .to_keystore(&KeystorePassword::new("pw"), Kdf::SCRYPT_LIGHT)
            .expect("a keystore");
        let mut json: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        match address {
            Some(address) => json["address"] = address,
            None => {
                json.as_object_mut().expect("an object").remove("address");
            }
        }
        Zeroizing::new(json.to_string())
    }

    #[test]
    fn the_clear_address_is_read_in_any_usual_spelling() {
        let path = Path::new("key.json");
        let expected = LocalEthSigner::from_hex(KEY).expect("a key").address();
        let hex = expected.to_lowercase_hex();
        for text in [
            hex.clone(),
            hex.trim_start_matches("0x").to_owned(),
            expected.to_checksum(),
            hex.to_uppercase().replace("0X", "0x"),
        ] {
            let json = json_with_address(Some(text.clone().into()));
            assert_eq!(clear_address(path, &json).expect(&text), Some(expected));
        }
        assert_eq!(
            clear_address(path, &json_with_address(None)).ok(),
            Some(None)
        );
        let null = json_with_address(Some(serde_json::Value::Null));
        assert_eq!(clear_address(path, &null).ok(), Some(None));
        for bad in [
            serde_json::json!(12),
            serde_json::json!("0x1234"),
            serde_json::json!("zz"),
        ] {
            let error = clear_address(path, &json_with_address(Some(bad))).expect_err("refused");
            assert!(error.to_string().starts_with("key.json: "), "{error}");
        }
        assert!(clear_address(path, "not json").is_err());
    }

    #[tokio::test]
    async fn the_key_is_decrypted_at_the_first_signature_only() {
        let path = Path::new("key.json");
        let json = json_with_address(Some(
            LocalEthSigner::from_hex(KEY)
                .expect("a key")
                .address()
                .to_lowercase_hex()
                .into(),
        ));
        let password = PasswordArgs {
            password_env: Some("AUTHCTL_TEST_UNSET_VAR".to_owned()),
            password_file: None,
        };
        let KeystoreSigner::Lazy(keystore) =
            KeystoreSigner::new(path, json, &password).expect("read")
        else {
            panic!("a keystore with an address is lazy");
        };
        assert!(format!("{keystore:?}").contains("opened: false"));
        // No password: built fine, fails only when it must sign.
        let error = keystore
            .sign_hash(&[7u8; 32])
            .await
            .expect_err("no password");
        assert!(error.to_string().contains("not set"), "{error}");
        assert!(!keystore.key.initialized());
    }

    #[tokio::test]
    async fn the_password_is_read_once_and_the_key_kept() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let password_file = dir.path().join("password");
        std::fs::write(&password_file, "pw\n").expect("written");
        let address = LocalEthSigner::from_hex(KEY).expect("a key").address();
        let json = json_with_address(Some(address.to_lowercase_hex().into()));
        let password = PasswordArgs {
            password_env: None,
            password_file: Some(password_file.clone()),
        };
        let KeystoreSigner::Lazy(keystore) =
            KeystoreSigner::new(Path::new("key.json"), json, &password).expect("read")
        else {
            panic!("a keystore with an address is lazy");
        };
        let hash = [9u8; 32];
        let first = keystore.sign_hash(&hash).await.expect("signed");
        assert_eq!(
            auth_signing::ethereum::recover_address(&hash, &first).expect("recovers"),
            address
        );
        // Kept: the password file is no longer needed.
        std::fs::remove_file(&password_file).expect("removed");
        let second = keystore.sign_hash(&hash).await.expect("signed again");
        assert_eq!(first.as_bytes(), second.as_bytes());
    }

    #[tokio::test]
    async fn a_key_that_is_not_the_named_address_is_refused() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let password_file = dir.path().join("password");
        std::fs::write(&password_file, "pw").expect("written");
        let json = json_with_address(Some(format!("0x{}", "11".repeat(20)).into()));
        let password = PasswordArgs {
            password_env: None,
            password_file: Some(password_file),
        };
        let KeystoreSigner::Lazy(keystore) =
            KeystoreSigner::new(Path::new("key.json"), json, &password).expect("read")
        else {
            panic!("a keystore with an address is lazy");
        };
        assert_eq!(
            keystore.address().to_lowercase_hex(),
            format!("0x{}", "11".repeat(20))
        );
        let error = keystore.unlock().await.expect_err("refused");
        assert!(error.to_string().contains("address"), "{error}");
        assert!(!keystore.key.initialized());
    }
}
