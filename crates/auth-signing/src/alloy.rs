//! The alloy bridge (feature `alloy`): any [`alloy_signer::Signer`] as an [`EthSigner`].
//!
//! alloy has signers for local keys (`alloy-signer-local`), AWS KMS (`alloy-signer-aws`),
//! GCP KMS (`alloy-signer-gcp`), Turnkey (`alloy-signer-turnkey`), Ledger
//! (`alloy-signer-ledger`) and Trezor (`alloy-signer-trezor`). Wrap one in [`AlloySigner`]
//! and hand it to a Pear login like any [`EthSigner`]:
//!
//! ```
//! use auth_signing::EthSigner;
//! use auth_signing::alloy::AlloySigner;
//! use auth_signing::ethereum::recover_address;
//! use auth_signing::keccak256;
//!
//! let local: alloy_signer_local::PrivateKeySigner = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318".parse()?;
//! let signer = AlloySigner::new(local);
//! assert_eq!(signer.address().to_string(), "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23");
//!
//! let hash = keccak256(b"anything");
//! let signature = futures_executor::block_on(signer.sign_hash(&hash))?;
//! assert_eq!(recover_address(&hash, &signature)?, signer.address());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The bridge signs the EIP-712 signing hash (`Signer::sign_hash`), so it suits signers
//! that sign hashes: local keys, AWS and GCP KMS, Turnkey. alloy's Ledger and Trezor
//! signers refuse bare hashes (they answer `UnsupportedOperation(SignHash)`, reported here
//! as [`SignerError::Rejected`]); they sign typed data only through alloy's `eip712`
//! feature, which this bridge does not use.

use std::fmt;

use alloy_primitives::B256;
use async_trait::async_trait;
use auth_signer::{EthSigner, SignerError};
use auth_types::EvmAddress;

use crate::ethereum::{EthSignature, recover_address};

/// An [`alloy_signer::Signer`] as an [`EthSigner`].
///
/// Each signature is checked before it is returned: `v` is normalised to 27/28 (KMS
/// signers work out the parity themselves; a signer that got it wrong is corrected), `s`
/// to its low form, and the signature must recover to the signer's address, else
/// [`SignerError::WrongSigner`]. So a signer answering with another key's signature is
/// caught before a login sends it. `Debug` shows only the address.
pub struct AlloySigner<S> {
    inner: S,
    address: EvmAddress,
}

impl<S: alloy_signer::Signer> AlloySigner<S> {
    /// Wraps an alloy signer; its address is read once, here.
    pub fn new(signer: S) -> Self {
        let address = EvmAddress::from_bytes(signer.address().into_array());
        AlloySigner {
            inner: signer,
            address,
        }
    }
}

impl<S> AlloySigner<S> {
    /// The alloy signer.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// The alloy signer, unwrapped.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S> fmt::Debug for AlloySigner<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AlloySigner({})", self.address)
    }
}

/// alloy's error as ours: an operation the signer does not do is a refusal.
fn from_alloy(error: alloy_signer::Error) -> SignerError {
    match error {
        alloy_signer::Error::UnsupportedOperation(operation) => SignerError::Rejected {
            reason: format!("the alloy signer does not support {operation}"),
        },
        other => SignerError::Failed {
            reason: other.to_string(),
            source: Some(Box::new(other)),
        },
    }
}

#[async_trait]
impl<S> EthSigner for AlloySigner<S>
where
    S: alloy_signer::Signer + Send + Sync,
{
    fn address(&self) -> EvmAddress {
        self.address
    }

    async fn sign_hash(&self, hash: &[u8; 32]) -> Result<EthSignature, SignerError> {
        let answer = self
            .inner
            .sign_hash(&B256::from(*hash))
            .await
            .map_err(from_alloy)?;
        let answer = answer.normalized_s();
        let mut found = None;
        // The parity the signer gave, then the other one (a signer that computed it wrong
        // still signed with its key).
        for parity in [answer.v(), !answer.v()] {
            let bytes = answer.with_parity(parity).as_bytes();
            let signature = EthSignature::from_bytes(&bytes).map_err(|e| SignerError::Failed {
                reason: format!("the alloy signer answered with an unusable signature: {e}"),
                source: Some(Box::new(e)),
            })?;
            match recover_address(hash, &signature) {
                Ok(address) if address == self.address => return Ok(signature),
                Ok(address) => found = found.or(Some(address)),
                Err(_) => {}
            }
        }
        Err(SignerError::WrongSigner {
            expected: self.address.to_string(),
            found: found.map(|a| a.to_string()),
        })
    }
}
