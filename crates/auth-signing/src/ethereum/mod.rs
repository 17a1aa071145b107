//! Ethereum (secp256k1) keys: a local signer, 65-byte signatures, recovery.

#[cfg(feature = "keystore")]
pub mod keystore;
mod local;
mod signature;

pub use local::{KeyError, LocalEthSigner, LocalSignError, recover_address};
pub use signature::{EthSignature, SignatureError};
