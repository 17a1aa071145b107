//! Why a signer did not sign: the one error every signer answers with.

/// Why a signer did not sign.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignerError {
    /// The signer (or its user) declined, e.g. rejected on a hardware wallet's screen.
    #[error("the signer refused to sign: {reason}")]
    Rejected {
        /// The signer's explanation.
        reason: String,
    },
    /// The signer could not be reached or failed (device unplugged, KMS error).
    #[error("the signer failed: {reason}")]
    Failed {
        /// What went wrong.
        reason: String,
        /// The underlying error, if any.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    },
    /// The signer answered with a signature that does not verify for the address or public
    /// key it signs for (another key's signature, or a corrupt one). A bridge refuses it
    /// before anything is sent.
    #[error("the signer answered with a signature that is not by {expected}{}",
        found.as_ref().map(|f| format!(" (it is by {f})")).unwrap_or_default())]
    WrongSigner {
        /// The address or public key the signer signs for.
        expected: String,
        /// Who the signature is by, when that can be told (an Ethereum signature recovers
        /// to an address).
        found: Option<String>,
    },
}
