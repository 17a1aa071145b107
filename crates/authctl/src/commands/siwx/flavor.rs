//! What differs between SIWE and SIWS for the commands: the key, the fields, the
//! signature's text form.

use std::str::FromStr;
use std::sync::Arc;

use async_trait::async_trait;
use auth_signing::ethereum::EthSignature;
use auth_signing::siwe::{SiweFields, SiweMessage, VerifyOptions};
use auth_signing::siws::{SiwsFields, SiwsMessage};
use auth_signing::solana::SolanaSignature;
use siwx_auth::{Siwe, Siws, SiwxAuthenticator, SiwxClient, SiwxError, SiwxLogin, Standard};

use super::Failure;
use crate::cli::{EthKeyArgs, SolanaKeyArgs};
use crate::secrets::{eth_key_from, solana_key_from};

/// One standard, as the commands use it.
#[async_trait]
pub(crate) trait Flavor: Standard {
    /// Where its key comes from.
    type Key: Send + Sync;

    /// The message text the JSON fields make.
    fn message_from_fields(json: &str) -> Result<String, String>;
    /// The fields of a message text, as JSON.
    fn fields_of(text: &str) -> Result<serde_json::Value, String>;
    /// Checks `signature` (its text form) over the message `text`.
    fn verify(text: &str, signature: &str, options: &VerifyOptions) -> Result<(), String>;
    /// Signs the message `text` with the key; the signature's text form. The key must be
    /// the message's address.
    async fn sign(key: &Self::Key, text: &str) -> Result<String, Failure>;
    /// Signs in with the key.
    async fn login(client: &SiwxClient<Self>, key: &Self::Key) -> Result<SiwxLogin, Failure>;
    /// Whether the key arguments name a key (they are optional with `login --browser`).
    fn key_given(key: &Self::Key) -> bool;
    /// Signs in with a wallet in the user's browser (`login --browser`).
    async fn browser_login(client: &SiwxClient<Self>) -> Result<SiwxLogin, Failure>;
    /// An authenticator over the key.
    fn authenticator(
        client: SiwxClient<Self>,
        key: &Self::Key,
    ) -> Result<SiwxAuthenticator<Self>, Failure>;
}

fn failed(what: &'static str) -> impl Fn(SiwxError) -> Failure {
    move |e| Failure::new(format!("{what} failed: {e}"))
}

#[async_trait]
impl Flavor for Siwe {
    type Key = EthKeyArgs;

    fn message_from_fields(json: &str) -> Result<String, String> {
        let fields: SiweFields = serde_json::from_str(json).map_err(|e| e.to_string())?;
        Ok(SiweMessage::from_fields(fields)
            .map_err(|e| e.to_string())?
            .to_string())
    }

    fn fields_of(text: &str) -> Result<serde_json::Value, String> {
        let message = SiweMessage::parse(text).map_err(|e| e.to_string())?;
        serde_json::to_value(message.fields()).map_err(|e| e.to_string())
    }

    fn verify(text: &str, signature: &str, options: &VerifyOptions) -> Result<(), String> {
        let message = SiweMessage::parse(text).map_err(|e| e.to_string())?;
        let signature =
            EthSignature::from_str(signature.trim()).map_err(|e| format!("the signature: {e}"))?;
        message
            .verify(&signature, options)
            .map_err(|e| e.to_string())
    }

    async fn sign(key: &EthKeyArgs, text: &str) -> Result<String, Failure> {
        let message = SiweMessage::parse(text).map_err(|e| Failure::new(e.to_string()))?;
        let signer = eth_key_from(key)?;
        eprintln!(
            "signing in to {} (chain {}) as {}",
            message.domain(),
            message.chain_id(),
            message.address()
        );
        let signature = message
            .sign(&signer)
            .await
            .map_err(|e| Failure::new(e.to_string()))?;
        Ok(signature.to_string())
    }

    async fn login(client: &SiwxClient<Siwe>, key: &EthKeyArgs) -> Result<SiwxLogin, Failure> {
        let signer = eth_key_from(key)?;
        client.login(&signer).await.map_err(failed("login"))
    }

    fn key_given(key: &EthKeyArgs) -> bool {
        key.private_key_env.is_some()
            || key.private_key_file.is_some()
            || key.keystore.is_some()
            || key.account.is_some()
    }

    async fn browser_login(client: &SiwxClient<Siwe>) -> Result<SiwxLogin, Failure> {
        super::browser::siwe_login(client).await
    }

    fn authenticator(
        client: SiwxClient<Siwe>,
        key: &EthKeyArgs,
    ) -> Result<SiwxAuthenticator<Siwe>, Failure> {
        Ok(SiwxAuthenticator::new(client, Arc::new(eth_key_from(key)?)))
    }
}

#[async_trait]
impl Flavor for Siws {
    type Key = SolanaKeyArgs;

    fn message_from_fields(json: &str) -> Result<String, String> {
        let fields: SiwsFields = serde_json::from_str(json).map_err(|e| e.to_string())?;
        Ok(SiwsMessage::from_fields(fields)
            .map_err(|e| e.to_string())?
            .to_string())
    }

    fn fields_of(text: &str) -> Result<serde_json::Value, String> {
        let message = SiwsMessage::parse(text).map_err(|e| e.to_string())?;
        serde_json::to_value(message.fields()).map_err(|e| e.to_string())
    }

    fn verify(text: &str, signature: &str, options: &VerifyOptions) -> Result<(), String> {
        let message = SiwsMessage::parse(text).map_err(|e| e.to_string())?;
        let signature = SolanaSignature::from_str(signature.trim())
            .map_err(|e| format!("the signature: {e}"))?;
        message
            .verify(&signature, options)
            .map_err(|e| e.to_string())
    }

    async fn sign(key: &SolanaKeyArgs, text: &str) -> Result<String, Failure> {
        let message = SiwsMessage::parse(text).map_err(|e| Failure::new(e.to_string()))?;
        let keypair = solana_key_from(key)?;
        eprintln!(
            "signing in to {} as {}",
            message.domain(),
            message.address()
        );
        let signature = message
            .sign(&keypair)
            .await
            .map_err(|e| Failure::new(e.to_string()))?;
        Ok(signature.to_base58())
    }

    async fn login(client: &SiwxClient<Siws>, key: &SolanaKeyArgs) -> Result<SiwxLogin, Failure> {
        let keypair = solana_key_from(key)?;
        client.login(&keypair).await.map_err(failed("login"))
    }

    fn key_given(key: &SolanaKeyArgs) -> bool {
        key.keypair.is_some() || key.keypair_env.is_some()
    }

    async fn browser_login(client: &SiwxClient<Siws>) -> Result<SiwxLogin, Failure> {
        super::browser::siws_login(client).await
    }

    fn authenticator(
        client: SiwxClient<Siws>,
        key: &SolanaKeyArgs,
    ) -> Result<SiwxAuthenticator<Siws>, Failure> {
        Ok(SiwxAuthenticator::new(
            client,
            Arc::new(solana_key_from(key)?),
        ))
    }
}
