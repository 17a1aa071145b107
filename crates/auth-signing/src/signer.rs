//! Signer traits: the seam where a hardware wallet, a KMS or a remote signer plugs in.

use std::fmt;

use async_trait::async_trait;
use auth_types::{EvmAddress, SolanaPubkey};

use crate::eip712::TypedData;
use crate::ethereum::{EthSignature, LocalEthSigner};
use crate::keccak::eip191_hash;
use crate::solana::{SolanaKeypair, SolanaSignature};

/// Why a signer did not sign.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignerError {
    /// The signer (or its user) declined, e.g. rejected on a hardware wallet's screen.
    #[error("the signer refused to sign: {reason}")]
    Rejected {
        /// The signer's explanation.
        reason: String,
    },
    /// The signer could not be reached or failed (device unplugged, KMS error).
    #[error("the signer failed: {reason}")]
    Failed {
        /// What went wrong.
        reason: String,
        /// The underlying error, if any.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    },
    /// The signer answered with a signature that does not verify for the address or public
    /// key it signs for (another key's signature, or a corrupt one). A bridge refuses it
    /// before anything is sent.
    #[error("the signer answered with a signature that is not by {expected}{}",
        found.as_ref().map(|f| format!(" (it is by {f})")).unwrap_or_default())]
    WrongSigner {
        /// The address or public key the signer signs for.
        expected: String,
        /// Who the signature is by, when that can be told (an Ethereum signature recovers
        /// to an address).
        found: Option<String>,
    },
}

/// Anything that signs for an Ethereum address: [`LocalEthSigner`], or your own
/// hardware-wallet, KMS or remote implementation.
///
/// Object safe: use it as `Arc<dyn EthSigner>` or `&dyn EthSigner`. Implementors must
/// return `eth_signTypedData_v4`-style signatures (low `s`, `v` = 27/28), and their `Debug`
/// must not print secrets.
///
/// ```
/// use std::sync::Arc;
/// use auth_signing::{EthSigner, ethereum::LocalEthSigner};
///
/// let signer: Arc<dyn EthSigner> = Arc::new(LocalEthSigner::from_hex(&"11".repeat(32))?);
/// let sig = futures_executor::block_on(signer.sign_personal_message(b"hello"))?;
/// assert_eq!(sig.as_bytes().len(), 65);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[async_trait]
pub trait EthSigner: Send + Sync + fmt::Debug {
    /// The address this signer signs for.
    fn address(&self) -> EvmAddress;

    /// Signs a 32-byte hash.
    async fn sign_hash(&self, hash: &[u8; 32]) -> Result<EthSignature, SignerError>;

    /// Signs typed data. Override this where the device shows the fields to its user.
    async fn sign_typed_data(&self, typed: &TypedData) -> Result<EthSignature, SignerError> {
        self.sign_hash(&typed.signing_hash()).await
    }

    /// Signs a message the EIP-191 (`personal_sign`) way.
    async fn sign_personal_message(&self, message: &[u8]) -> Result<EthSignature, SignerError> {
        self.sign_hash(&eip191_hash(message)).await
    }
}

/// Anything that signs raw messages for a Solana public key: [`SolanaKeypair`], or your
/// own implementation. Object safe; `Debug` must not print secrets.
#[async_trait]
pub trait SolanaSigner: Send + Sync + fmt::Debug {
    /// The public key (wallet address) this signer signs for.
    fn pubkey(&self) -> SolanaPubkey;

    /// Signs raw message bytes with ed25519.
    async fn sign_message(&self, message: &[u8]) -> Result<SolanaSignature, SignerError>;
}

#[async_trait]
impl EthSigner for LocalEthSigner {
    fn address(&self) -> EvmAddress {
        LocalEthSigner::address(self)
    }

    async fn sign_hash(&self, hash: &[u8; 32]) -> Result<EthSignature, SignerError> {
        LocalEthSigner::sign_hash(self, hash).map_err(|e| SignerError::Failed {
            reason: e.to_string(),
            source: Some(Box::new(e)),
        })
    }
}

#[async_trait]
impl SolanaSigner for SolanaKeypair {
    fn pubkey(&self) -> SolanaPubkey {
        SolanaKeypair::pubkey(self)
    }

    async fn sign_message(&self, message: &[u8]) -> Result<SolanaSignature, SignerError> {
        Ok(self.sign(message))
    }
}
