//! Signing in with a signer: [`PumpClient::login`] and [`PumpClient::relogin`] sign a new
//! message and send it, once more on a refusal that may be for a reused signature.

use auth_provider::ApiError;
use auth_signing::SolanaSigner;
use auth_types::{AccessToken, SolanaPubkey};

use super::PumpClient;
use super::answer::PumpLogin;
use crate::error::{PumpError, may_be_reused_signature};
use crate::message::SignedLogin;

impl PumpClient {
    /// Signs the sign-in message with `signer` and logs in.
    ///
    /// No two sign-ins of one wallet in this process sign the same millisecond (see
    /// [`PumpClient::message_for`]). Another process or machine signing in with the same
    /// wallet in the same millisecond makes the same signature, and the second to arrive
    /// is refused: when the login is refused the way pump.fun refuses a reused signature
    /// (401 `Invalid credentials`), the client signs a new message, on a later
    /// millisecond, and sends it once more; the second answer is the result. pump.fun
    /// gives the same answer to a message outside its time window (a clock that is off)
    /// or a signature that does not verify: those cost one more request before they fail
    /// (and where pump.fun's limit of about a request a second bites, the second answer
    /// may be a 429). The retry is logged at `debug` (target `pump_auth`). A login with a
    /// signature made elsewhere ([`PumpClient::login_signed`]) is never retried.
    ///
    /// The message time is on the server's clock ([`PumpClient::server_clock`]). A fresh
    /// client on a machine whose clock is off learns the offset from its first answer:
    /// when that is this login's refusal, the retry above signs a message on the
    /// server's time, so the caller sees the login succeed (one refused attempt, on the
    /// server's side only).
    pub async fn login(&self, signer: &dyn SolanaSigner) -> Result<PumpLogin, PumpError> {
        self.sign_and_send(signer, None).await
    }

    /// Logs in again while holding `current` (live or not): as the specification shows,
    /// the login carries `Authorization: Bearer <current>`. The old token is not logged
    /// out here ([`crate::PumpAuthenticator`] does that for sessions).
    pub async fn relogin(
        &self,
        signer: &dyn SolanaSigner,
        current: &AccessToken,
    ) -> Result<PumpLogin, PumpError> {
        self.sign_and_send(signer, Some(current)).await
    }

    /// [`PumpClient::login`] and [`PumpClient::relogin`]: sign, send, and once more on a
    /// refusal that may be for a reused signature.
    async fn sign_and_send(
        &self,
        signer: &dyn SolanaSigner,
        current: Option<&AccessToken>,
    ) -> Result<PumpLogin, PumpError> {
        let wallet = signer.pubkey();
        tracing::trace!(target: "pump_auth", %wallet, format = %self.inner.format, "signing in");
        let message = self.message_for(&wallet).await?;
        let first = sign(signer, wallet, message).await?;
        let changes = self.server_clock().stats().changes;
        let error = match self.send_login(&first, current).await {
            Err(error) if may_be_reused_signature(&error) => error,
            done => return done,
        };
        if self.server_clock().stats().changes != changes {
            // The refusal's `Date` taught a new offset: the message time was outside the
            // server's window. The next message carries the server's time.
            tracing::debug!(
                target: "pump_auth",
                %wallet,
                offset_ms = self.server_clock().offset_millis(),
                "login refused while the server's clock was learned; signing a message on the server's time, once"
            );
        }
        let message = self.message_for(&wallet).await?;
        if message == first.message {
            // A custom source that ignores the time: the same text would make the same
            // signature, refused again. Nothing more is signed or sent.
            return Err(error);
        }
        // The texts stay out of the log, as every body does.
        tracing::debug!(
            target: "pump_auth",
            %wallet,
            "login refused as a reused signature is (another process of this wallet may have signed the same millisecond); sending a later message, once"
        );
        let second = sign(signer, wallet, message).await?;
        self.send_login(&second, current).await
    }
}

/// `message` signed by `signer` for `wallet`.
async fn sign(
    signer: &dyn SolanaSigner,
    wallet: SolanaPubkey,
    message: String,
) -> Result<SignedLogin, PumpError> {
    let signature = signer
        .sign_message(message.as_bytes())
        .await
        .map_err(|source| ApiError::Signer { source })?;
    Ok(SignedLogin::new(wallet, message, signature))
}
