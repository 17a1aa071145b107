//! Sign-In with Ethereum: the EIP-4361 message this client signs, the login with an
//! [`EthSigner`], and a login with a message signed elsewhere, checked before it is sent.

use auth_types::Clock as _;
use std::str::FromStr;
use std::time::SystemTime;

use auth_provider::ApiError;
use auth_signing::EthSigner;
use auth_signing::ethereum::EthSignature;
use auth_signing::siwe::{SiweFields, SiweMessage, Timestamp, VerifyOptions};
use auth_types::{AccessToken, EvmAddress, escape_unprintable_cut};

use super::SiwxClient;
use super::answer::SiwxLogin;
use crate::error::{SiwxError, SiwxFailure};
use crate::standard::{Siwe, Standard};

impl SiwxClient<Siwe> {
    /// The EIP-4361 message `address` would sign now with `nonce`: this client's domain,
    /// URI, statement, chain id and resources, `Issued At` by the client's clock and an
    /// `Expiration Time` after the message lifetime. The nonce is checked first.
    pub fn message(&self, address: EvmAddress, nonce: &str) -> Result<SiweMessage, SiwxError> {
        self.checked_nonce(nonce)?;
        self.message_at(address, nonce, self.inner.api.clock().now())
    }

    fn message_at(
        &self,
        address: EvmAddress,
        nonce: &str,
        now: SystemTime,
    ) -> Result<SiweMessage, SiwxError> {
        let template = &self.inner.template;
        let chain_id = template
            .chain_id
            .parse::<u64>()
            .map_err(|_| ApiError::Config {
                api: Siwe::NAME,
                setting: "chain id",
                reason: "not a decimal EIP-155 chain id".to_owned(),
            })?;
        let fields = SiweFields {
            scheme: None,
            domain: template.domain.clone(),
            address: address.to_checksum(),
            statement: template.statement.clone(),
            uri: template.uri.clone(),
            version: "1".to_owned(),
            chain_id,
            nonce: nonce.to_owned(),
            issued_at: Timestamp::from_system_time(now).to_string(),
            expiration_time: template
                .lifetime
                .map(|lifetime| Timestamp::from_system_time(now + lifetime).to_string()),
            not_before: None,
            request_id: None,
            resources: template.resources.clone(),
        };
        SiweMessage::from_fields(fields).map_err(|e| SiwxFailure::Siwe(e).into())
    }

    /// Fetches a nonce, writes the message, has `signer` sign it (EIP-191
    /// `personal_sign`) and logs in.
    pub async fn login(&self, signer: &dyn EthSigner) -> Result<SiwxLogin, SiwxError> {
        let nonce = self.fetch_nonce().await?;
        self.sign_and_send(signer, &nonce.value, &nonce.cookies)
            .await
    }

    /// Logs in with a nonce the caller got from the backend (for
    /// [`NonceSource::Caller`](crate::NonceSource::Caller)); checked like a fetched one.
    pub async fn login_with_nonce(
        &self,
        signer: &dyn EthSigner,
        nonce: &str,
    ) -> Result<SiwxLogin, SiwxError> {
        self.checked_nonce(nonce)?;
        self.sign_and_send(signer, nonce, &[]).await
    }

    async fn sign_and_send(
        &self,
        signer: &dyn EthSigner,
        nonce: &str,
        cookies: &[(String, AccessToken)],
    ) -> Result<SiwxLogin, SiwxError> {
        let message = self.message(signer.address(), nonce)?;
        let signature = message.sign(signer).await.map_err(SiwxFailure::Siwe)?;
        self.send_login(&message.to_string(), &signature.to_string(), cookies)
            .await
    }

    /// Logs in with a message and signature made elsewhere (a hardware wallet, a browser,
    /// [`SiwxClient::message`] + `authctl siwe sign`). Before anything is sent: the text
    /// must be a valid EIP-4361 message naming this client's domain and chain, and the
    /// signature (`0x` + 65 bytes) must recover to its address.
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
        let parsed = SiweMessage::parse(message).map_err(SiwxFailure::Siwe)?;
        self.check_foreign("domain", parsed.domain())?;
        self.check_foreign("chain id", &parsed.chain_id().to_string())?;
        let mismatch = |reason: String| SiwxFailure::SignatureMismatch {
            api: Siwe::NAME,
            reason,
        };
        let signature = EthSignature::from_str(signature.trim())
            .map_err(|e| mismatch(format!("not a signature: {e}")))?;
        let options = VerifyOptions::at(self.inner.api.clock().now());
        parsed
            .verify(&signature, &options)
            .map_err(|e| mismatch(e.to_string()))?;
        self.send_login(message, &signature.to_string(), cookies)
            .await
    }

    /// `found` if it is what this client writes into `field`, else a foreign message.
    fn check_foreign(&self, field: &'static str, found: &str) -> Result<(), SiwxError> {
        let template = &self.inner.template;
        let expected = match field {
            "domain" => &template.domain,
            _ => &template.chain_id,
        };
        if found.eq_ignore_ascii_case(expected) {
            return Ok(());
        }
        Err(SiwxFailure::ForeignMessage {
            api: Siwe::NAME,
            field,
            expected: expected.clone(),
            found: escape_unprintable_cut(found, 200),
        }
        .into())
    }
}
