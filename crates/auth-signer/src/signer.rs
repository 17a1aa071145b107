//! Signer traits: the seam where a hardware wallet, a KMS or a remote signer plugs in.

use std::any::Any;
use std::fmt;

use async_trait::async_trait;
use auth_types::{EvmAddress, SolanaPubkey};

use crate::error::SignerError;
use crate::eth_signature::EthSignature;
use crate::keccak::eip191_hash;
use crate::solana_signature::SolanaSignature;

/// EIP-712 typed data as an [`EthSigner`] sees it: the hash to sign, and (through
/// [`Any`]) the document itself, for a signer that shows its fields to a user.
///
/// `auth_signing::eip712::TypedData` implements it, so `signer.sign_typed_data(&typed)`
/// takes a `&TypedData` as it is. A signer that overrides
/// [`EthSigner::sign_typed_data`] reads the document back with
/// `(typed as &dyn Any).downcast_ref::<TypedData>()`.
pub trait Eip712Payload: Any + Send + Sync + fmt::Debug {
    /// The hash to sign:
    /// `keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(message))`.
    fn signing_hash(&self) -> [u8; 32];
}

/// Anything that signs for an Ethereum address: `auth_signing::ethereum::LocalEthSigner`,
/// or your own hardware-wallet, KMS or remote implementation.
///
/// Object safe: use it as `Arc<dyn EthSigner>` or `&dyn EthSigner`. Implementors must
/// return `eth_signTypedData_v4`-style signatures (low `s`, `v` = 27/28), and their `Debug`
/// must not print secrets.
///
/// ```
/// use std::sync::Arc;
/// use async_trait::async_trait;
/// use auth_signer::{EthSignature, EthSigner, SignerError};
/// use auth_types::EvmAddress;
///
/// /// A wallet whose user declines everything.
/// #[derive(Debug)]
/// struct Declining(EvmAddress);
///
/// #[async_trait]
/// impl EthSigner for Declining {
///     fn address(&self) -> EvmAddress {
///         self.0
///     }
///     async fn sign_hash(&self, _hash: &[u8; 32]) -> Result<EthSignature, SignerError> {
///         Err(SignerError::Rejected { reason: "declined on the device".into() })
///     }
/// }
///
/// let signer: Arc<dyn EthSigner> = Arc::new(Declining(EvmAddress::from_bytes([1; 20])));
/// let refused = futures_executor::block_on(signer.sign_personal_message(b"hello"));
/// assert_eq!(
///     refused.unwrap_err().to_string(),
///     "the signer refused to sign: declined on the device"
/// );
/// ```
#[async_trait]
pub trait EthSigner: Send + Sync + fmt::Debug {
    /// The address this signer signs for.
    fn address(&self) -> EvmAddress;

    /// Signs a 32-byte hash.
    async fn sign_hash(&self, hash: &[u8; 32]) -> Result<EthSignature, SignerError>;

    /// Signs typed data. Override this where the device shows the fields to its user.
    async fn sign_typed_data(
        &self,
        typed: &dyn Eip712Payload,
    ) -> Result<EthSignature, SignerError> {
        self.sign_hash(&typed.signing_hash()).await
    }

    /// Signs a message the EIP-191 (`personal_sign`) way.
    async fn sign_personal_message(&self, message: &[u8]) -> Result<EthSignature, SignerError> {
        self.sign_hash(&eip191_hash(message)).await
    }
}

/// Anything that signs raw messages for a Solana public key:
/// `auth_signing::solana::SolanaKeypair`, or your own implementation. Object safe; `Debug`
/// must not print secrets.
#[async_trait]
pub trait SolanaSigner: Send + Sync + fmt::Debug {
    /// The public key (wallet address) this signer signs for.
    fn pubkey(&self) -> SolanaPubkey;

    /// Signs raw message bytes with ed25519.
    async fn sign_message(&self, message: &[u8]) -> Result<SolanaSignature, SignerError>;
}
