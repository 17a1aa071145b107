//! A sign-in whose signature is made elsewhere, in two steps: [`SiwxClient::begin`]
//! fetches the nonce (keeping the cookies its answer set) and writes the message for an
//! account; [`PendingSignIn::finish`] checks the signature and logs in with those cookies.
//! For a browser wallet or a hardware wallet that is asked to sign the exact text.

use std::fmt;

use auth_types::{AccessToken, EvmAddress, SolanaPubkey};

use super::SiwxClient;
use super::answer::SiwxLogin;
use crate::error::SiwxError;
use crate::standard::{Siwe, Siws, Standard};

/// A sign-in begun for one account: the message it must sign, and what the backend's
/// nonce answer set (cookies). Made by [`SiwxClient::begin`]; consumed by
/// [`finish`](PendingSignIn::finish). Its `Debug` shows no cookie value.
///
/// ```no_run
/// use siwx_auth::SiweClient;
/// # async fn demo(address: auth_types::EvmAddress, wallet_signs: impl Fn(&str) -> String)
/// # -> Result<(), Box<dyn std::error::Error>> {
/// let client = SiweClient::builder("https://app.example.com").build()?;
/// let pending = client.begin(address).await?;
/// // Show `pending.message()` to the wallet; it answers with a signature (0x + 65 bytes).
/// let signature = wallet_signs(pending.message());
/// let login = pending.finish(&signature).await?;
/// # let _ = login; Ok(()) }
/// ```
pub struct PendingSignIn<S: Standard> {
    client: SiwxClient<S>,
    text: String,
    cookies: Vec<(String, AccessToken)>,
}

impl<S: Standard> PendingSignIn<S> {
    /// The exact text the account must sign (as `personal_sign` / `signMessage` sign it:
    /// its UTF-8 bytes).
    pub fn message(&self) -> &str {
        &self.text
    }
}

impl<S: Standard> fmt::Debug for PendingSignIn<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingSignIn")
            .field("standard", &S::NAME)
            .field("message", &self.text)
            .field(
                "cookies",
                &self
                    .cookies
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl<S: Standard> SiwxClient<S> {
    /// Fetches a nonce (with the cookies its answer set) and has `write` make the message
    /// for it.
    async fn begin_with(
        &self,
        write: impl FnOnce(&str) -> Result<String, SiwxError>,
    ) -> Result<PendingSignIn<S>, SiwxError> {
        let nonce = self.fetch_nonce().await?;
        Ok(PendingSignIn {
            client: self.clone(),
            text: write(&nonce.value)?,
            cookies: nonce.cookies,
        })
    }
}

impl SiwxClient<Siwe> {
    /// Begins a sign-in for `address` whose key signs elsewhere: fetches a nonce (keeping
    /// the cookies its answer set, which a backend such as spruceid's quickstart needs
    /// back with the login) and writes this client's EIP-4361 message for `address`.
    pub async fn begin(&self, address: EvmAddress) -> Result<PendingSignIn<Siwe>, SiwxError> {
        self.begin_with(|nonce| Ok(self.message(address, nonce)?.to_string()))
            .await
    }
}

impl SiwxClient<Siws> {
    /// Begins a sign-in for `address` whose key signs elsewhere: fetches a nonce (keeping
    /// the cookies its answer set) and writes this client's Sign In With Solana message
    /// for `address`.
    pub async fn begin(&self, address: SolanaPubkey) -> Result<PendingSignIn<Siws>, SiwxError> {
        self.begin_with(|nonce| Ok(self.message(address, nonce)?.to_string()))
            .await
    }
}

impl PendingSignIn<Siwe> {
    /// Logs in with `signature` (`0x` + 65 bytes in hex) of [`message`](Self::message),
    /// checked first as [`SiwxClient::login_signed`] checks (it must recover to the
    /// message's address; nothing is sent otherwise), with the nonce's cookies.
    pub async fn finish(self, signature: &str) -> Result<SiwxLogin, SiwxError> {
        self.client
            .login_signed_with(&self.text, signature, &self.cookies)
            .await
    }
}

impl PendingSignIn<Siws> {
    /// Logs in with `signature` (base58) of [`message`](Self::message), checked first as
    /// [`SiwxClient::login_signed`] checks (it must verify for the message's address;
    /// nothing is sent otherwise), with the nonce's cookies.
    pub async fn finish(self, signature: &str) -> Result<SiwxLogin, SiwxError> {
        self.client
            .login_signed_with(&self.text, signature, &self.cookies)
            .await
    }
}
