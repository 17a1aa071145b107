//! Why a text or field set is not an EIP-4361 message, or why a message did not verify.

use auth_signer::{SignatureError, SignerError};
use auth_types::EvmAddress;

/// Why a text or field set is not an EIP-4361 message, why signing was refused, or why a
/// message did not verify.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SiweError {
    /// The text does not have the message's structure at this line (1-based).
    #[error("line {line}: expected {expected}")]
    Syntax {
        /// The 1-based line number.
        line: usize,
        /// What the grammar wants there.
        expected: &'static str,
    },
    /// A field's value breaks its rule.
    #[error("{}\"{field}\": {reason}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
    InvalidField {
        /// The field's name as in the JSON form (`domain`, `chainId`, `issuedAt`, ...).
        field: &'static str,
        /// The 1-based line, when the field was read from a text.
        line: Option<usize>,
        /// The rule it breaks.
        reason: &'static str,
    },
    /// The message's expiration time has passed.
    #[error("the message expired at {expiration_time}")]
    Expired {
        /// The message's `Expiration Time`.
        expiration_time: String,
    },
    /// The message's not-before time has not come yet.
    #[error("the message is not valid before {not_before}")]
    NotYetValid {
        /// The message's `Not Before`.
        not_before: String,
    },
    /// The message names another domain than the verifier's.
    #[error("the message is for domain {found}, expected {expected}")]
    DomainMismatch {
        /// The domain the verifier serves.
        expected: String,
        /// The domain in the message.
        found: String,
    },
    /// The message carries another nonce than the verifier's.
    #[error("the message carries nonce {found}, expected {expected}")]
    NonceMismatch {
        /// The nonce the verifier handed out.
        expected: String,
        /// The nonce in the message.
        found: String,
    },
    /// The signature is not a usable secp256k1 signature (wrong length, bad `v`, high `s`,
    /// no recoverable key).
    #[error("the signature is malformed: {0}")]
    MalformedSignature(#[source] SignatureError),
    /// The signature is by another address than the message's.
    #[error("the signature is by {recovered}, not by the message's address {expected}")]
    WrongAddress {
        /// The message's address.
        expected: EvmAddress,
        /// The address the signature recovers to.
        recovered: EvmAddress,
    },
    /// Neither the signature's key nor the contract wallet (EIP-1271) accepted it.
    #[error("the signature is not valid for {address} (neither by its key nor by its contract)")]
    SignatureMismatch {
        /// The message's address.
        address: EvmAddress,
    },
    /// The contract-wallet check itself failed (a chain call that did not answer).
    #[error("the EIP-1271 check failed: {0}")]
    Eip1271(#[source] Box<dyn std::error::Error + Send + Sync + 'static>),
    /// The signer signs for another address than the message's; nothing was signed.
    #[error("the signer signs for {signer}, but the message is for {expected}")]
    SignerAddress {
        /// The message's address.
        expected: EvmAddress,
        /// The signer's address.
        signer: EvmAddress,
    },
    /// The signer did not sign.
    #[error(transparent)]
    Signer(#[from] SignerError),
}
