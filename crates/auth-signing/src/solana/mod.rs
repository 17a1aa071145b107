//! Solana (ed25519) keys: keypairs from the Solana CLI file format, base58 or a seed;
//! signatures of raw message bytes; verification.

mod keypair;
mod verify;

pub use auth_signer::{SolanaSignature, VerifyError};
pub use keypair::{KeypairError, SolanaKeypair};
pub use verify::verify;
