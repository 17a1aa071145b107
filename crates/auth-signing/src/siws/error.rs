//! Why a text or field set is not a Sign In With Solana message, or why one did not verify.

use auth_signer::{SignerError, VerifyError};
use auth_types::SolanaPubkey;

/// Why a text or field set is not a Sign In With Solana message, why signing was refused,
/// or why a message did not verify.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SiwsError {
    /// The text is not a sign-in message at all (`parseSignInMessageText` answers null).
    #[error(
        "not a Sign In With Solana message: expected \"<domain> wants you to sign in with your Solana account:\", the address, then the fields in order"
    )]
    Syntax,
    /// The text reads as a message but is not the text its fields write (trailing
    /// newlines, or a statement holding what looks like fields); wallets sign, and
    /// `verifySignIn` accepts, only that text.
    #[error(
        "the text is not the message its fields write (trailing newlines, or a statement that holds lines looking like fields)"
    )]
    NotCanonical,
    /// A field's value breaks its rule.
    #[error("\"{field}\": {reason}")]
    InvalidField {
        /// The field's name as in the JSON form (`domain`, `address`, `issuedAt`, ...).
        field: &'static str,
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
    /// The message carries another nonce than the verifier's (or none).
    #[error("the message carries nonce {}, expected {expected}", found.as_deref().unwrap_or("(none)"))]
    NonceMismatch {
        /// The nonce the verifier handed out.
        expected: String,
        /// The nonce in the message, if any.
        found: Option<String>,
    },
    /// The signature is not by the message's address over its text, or is not 64 bytes.
    #[error("the signature does not verify for {address}: {source}")]
    Signature {
        /// The message's address.
        address: SolanaPubkey,
        /// Why.
        #[source]
        source: VerifyError,
    },
    /// The signature is neither 64 raw bytes nor base58 of 64 bytes.
    #[error("the signature must be 64 bytes, raw or in base58")]
    MalformedSignature,
    /// The signer signs for another key than the message's address; nothing was signed.
    #[error("the signer signs for {signer}, but the message is for {expected}")]
    SignerKey {
        /// The message's address.
        expected: SolanaPubkey,
        /// The signer's key.
        signer: SolanaPubkey,
    },
    /// The signer did not sign.
    #[error(transparent)]
    Signer(#[from] SignerError),
}
