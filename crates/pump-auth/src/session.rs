//! pump.fun sessions: an `auth-session` authenticator over [`PumpClient`].

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use auth_session::{AuthError, Authenticator, FailureKind, Identity, Session, Tokens};
use auth_signing::SolanaSigner;
use auth_types::{AccessToken, RefreshToken};

use crate::client::PumpClient;
use crate::error::PumpError;
use auth_provider::ProviderError;

/// A session that keeps a live pump.fun token. pump.fun has no refresh: the session signs
/// in again before the token expires. See [`auth_session::Session`].
pub type PumpSession = Session<PumpAuthenticator>;

/// The lifetime assumed when pump.fun sends neither `expiresIn` nor a JWT `exp`.
pub const ASSUMED_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// Signs in with a [`PumpClient`] and a Solana signer.
#[derive(Debug, Clone)]
pub struct PumpAuthenticator {
    client: PumpClient,
    signer: Arc<dyn SolanaSigner>,
}

impl PumpAuthenticator {
    /// An authenticator from a client and a signer.
    pub fn new(client: PumpClient, signer: Arc<dyn SolanaSigner>) -> Self {
        PumpAuthenticator { client, signer }
    }

    /// The client.
    pub fn client(&self) -> &PumpClient {
        &self.client
    }
}

#[async_trait]
impl Authenticator for PumpAuthenticator {
    type Error = PumpError;

    /// `pump.fun`, the client's base URL and the wallet's public key: a stored session is
    /// resumed only by the same wallet on the same server.
    fn identity(&self) -> Identity {
        Identity::new("pump.fun", self.client.base_url())
            .with_account(self.signer.pubkey().to_string())
    }

    async fn login(&self) -> Result<Tokens, PumpError> {
        let login = self.client.login(self.signer.as_ref()).await?;
        Ok(Tokens::new(
            login.token,
            login.expires_in.unwrap_or(ASSUMED_LIFETIME),
        ))
    }

    async fn logout(
        &self,
        access_token: &AccessToken,
        _refresh_token: Option<&RefreshToken>,
    ) -> Result<(), PumpError> {
        self.client.logout(access_token).await
    }
}

impl AuthError for PumpError {
    /// Network trouble, 429 and 5xx are transient; everything else is permanent (there is
    /// no refresh token to reject).
    fn kind(&self) -> FailureKind {
        self.failure_kind()
    }

    fn retry_after(&self) -> Option<Duration> {
        ProviderError::retry_after(self)
    }
}
