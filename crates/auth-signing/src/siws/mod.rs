//! Sign In With Solana: the message text of `@solana/wallet-standard-util` (read and
//! written exactly as its `parseSignInMessageText` and `createSignInMessageText`), checked,
//! signed with ed25519 and verified.
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! use auth_signing::siws::{SiwsFields, SiwsMessage, VerifyOptions, read_signature};
//! use auth_signing::solana::SolanaKeypair;
//!
//! let keypair = SolanaKeypair::from_seed_bytes([7; 32]);
//! let message = SiwsMessage::from_fields(SiwsFields {
//!     domain: "example.com".into(),
//!     address: keypair.pubkey().to_base58(),
//!     statement: Some("Sign in to Example".into()),
//!     uri: Some("https://example.com/login".into()),
//!     version: Some("1".into()),
//!     chain_id: Some("solana:mainnet".into()),
//!     nonce: Some("oBbLoEldZs".into()),
//!     issued_at: Some("2024-01-01T00:00:00.000Z".into()),
//!     expiration_time: Some("2024-01-01T00:10:00.000Z".into()),
//!     ..SiwsFields::default()
//! })?;
//! let signature = futures_executor::block_on(message.sign(&keypair))?;
//!
//! // The server reads the text and the signature back.
//! let received = SiwsMessage::parse(&message.to_string())?;
//! let signature = read_signature(signature.to_base58().as_bytes())?;
//! let at = UNIX_EPOCH + Duration::from_secs(1_704_067_260);
//! received.verify(&signature, &VerifyOptions::at(at).domain("example.com").nonce("oBbLoEldZs"))?;
//! # Ok::<(), auth_signing::siws::SiwsError>(())
//! ```

mod error;
mod fields;
mod message;
mod signature;
mod text;
mod verify;

pub use crate::sign_in::{Timestamp, TimestampError, VerifyOptions};
pub use error::SiwsError;
pub use fields::SiwsFields;
pub use message::SiwsMessage;
pub use signature::read_signature;
