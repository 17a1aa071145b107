#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "alloy")]
pub mod alloy;
pub mod eip712;
pub mod ethereum;
pub mod sign_in;
pub mod siwe;
pub mod siws;
pub mod solana;
#[cfg(feature = "solana-signer")]
pub mod solana_sdk;

// The signer traits, their signatures and `SignerError` live in `auth-signer` (no curve
// library), shown here at the paths they always had.
pub use auth_signer::{
    Eip712Payload, EthSigner, SignerError, SolanaSigner, eip191_hash, keccak256,
};
