//! Pear sessions: an `auth-session` authenticator over [`PearClient`].

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use auth_session::{Authenticator, Identity, Session, Tokens};
use auth_signing::EthSigner;
use auth_types::{AccessToken, ApiKey, EvmAddress, PrivyAccessToken, RefreshToken, SharedClock};

use crate::client::PearClient;
use crate::error::{PearError, PearFailure};
use crate::tokens::PearTokens;

/// A session that keeps a live Pear access token: it refreshes before expiry (rotating
/// the refresh token), and logs in again with its credentials when the refresh token is
/// dead. See [`auth_session::Session`].
pub type PearSession = Session<PearAuthenticator>;

/// How a [`PearSession`] logs in.
#[derive(Clone)]
#[non_exhaustive]
pub enum PearCredentials {
    /// Sign the EIP-712 message with a wallet (checked before signing, every time).
    Wallet(Arc<dyn EthSigner>),
    /// An API key for an address.
    ApiKey {
        /// The account.
        address: EvmAddress,
        /// Its key.
        key: ApiKey,
    },
    /// A Privy access token.
    Privy {
        /// The account.
        address: EvmAddress,
        /// The Privy app id.
        app_id: String,
        /// The Privy token.
        token: PrivyAccessToken,
    },
    /// No way to log in: the session only serves and refreshes the tokens its store holds
    /// for this account (saved by a login made elsewhere, such as a browser wallet's).
    /// When a login is needed, it fails with [`PearFailure::LoginRequired`] and sends
    /// nothing. See [`PearAuthenticator::refresh_only`].
    RefreshOnly {
        /// The account whose stored tokens the session uses.
        address: EvmAddress,
    },
}

impl fmt::Debug for PearCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PearCredentials::Wallet(signer) => f.debug_tuple("Wallet").field(signer).finish(),
            PearCredentials::ApiKey { address, key } => f
                .debug_struct("ApiKey")
                .field("address", address)
                .field("key", key)
                .finish(),
            PearCredentials::Privy {
                address,
                app_id,
                token,
            } => f
                .debug_struct("Privy")
                .field("address", address)
                .field("app_id", app_id)
                .field("token", token)
                .finish(),
            PearCredentials::RefreshOnly { address } => f
                .debug_struct("RefreshOnly")
                .field("address", address)
                .finish(),
        }
    }
}

/// Logs in, refreshes and logs out with a [`PearClient`] and [`PearCredentials`].
#[derive(Debug, Clone)]
pub struct PearAuthenticator {
    client: PearClient,
    credentials: PearCredentials,
}

impl PearAuthenticator {
    /// An authenticator from a client and credentials.
    pub fn new(client: PearClient, credentials: PearCredentials) -> Self {
        PearAuthenticator {
            client,
            credentials,
        }
    }

    /// Logs in by signing with a wallet.
    pub fn wallet(client: PearClient, signer: Arc<dyn EthSigner>) -> Self {
        Self::new(client, PearCredentials::Wallet(signer))
    }

    /// Logs in with an API key.
    pub fn api_key(client: PearClient, address: EvmAddress, key: ApiKey) -> Self {
        Self::new(client, PearCredentials::ApiKey { address, key })
    }

    /// Never logs in: serves the tokens the session's store holds for `address` (from a
    /// login made elsewhere: a browser wallet's, another machine's), refreshes them with
    /// the stored refresh token when due, and fails with
    /// [`PearFailure::LoginRequired`] when a login is needed (nothing stored, the refresh
    /// token refused or expired). Its [`identity`](Authenticator::identity) is that of
    /// [`wallet`](Self::wallet) for the same address and client, so it reads the entry a
    /// wallet's session (or a saved browser login) wrote. Give its session the store:
    /// without one it has nothing to serve.
    pub fn refresh_only(client: PearClient, address: EvmAddress) -> Self {
        Self::new(client, PearCredentials::RefreshOnly { address })
    }

    /// The client.
    pub fn client(&self) -> &PearClient {
        &self.client
    }

    /// The account the credentials log in to.
    fn account(&self) -> EvmAddress {
        match &self.credentials {
            PearCredentials::Wallet(signer) => signer.address(),
            PearCredentials::ApiKey { address, .. }
            | PearCredentials::Privy { address, .. }
            | PearCredentials::RefreshOnly { address } => *address,
        }
    }
}

fn session_tokens(tokens: PearTokens) -> Tokens {
    Tokens::new(tokens.access_token, tokens.expires_in).with_refresh_token(tokens.refresh_token)
}

#[async_trait]
impl Authenticator for PearAuthenticator {
    type Error = PearError;

    /// `pear`, the client's base URL, the account (the wallet's address, or the address of
    /// the API key or Privy login) and the client id: a stored session is resumed only by
    /// the same account of the same client on the same server.
    fn identity(&self) -> Identity {
        Identity::new("pear", self.client.base_url())
            .with_account(self.account().to_string())
            .with_client_id(self.client.client_id())
    }

    async fn login(&self) -> Result<Tokens, PearError> {
        let tokens = match &self.credentials {
            PearCredentials::Wallet(signer) => self.client.login_eip712(signer.as_ref()).await?,
            PearCredentials::ApiKey { address, key } => {
                self.client.login_api_key(address, key).await?
            }
            PearCredentials::Privy {
                address,
                app_id,
                token,
            } => self.client.login_privy(address, app_id, token).await?,
            PearCredentials::RefreshOnly { address } => {
                return Err(PearFailure::LoginRequired { address: *address }.into());
            }
        };
        Ok(session_tokens(tokens))
    }

    async fn refresh(&self, refresh_token: &RefreshToken) -> Result<Tokens, PearError> {
        Ok(session_tokens(self.client.refresh(refresh_token).await?))
    }

    /// The client's estimate of Pear's clock: the session reads JWT `exp` against it.
    fn server_clock(&self) -> Option<SharedClock> {
        Some(SharedClock::new(self.client.server_clock().clone()))
    }

    async fn logout(
        &self,
        _access_token: &AccessToken,
        refresh_token: Option<&RefreshToken>,
    ) -> Result<(), PearError> {
        match refresh_token {
            Some(token) => self.client.logout(token).await,
            None => Ok(()),
        }
    }
}
