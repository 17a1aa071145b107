//! The login request: its body in the client's [`LoginFormat`], sent with the held token
//! if any, and its answer read into a [`PumpLogin`].

use auth_provider::JsonBody;
use auth_types::{AccessToken, Clock};

use super::PumpClient;
use super::answer::{PumpLogin, login_from, read_token};
use super::format::LoginFormat;
use crate::error::{PumpError, PumpFailure};
use crate::message::{MESSAGE_PREFIX, SignedLogin, sign_in_millis};

impl PumpClient {
    /// Sends `signed` as the client's login format (`current` as bearer, if any) and
    /// reads the answer.
    pub(super) async fn send_login(
        &self,
        signed: &SignedLogin,
        current: Option<&AccessToken>,
    ) -> Result<PumpLogin, PumpError> {
        let format = self.inner.format;
        let signature = signed.signature.to_base58();
        let address = signed.wallet.to_base58();
        let body = match format {
            LoginFormat::Documented => JsonBody::new()
                .field("wallet", address)
                .secret("signature", &signature)
                .field("message", signed.message.as_str()),
            LoginFormat::Cookie | LoginFormat::Token => {
                let millis =
                    sign_in_millis(&signed.message).ok_or_else(|| PumpFailure::InvalidMessage {
                        reason: format!(
                            "the {format} format sends only the time, so the signed text must be \
                         exactly `{MESSAGE_PREFIX}<unix ms>`"
                        ),
                    })?;
                let body = JsonBody::new()
                    .field("address", address)
                    .secret("signature", &signature)
                    .field("timestamp", millis);
                if format == LoginFormat::Token {
                    body.field("authType", "non_custodial")
                } else {
                    body
                }
            }
        };
        let mut request = self.inner.api.post(format.path()).json(body);
        if let Some(current) = current {
            request = request.bearer(current);
        }
        let answer = request.send().await?;
        let (token, parsed) = read_token(&answer)?;
        let now = self.inner.api.clock().unix_seconds();
        Ok(login_from(token, parsed, now))
    }
}
