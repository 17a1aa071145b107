//! EIP-4361, Sign-In with Ethereum: the message text, read strictly and written back byte
//! for byte, signed the `personal_sign` way and verified by key or contract wallet.
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! use auth_signing::ethereum::LocalEthSigner;
//! use auth_signing::siwe::{SiweFields, SiweMessage, VerifyOptions};
//!
//! let signer = LocalEthSigner::from_hex(
//!     "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318",
//! )?;
//! let message = SiweMessage::from_fields(SiweFields {
//!     domain: "example.com".into(),
//!     address: signer.address().to_checksum(),
//!     statement: Some("Sign in to Example".into()),
//!     uri: "https://example.com/login".into(),
//!     version: "1".into(),
//!     chain_id: 1,
//!     nonce: "Qme7ss3ARVgx".into(),
//!     issued_at: "2021-09-30T16:25:24.000Z".into(),
//!     expiration_time: Some("2021-09-30T16:35:24.000Z".into()),
//!     ..SiweFields::default()
//! })?;
//! assert!(message.to_string().starts_with("example.com wants you to sign in"));
//!
//! let signature = futures_executor::block_on(message.sign(&signer))?;
//!
//! // The server reads the text back and checks it against what it expects.
//! let received: SiweMessage = message.to_string().parse()?;
//! let at = UNIX_EPOCH + Duration::from_secs(1_633_019_200);
//! let options = VerifyOptions::at(at).domain("example.com").nonce("Qme7ss3ARVgx");
//! received.verify(&signature, &options)?;
//! assert!(received.verify(&signature, &options.clone().nonce("another1")).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod fields;
mod message;
mod parse;
mod rules;
mod verify;

pub use crate::sign_in::{Timestamp, TimestampError, VerifyOptions};
pub use error::SiweError;
pub use fields::SiweFields;
pub use message::SiweMessage;
pub use verify::Eip1271Verifier;
