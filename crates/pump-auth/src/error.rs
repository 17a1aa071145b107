//! Everything that can go wrong talking to pump.fun, typed.

use auth_provider::{ApiError, ProviderError};
use auth_transport::http::StatusCode;

/// A failed pump.fun operation. What every provider shares (settings, transport,
/// refusals with status and pump.fun's message, malformed answers, signers) is
/// [`PumpError::Api`]; the rest is pump.fun's own. Messages never contain the token or
/// signature that was sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PumpError {
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
    /// A failure any provider can have: see [`ApiError`].
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl ProviderError for PumpError {
    fn api_error(&self) -> Option<&ApiError> {
        let PumpError::Api(e) = self else {
            return None;
        };
        Some(e)
    }

    /// The HTTP status, when pump.fun answered.
    fn status(&self) -> Option<StatusCode> {
        let PumpError::NoToken { status } = self else {
            return self.api_error().and_then(ApiError::status);
        };
        Some(*status)
    }
}

impl PumpError {
    /// The HTTP status, when pump.fun answered (also on [`ProviderError`], with the rest of
    /// what every provider's error tells).
    pub fn status(&self) -> Option<StatusCode> {
        ProviderError::status(self)
    }

    /// Whether this is the answer a login gets when its signature has logged in before:
    /// status 401 and, as the only message, [`REFUSED_LOGIN`] (ASCII case and surrounding
    /// blanks aside). The one place that decides which refusals
    /// [`crate::PumpClient::login`] retries with a new message.
    ///
    /// pump.fun gives no distinct answer for a reused signature that anyone has recorded:
    /// the specification's 401 for a login is `{"statusCode":401,"message":"Invalid
    /// credentials"}`, and the sandbox answers a reused signature with exactly that. The
    /// same answer also comes for a message outside the server's time window or a
    /// signature that does not verify, so a `true` here means "may be a reused
    /// signature", never "is".
    pub(crate) fn may_be_reused_signature(&self) -> bool {
        let PumpError::Api(ApiError::Refused {
            status, messages, ..
        }) = self
        else {
            return false;
        };
        *status == StatusCode::UNAUTHORIZED
            && matches!(messages.as_slice(), [only] if only.trim().eq_ignore_ascii_case(REFUSED_LOGIN))
    }
}

/// The message of pump.fun's 401 to a login (the specification's): what a login with a
/// signature that has already logged in gets, among others. See
/// `PumpError::may_be_reused_signature`.
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
        assert!(refused(401, &["Invalid credentials"]).may_be_reused_signature());
        assert!(refused(401, &[" invalid Credentials "]).may_be_reused_signature());
        for other in [
            refused(400, &["Invalid credentials"]),
            refused(403, &["Invalid credentials"]),
            refused(429, &["Invalid credentials"]),
            refused(401, &["Unauthorized"]),
            refused(401, &["Invalid credentials", "and more"]),
            refused(401, &["Invalid credentials!"]),
            refused(400, &["Invalid signature or wallet address"]),
            PumpError::SignatureMismatch,
            PumpError::NoToken {
                status: StatusCode::UNAUTHORIZED,
            },
        ] {
            assert!(!other.may_be_reused_signature(), "{other:?}");
        }
    }
}
