#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod eip712;
pub mod ethereum;
mod keccak;
mod signer;
pub mod solana;

pub use keccak::{eip191_hash, keccak256};
pub use signer::{EthSigner, SignerError, SolanaSigner};
