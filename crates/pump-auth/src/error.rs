//! Everything that can go wrong talking to pump.fun, typed: pump.fun's own failures, and
//! how each classifies. What every provider shares is the kit's [`ApiError`].

use auth_provider::{ApiError, Failure, FailureKind, ProviderError};
use auth_transport::http::StatusCode;

/// A failed pump.fun operation. What every provider shares (settings, transport,
/// refusals with status and pump.fun's message, malformed answers, signers) is
/// [`ProviderError::Api`]; pump.fun's own failures are [`ProviderError::Provider`] with a
/// [`PumpFailure`]. Messages never contain the token or signature that was sent.
pub type PumpError = ProviderError<PumpFailure>;

/// The failures of pump.fun's own (see [`PumpError`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PumpFailure {
    /// The login succeeded but no token came back, neither in the body nor in an
    /// `auth_token` cookie.
    #[error(
        "pump.fun accepted the login ({status}) but sent no token in the body or the auth_token cookie"
    )]
    NoToken {
        /// The HTTP status.
        status: StatusCode,
    },
    /// The sign-in text cannot be used: a custom source gave something that is not a
    /// sign-in text, or a text signed elsewhere does not fit the login format. Found
    /// locally; nothing was signed or sent.
    #[error("the pump.fun sign-in message cannot be used: {reason}; nothing was signed or sent")]
    InvalidMessage {
        /// What is wrong with it.
        reason: String,
    },
    /// The [`crate::MessageSource`] failed to give a text to sign.
    #[error("the pump.fun message source failed: {source}; nothing was signed or sent")]
    MessageSource {
        /// Its error.
        source: crate::SourceError,
    },
    /// A sign-in signed elsewhere does not verify for its wallet and text. Found locally;
    /// nothing was sent.
    #[error(
        "the sign-in signature does not verify for this wallet and message (signed by another key, or over other text); nothing was sent"
    )]
    SignatureMismatch,
    /// A session that only serves a stored token
    /// ([`crate::PumpAuthenticator::stored_only`]) needs a new sign-in: nothing usable was
    /// stored, or the stored token has expired or was refused. Nothing was sent. Sign in
    /// again with the wallet (in a browser, for a key that stays there) and store the token.
    #[error(
        "no usable stored pump.fun token of {wallet}, and this session cannot sign in (it only serves a stored token); sign in again with the wallet and store the new token"
    )]
    LoginRequired {
        /// The wallet that must sign in again.
        wallet: auth_types::SolanaPubkey,
    },
}

impl From<PumpFailure> for PumpError {
    fn from(own: PumpFailure) -> Self {
        ProviderError::Provider(own)
    }
}

/// pump.fun has no refresh token to reject: its own failures are permanent.
impl Failure for PumpFailure {
    fn kind(&self) -> FailureKind {
        FailureKind::Permanent
    }

    fn may_have_reached_server(&self) -> bool {
        match self {
            PumpFailure::NoToken { .. } => true,
            PumpFailure::InvalidMessage { .. }
            | PumpFailure::MessageSource { .. }
            | PumpFailure::SignatureMismatch
            | PumpFailure::LoginRequired { .. } => false,
        }
    }

    fn http_status(&self) -> Option<u16> {
        match self {
            PumpFailure::NoToken { status } => Some(status.as_u16()),
            _ => None,
        }
    }
}

/// Whether `error` is pump.fun's refusal of a sign-in whose text it has seen before: a
/// 401 whose only message is "Invalid credentials" (what it answers to a reused
/// signature, as to a wrong one).
pub(crate) fn may_be_reused_signature(error: &PumpError) -> bool {
    let PumpError::Api(ApiError::Refused {
        status, messages, ..
    }) = error
    else {
        return false;
    };
    *status == StatusCode::UNAUTHORIZED
        && matches!(messages.as_slice(), [only] if only.trim().eq_ignore_ascii_case(REFUSED_LOGIN))
}

const REFUSED_LOGIN: &str = "Invalid credentials";

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(status: u16, messages: &[&str]) -> PumpError {
        let messages: Vec<String> = messages.iter().map(|m| (*m).to_owned()).collect();
        PumpError::Api(ApiError::Refused {
            api: "pump.fun",
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::IM_A_TEAPOT),
            message: messages.join("; "),
            messages,
            retry_after: None,
        })
    }

    #[test]
    fn only_a_401_invalid_credentials_may_be_a_reused_signature() {
        assert!(may_be_reused_signature(&refused(
            401,
            &["Invalid credentials"]
        )));
        assert!(may_be_reused_signature(&refused(
            401,
            &[" invalid Credentials "]
        )));
        for other in [
            refused(400, &["Invalid credentials"]),
            refused(403, &["Invalid credentials"]),
            refused(429, &["Invalid credentials"]),
            refused(401, &["Unauthorized"]),
            refused(401, &["Invalid credentials", "and more"]),
            refused(401, &["Invalid credentials!"]),
            refused(400, &["Invalid signature or wallet address"]),
            PumpFailure::SignatureMismatch.into(),
            PumpFailure::NoToken {
                status: StatusCode::UNAUTHORIZED,
            }
            .into(),
        ] {
            assert!(!may_be_reused_signature(&other), "{other:?}");
        }
    }
}
