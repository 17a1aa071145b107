//! Sign In With Solana: the message this client signs, the login with a
//! [`SolanaSigner`], and a login with a message signed elsewhere, checked before it is
//! sent.

use auth_types::Clock as _;
use std::time::SystemTime;

use auth_signing::SolanaSigner;
use auth_signing::siwe::{Timestamp, VerifyOptions};
use auth_signing::siws::{SiwsFields, SiwsMessage};
use auth_signing::solana::SolanaSignature;
use auth_types::{AccessToken, SolanaPubkey, escape_unprintable_cut};

use super::SiwxClient;
use super::answer::SiwxLogin;
use crate::error::{SiwxError, SiwxFailure};
use crate::standard::{Siws, Standard};

impl SiwxClient<Siws> {
    /// The Sign In With Solana message `address` would sign now with `nonce`: this
    /// client's domain, URI (as `URI`), statement, chain id, resources, version `1`,
    /// `Issued At` by the client's clock and an `Expiration Time` after the message
    /// lifetime. The nonce is checked first.
    pub fn message(&self, address: SolanaPubkey, nonce: &str) -> Result<SiwsMessage, SiwxError> {
        self.checked_nonce(nonce)?;
        self.message_at(address, nonce, self.inner.api.clock().now())
    }

    fn message_at(
        &self,
        address: SolanaPubkey,
        nonce: &str,
        now: SystemTime,
    ) -> Result<SiwsMessage, SiwxError> {
        let template = &self.inner.template;
        let fields = SiwsFields {
            domain: template.domain.clone(),
            address: address.to_base58(),
            statement: template.statement.clone(),
            uri: Some(template.uri.clone()),
            version: Some("1".to_owned()),
            chain_id: Some(template.chain_id.clone()),
            nonce: Some(nonce.to_owned()),
            issued_at: Some(Timestamp::from_system_time(now).to_string()),
            expiration_time: template
                .lifetime
                .map(|lifetime| Timestamp::from_system_time(now + lifetime).to_string()),
            not_before: None,
            request_id: None,
            resources: (!template.resources.is_empty()).then(|| template.resources.clone()),
        };
        SiwsMessage::from_fields(fields).map_err(|e| SiwxFailure::Siws(e).into())
    }

    /// Fetches a nonce, writes the message, has `signer` sign its UTF-8 bytes (ed25519)
    /// and logs in; the signature goes in base58.
    pub async fn login(&self, signer: &dyn SolanaSigner) -> Result<SiwxLogin, SiwxError> {
        let nonce = self.fetch_nonce().await?;
        self.sign_and_send(signer, &nonce.value, &nonce.cookies)
            .await
    }

    /// Logs in with a nonce the caller got from the backend (for
    /// [`NonceSource::Caller`](crate::NonceSource::Caller)); checked like a fetched one.
    pub async fn login_with_nonce(
        &self,
        signer: &dyn SolanaSigner,
        nonce: &str,
    ) -> Result<SiwxLogin, SiwxError> {
        self.checked_nonce(nonce)?;
        self.sign_and_send(signer, nonce, &[]).await
    }

    async fn sign_and_send(
        &self,
        signer: &dyn SolanaSigner,
        nonce: &str,
        cookies: &[(String, AccessToken)],
    ) -> Result<SiwxLogin, SiwxError> {
        let message = self.message(signer.pubkey(), nonce)?;
        let signature = message.sign(signer).await.map_err(SiwxFailure::Siws)?;
        self.send_login(&message.to_string(), &signature.to_base58(), cookies)
            .await
    }

    /// Logs in with a message and signature (base58) made elsewhere. Before anything is
    /// sent: the text must be a valid Sign In With Solana message naming this client's
    /// domain (and chain, when it names one), and the signature must verify for its
    /// address.
    pub async fn login_signed(
        &self,
        message: &str,
        signature: &str,
    ) -> Result<SiwxLogin, SiwxError> {
        self.login_signed_with(message, signature, &[]).await
    }

    /// [`login_signed`](Self::login_signed) sending `cookies` (a nonce's) with the login.
    pub(super) async fn login_signed_with(
        &self,
        message: &str,
        signature: &str,
        cookies: &[(String, AccessToken)],
    ) -> Result<SiwxLogin, SiwxError> {
        let parsed = SiwsMessage::parse(message).map_err(SiwxFailure::Siws)?;
        let template = &self.inner.template;
        let foreign =
            |field: &'static str, expected: &str, found: &str| SiwxFailure::ForeignMessage {
                api: Siws::NAME,
                field,
                expected: expected.to_owned(),
                found: escape_unprintable_cut(found, 200),
            };
        if !parsed.domain().eq_ignore_ascii_case(&template.domain) {
            return Err(foreign("domain", &template.domain, parsed.domain()).into());
        }
        if let Some(chain) = parsed.chain_id()
            && chain != template.chain_id
        {
            return Err(foreign("chain id", &template.chain_id, chain).into());
        }
        let mismatch = |reason: String| SiwxFailure::SignatureMismatch {
            api: Siws::NAME,
            reason,
        };
        let signature: SolanaSignature = signature
            .trim()
            .parse()
            .map_err(|e| mismatch(format!("not a base58 signature: {e}")))?;
        let options = VerifyOptions::at(self.inner.api.clock().now());
        parsed
            .verify(&signature, &options)
            .map_err(|e| mismatch(e.to_string()))?;
        self.send_login(message, &signature.to_base58(), cookies)
            .await
    }
}
