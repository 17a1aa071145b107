//! Signing a message with an [`EthSigner`], and verifying a signature: by the key
//! (EOA), or by a contract wallet (EIP-1271) through the caller's chain access.

use async_trait::async_trait;
use auth_signer::{EthSignature, EthSigner, SignerError};
use auth_types::EvmAddress;

use super::error::SiweError;
use super::message::SiweMessage;
use crate::ethereum::recover_address;
use crate::sign_in::{OutsideWindow, VerifyOptions};

/// A contract wallet's signature check (EIP-1271 `isValidSignature`), done by whoever can
/// reach the chain; this crate does no I/O and has none built in.
///
/// ```
/// use async_trait::async_trait;
/// use auth_signing::siwe::Eip1271Verifier;
/// use auth_types::EvmAddress;
///
/// /// A stand-in that trusts one contract (a real one calls `isValidSignature` over RPC).
/// struct TrustOne(EvmAddress);
///
/// #[async_trait]
/// impl Eip1271Verifier for TrustOne {
///     async fn is_valid_signature(
///         &self,
///         contract: EvmAddress,
///         _chain_id: u64,
///         _hash: [u8; 32],
///         _signature: &[u8],
///     ) -> Result<bool, Box<dyn std::error::Error + Send + Sync>> {
///         Ok(contract == self.0)
///     }
/// }
/// ```
#[async_trait]
pub trait Eip1271Verifier: Send + Sync {
    /// Whether the contract at `contract` on chain `chain_id` accepts `signature` for
    /// `hash` (its `isValidSignature(hash, signature)` returned `0x1626ba7e`). An error is
    /// for a check that could not be made (the chain did not answer).
    async fn is_valid_signature(
        &self,
        contract: EvmAddress,
        chain_id: u64,
        hash: [u8; 32],
        signature: &[u8],
    ) -> Result<bool, Box<dyn std::error::Error + Send + Sync>>;
}

impl SiweMessage {
    /// Signs the text the EIP-191 (`personal_sign`) way. Refuses, before asking, a signer
    /// whose address is not the message's, and refuses an answer that is not by it.
    /// The signature has `v` = 27 or 28.
    pub async fn sign(&self, signer: &dyn EthSigner) -> Result<EthSignature, SiweError> {
        let signer_address = signer.address();
        if signer_address != self.address() {
            return Err(SiweError::SignerAddress {
                expected: self.address(),
                signer: signer_address,
            });
        }
        let signature = signer
            .sign_personal_message(self.to_string().as_bytes())
            .await?;
        match recover_address(&self.signing_hash(), &signature) {
            Ok(found) if found == self.address() => Ok(signature),
            found => Err(SiweError::Signer(SignerError::WrongSigner {
                expected: self.address().to_checksum(),
                found: found.ok().map(|a| a.to_checksum()),
            })),
        }
    }

    /// Verifies an externally owned account's signature: the domain and nonce the options
    /// name, the time window (`Not Before` ≤ time < `Expiration Time`), then that the
    /// signature recovers to the message's address.
    pub fn verify(
        &self,
        signature: &EthSignature,
        options: &VerifyOptions,
    ) -> Result<(), SiweError> {
        self.check_claims(options)?;
        let recovered = recover_address(&self.signing_hash(), signature)
            .map_err(SiweError::MalformedSignature)?;
        if recovered == self.address() {
            Ok(())
        } else {
            Err(SiweError::WrongAddress {
                expected: self.address(),
                recovered,
            })
        }
    }

    /// Verifies a signature that may be a contract wallet's (EIP-1271): the same checks as
    /// [`verify`](SiweMessage::verify), where a 65-byte signature by the address's key
    /// passes at once, and any other goes to `wallet`.
    pub async fn verify_eip1271(
        &self,
        signature: &[u8],
        options: &VerifyOptions,
        wallet: &dyn Eip1271Verifier,
    ) -> Result<(), SiweError> {
        self.check_claims(options)?;
        let hash = self.signing_hash();
        if let Ok(eoa) = EthSignature::from_bytes(signature)
            && recover_address(&hash, &eoa).is_ok_and(|a| a == self.address())
        {
            return Ok(());
        }
        let valid = wallet
            .is_valid_signature(self.address(), self.chain_id(), hash, signature)
            .await
            .map_err(SiweError::Eip1271)?;
        if valid {
            Ok(())
        } else {
            Err(SiweError::SignatureMismatch {
                address: self.address(),
            })
        }
    }

    /// The checks that need no signature: domain, nonce, time window.
    fn check_claims(&self, options: &VerifyOptions) -> Result<(), SiweError> {
        if let Some(expected) = &options.domain
            && expected != self.domain()
        {
            return Err(SiweError::DomainMismatch {
                expected: expected.clone(),
                found: self.domain().to_owned(),
            });
        }
        if let Some(expected) = &options.nonce
            && expected != self.nonce()
        {
            return Err(SiweError::NonceMismatch {
                expected: expected.clone(),
                found: self.nonce().to_owned(),
            });
        }
        options
            .check_window(self.not_before(), self.expiration_time())
            .map_err(|outside| match outside {
                OutsideWindow::Expired(expiration_time) => SiweError::Expired { expiration_time },
                OutsideWindow::NotYetValid(not_before) => SiweError::NotYetValid { not_before },
            })?;
        Ok(())
    }
}
