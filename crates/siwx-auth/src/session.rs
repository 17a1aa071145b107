//! SIWE and SIWS sessions: an `auth-session` authenticator over [`SiwxClient`].

use std::sync::Arc;

use async_trait::async_trait;
use auth_session::{Authenticator, Identity, Session, Tokens};
use auth_types::{AccessToken, RefreshToken, SharedClock};

use crate::client::{SiwxClient, SiwxLogin};
use crate::error::SiwxError;
use crate::standard::{Siwe, Siws, Standard};

/// A session that keeps a live SIWE backend session (cookie or token).
pub type SiweSession = Session<SiwxAuthenticator<Siwe>>;
/// A session that keeps a live SIWS backend session (cookie or token).
pub type SiwsSession = Session<SiwxAuthenticator<Siws>>;

/// Signs in with a [`SiwxClient`] and the standard's signer: a [`SiweSession`] or
/// [`SiwsSession`] renews through it. With a refresh endpoint the session refreshes;
/// without, it signs a new message. A session whose lifetime the backend does not say
/// lives [`SiwxClient::session_lifetime`], or until the backend answers 401.
#[derive(Debug)]
pub struct SiwxAuthenticator<S: Standard> {
    client: SiwxClient<S>,
    signer: Arc<S::Signer>,
}

impl<S: Standard> Clone for SiwxAuthenticator<S> {
    fn clone(&self) -> Self {
        SiwxAuthenticator {
            client: self.client.clone(),
            signer: Arc::clone(&self.signer),
        }
    }
}

impl<S: Standard> SiwxAuthenticator<S> {
    /// An authenticator from a client and a signer of its standard.
    pub fn new(client: SiwxClient<S>, signer: Arc<S::Signer>) -> Self {
        SiwxAuthenticator { client, signer }
    }

    /// The client.
    pub fn client(&self) -> &SiwxClient<S> {
        &self.client
    }

    /// The backend, its base URL, the account and the message domain: a stored session
    /// is resumed only by the same account at the same backend.
    fn identity_of(&self, account: String) -> Identity {
        Identity::new(S::NAME, self.client.base_url())
            .with_account(account)
            .with_client_id(self.client.domain())
    }

    /// What a login or refresh answered, as the session's tokens.
    fn tokens(&self, login: SiwxLogin) -> Tokens {
        let lifetime = login
            .expires_in
            .unwrap_or_else(|| self.client.session_lifetime());
        let tokens = Tokens::new(login.token, lifetime);
        match login.refresh_token {
            Some(refresh) => tokens.with_refresh_token(refresh),
            None => tokens,
        }
    }
}

/// The authenticator of one standard: its signer's account and its `login`.
macro_rules! authenticator {
    ($standard:ty, |$signer:ident| $account:expr) => {
        #[async_trait]
        impl Authenticator for SiwxAuthenticator<$standard> {
            type Error = SiwxError;

            fn identity(&self) -> Identity {
                let $signer = &self.signer;
                self.identity_of($account)
            }

            async fn login(&self) -> Result<Tokens, SiwxError> {
                Ok(self.tokens(self.client.login(self.signer.as_ref()).await?))
            }

            async fn refresh(&self, refresh_token: &RefreshToken) -> Result<Tokens, SiwxError> {
                Ok(self.tokens(self.client.refresh(refresh_token).await?))
            }

            /// The client's estimate of the backend's clock: the session reads JWT `exp`
            /// against it.
            fn server_clock(&self) -> Option<SharedClock> {
                Some(SharedClock::new(self.client.server_clock().clone()))
            }

            async fn logout(
                &self,
                access_token: &AccessToken,
                refresh_token: Option<&RefreshToken>,
            ) -> Result<(), SiwxError> {
                self.client.logout(access_token, refresh_token).await
            }
        }
    };
}

authenticator!(Siwe, |signer| signer.address().to_checksum());
authenticator!(Siws, |signer| signer.pubkey().to_base58());
