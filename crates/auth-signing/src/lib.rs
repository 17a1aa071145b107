#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

#[cfg(feature = "alloy")]
pub mod alloy;
pub mod eip712;
pub mod ethereum;
mod keccak;
mod signer;
pub mod solana;
#[cfg(feature = "solana-signer")]
pub mod solana_sdk;

pub use keccak::{eip191_hash, keccak256};
pub use signer::{EthSigner, SignerError, SolanaSigner};
