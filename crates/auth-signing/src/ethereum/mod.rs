//! Ethereum (secp256k1) keys: a local signer, 65-byte signatures, recovery.

#[cfg(feature = "keystore")]
pub mod keystore;
mod local;

pub use auth_signer::{EthSignature, SignatureError};
pub use local::{KeyError, LocalEthSigner, LocalSignError, recover_address};
