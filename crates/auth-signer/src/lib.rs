#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod error;
mod eth_signature;
mod keccak;
mod signer;
mod solana_signature;

pub use error::SignerError;
pub use eth_signature::{EthSignature, SignatureError};
pub use keccak::{eip191_hash, keccak256};
pub use signer::{Eip712Payload, EthSigner, SolanaSigner};
pub use solana_signature::{SolanaSignature, VerifyError};
