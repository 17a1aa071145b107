//! The Solana SDK bridge (feature `solana-signer`): any [`solana_signer::Signer`] as a
//! [`SolanaSigner`].
//!
//! The Solana SDK's split crates define one `Signer` trait for keypairs
//! (`solana-keypair`), remote and hardware wallets (`solana-remote-wallet`) and custom
//! signers. Wrap one in [`SdkSigner`] and hand it to a pump.fun login:
//!
//! ```
//! use auth_signing::SolanaSigner;
//! use auth_signing::solana::verify;
//! use auth_signing::solana_sdk::SdkSigner;
//!
//! let keypair = solana_keypair::Keypair::new_from_array([7u8; 32]);
//! let signer = SdkSigner::new(keypair)?;
//! let message = b"Sign in to pump.fun: 1732076598000";
//! let signature = futures_executor::block_on(signer.sign_message(message))?;
//! verify(&signer.pubkey(), message, &signature)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The SDK's trait is synchronous: a signer that waits on a device or a network blocks the
//! thread it is called on for that long.

use std::fmt;

use async_trait::async_trait;
use auth_signer::{SignerError, SolanaSigner};
use auth_types::SolanaPubkey;

use crate::solana::{SolanaSignature, verify};

/// A Solana SDK [`solana_signer::Signer`] as a [`SolanaSigner`].
///
/// Each signature is verified against the signer's public key before it is returned,
/// else [`SignerError::WrongSigner`]: a signer answering with another key's signature is
/// caught before a login sends it. `Debug` shows only the public key.
pub struct SdkSigner<S> {
    inner: S,
    pubkey: SolanaPubkey,
}

impl<S: solana_signer::Signer> SdkSigner<S> {
    /// Wraps a signer; its public key is read once, here (a remote wallet may fail to
    /// give it).
    pub fn new(signer: S) -> Result<Self, SignerError> {
        let pubkey = signer.try_pubkey().map_err(from_sdk)?;
        Ok(SdkSigner {
            inner: signer,
            pubkey: SolanaPubkey::from_bytes(pubkey.to_bytes()),
        })
    }
}

impl<S> SdkSigner<S> {
    /// The SDK signer.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// The SDK signer, unwrapped.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S> fmt::Debug for SdkSigner<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SdkSigner({})", self.pubkey)
    }
}

/// The SDK's error as ours: a user's refusal stays a refusal.
fn from_sdk(error: solana_signer::SignerError) -> SignerError {
    match error {
        solana_signer::SignerError::UserCancel(reason) => SignerError::Rejected { reason },
        other => SignerError::Failed {
            reason: other.to_string(),
            source: Some(Box::new(other)),
        },
    }
}

#[async_trait]
impl<S> SolanaSigner for SdkSigner<S>
where
    S: solana_signer::Signer + Send + Sync,
{
    fn pubkey(&self) -> SolanaPubkey {
        self.pubkey
    }

    async fn sign_message(&self, message: &[u8]) -> Result<SolanaSignature, SignerError> {
        let answer = self.inner.try_sign_message(message).map_err(from_sdk)?;
        let signature = SolanaSignature::from_bytes(answer.into());
        verify(&self.pubkey, message, &signature).map_err(|_| SignerError::WrongSigner {
            expected: self.pubkey.to_string(),
            found: None,
        })?;
        Ok(signature)
    }
}
