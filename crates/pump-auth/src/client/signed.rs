//! Logging in with a sign-in signed elsewhere: [`PumpClient::login_signed`] checks the
//! text and the signature, then sends it as it was signed, never retried.

use auth_types::AccessToken;

use super::PumpClient;
use super::answer::PumpLogin;
use crate::error::{PumpError, PumpFailure};
use crate::message::{SignedLogin, check_message};

impl PumpClient {
    /// Logs in with a sign-in signed elsewhere (`current`: the token held, if any, sent as
    /// `Authorization: Bearer`). The signature is verified here first, and for the cookie
    /// and token formats the text must be the standard one (they send only its time):
    /// otherwise nothing is sent.
    ///
    /// The client cannot know whether the signature was used before, and cannot make a
    /// new one: a refusal is returned as it is, never retried. Take the text from
    /// [`PumpClient::message_for`] so that no other sign-in of this process signs the same
    /// millisecond.
    pub async fn login_signed(
        &self,
        signed: &SignedLogin,
        current: Option<&AccessToken>,
    ) -> Result<PumpLogin, PumpError> {
        check_message(&signed.message).map_err(|reason| PumpFailure::InvalidMessage { reason })?;
        auth_signing::solana::verify(&signed.wallet, signed.message.as_bytes(), &signed.signature)
            .map_err(|_| PumpFailure::SignatureMismatch)?;
        self.send_login(signed, current).await
    }
}
