//! Signing a message with a [`SolanaSigner`] and verifying an ed25519 signature of it.

use auth_signer::{SignerError, SolanaSignature, SolanaSigner};

use super::error::SiwsError;
use super::message::SiwsMessage;
use crate::sign_in::{OutsideWindow, VerifyOptions};
use crate::solana::verify;

impl SiwsMessage {
    /// Signs the UTF-8 bytes of the text with ed25519. Refuses, before asking, a signer
    /// whose key is not the message's address, and refuses an answer that does not
    /// verify.
    pub async fn sign(&self, signer: &dyn SolanaSigner) -> Result<SolanaSignature, SiwsError> {
        let key = signer.pubkey();
        if key != self.address() {
            return Err(SiwsError::SignerKey {
                expected: self.address(),
                signer: key,
            });
        }
        let signature = signer.sign_message(self.as_str().as_bytes()).await?;
        if verify(&key, self.as_str().as_bytes(), &signature).is_err() {
            return Err(SiwsError::Signer(SignerError::WrongSigner {
                expected: key.to_base58(),
                found: None,
            }));
        }
        Ok(signature)
    }

    /// Verifies: the domain and nonce the options name, the time window
    /// (`Not Before` ≤ time < `Expiration Time`), then the ed25519 signature (strict) of
    /// the text by the message's address.
    pub fn verify(
        &self,
        signature: &SolanaSignature,
        options: &VerifyOptions,
    ) -> Result<(), SiwsError> {
        if let Some(expected) = &options.domain
            && expected != self.domain()
        {
            return Err(SiwsError::DomainMismatch {
                expected: expected.clone(),
                found: self.domain().to_owned(),
            });
        }
        if let Some(expected) = &options.nonce
            && Some(expected.as_str()) != self.nonce()
        {
            return Err(SiwsError::NonceMismatch {
                expected: expected.clone(),
                found: self.nonce().map(str::to_owned),
            });
        }
        options
            .check_window(self.not_before(), self.expiration_time())
            .map_err(|outside| match outside {
                OutsideWindow::Expired(expiration_time) => SiwsError::Expired { expiration_time },
                OutsideWindow::NotYetValid(not_before) => SiwsError::NotYetValid { not_before },
            })?;
        verify(&self.address(), self.as_str().as_bytes(), signature).map_err(|source| {
            SiwsError::Signature {
                address: self.address(),
                source,
            }
        })
    }
}
