//! pump.fun sessions: an `auth-session` authenticator over [`PumpClient`].

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use auth_session::{Authenticator, Identity, Session, Tokens};
use auth_signing::SolanaSigner;
use auth_transport::http::StatusCode;
use auth_types::{AccessToken, RefreshToken, SharedClock, SolanaPubkey};

use crate::PumpLogin;
use crate::client::PumpClient;
use crate::error::PumpError;

/// A session that keeps a live pump.fun token. pump.fun has no refresh: the session signs
/// in again before the token expires. See [`auth_session::Session`].
pub type PumpSession = Session<PumpAuthenticator>;

/// The lifetime assumed when pump.fun sends neither `expiresIn` nor a JWT `exp`.
pub const ASSUMED_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// How long a session's previous token stays alive after a new login, by default: long
/// enough for requests already sent with it to finish.
pub const DEFAULT_RETIRE_GRACE: Duration = Duration::from_secs(10);

/// Signs in with a [`PumpClient`] and a Solana signer.
///
/// When the session signs in again while holding a token it obtained (a renewal before
/// expiry, or after the token was refused), the login carries `Authorization: Bearer <old
/// token>`, as the specification shows ([`Authenticator::relogin`]), and afterwards the
/// session logs the old token out (best effort, after [`DEFAULT_RETIRE_GRACE`], in the
/// background: [`Authenticator::retire_replaced_after`]), so renewals leave no live server
/// sessions behind. A token the session loaded from a store was not obtained by it and is
/// neither carried nor retired.
#[derive(Debug, Clone)]
pub struct PumpAuthenticator {
    client: PumpClient,
    key: Key,
    retire_grace: Option<Duration>,
}

/// What signs a login, if anything does.
#[derive(Debug, Clone)]
enum Key {
    /// A signer: the session signs in when it must.
    Signer(Arc<dyn SolanaSigner>),
    /// No signer: the session only serves a stored token of this wallet.
    StoredOnly(SolanaPubkey),
}

impl PumpAuthenticator {
    /// An authenticator from a client and a signer.
    pub fn new(client: PumpClient, signer: Arc<dyn SolanaSigner>) -> Self {
        PumpAuthenticator {
            client,
            key: Key::Signer(signer),
            retire_grace: Some(DEFAULT_RETIRE_GRACE),
        }
    }

    /// Never signs in: serves the token the session's store holds for `wallet` (from a
    /// sign-in made elsewhere: a browser wallet's, another machine's) until it expires or
    /// is refused, then fails with [`PumpFailure::LoginRequired`](crate::PumpFailure::LoginRequired),
    /// sending nothing (pump.fun has no refresh token). Its
    /// [`identity`](Authenticator::identity) is that of [`new`](Self::new) with a signer
    /// of `wallet` on the same client, so it reads the entry such a session (or a saved
    /// browser sign-in) wrote. Give its session the store: without one it has nothing to
    /// serve. It retires no token (it never obtains one).
    pub fn stored_only(client: PumpClient, wallet: SolanaPubkey) -> Self {
        PumpAuthenticator {
            client,
            key: Key::StoredOnly(wallet),
            retire_grace: None,
        }
    }

    /// The signer, or the failure that says a sign-in is needed.
    fn signer(&self) -> Result<&dyn SolanaSigner, PumpError> {
        match &self.key {
            Key::Signer(signer) => Ok(signer.as_ref()),
            Key::StoredOnly(wallet) => {
                Err(crate::PumpFailure::LoginRequired { wallet: *wallet }.into())
            }
        }
    }

    /// How long after a new login the previous token is logged out (default
    /// [`DEFAULT_RETIRE_GRACE`]; zero logs it out at once, still without making the
    /// caller wait). With a token store shared by several processes, the others keep
    /// handing out the previous token until their own renewal time (up to the session's
    /// refresh jitter later): use a grace longer than that, or
    /// [`keep_old_tokens`](PumpAuthenticator::keep_old_tokens).
    pub fn retire_old_tokens_after(mut self, grace: Duration) -> Self {
        self.retire_grace = Some(grace);
        self
    }

    /// Leaves previous tokens alive until they expire instead of logging them out.
    pub fn keep_old_tokens(mut self) -> Self {
        self.retire_grace = None;
        self
    }

    /// The client.
    pub fn client(&self) -> &PumpClient {
        &self.client
    }
}

/// What a pump.fun login answered, as the session's tokens.
fn session_tokens(login: PumpLogin) -> Tokens {
    Tokens::new(login.token, login.expires_in.unwrap_or(ASSUMED_LIFETIME))
}

#[async_trait]
impl Authenticator for PumpAuthenticator {
    type Error = PumpError;

    /// `pump.fun`, the client's base URL and the wallet's public key: a stored session is
    /// resumed only by the same wallet on the same server.
    fn identity(&self) -> Identity {
        Identity::new("pump.fun", self.client.base_url()).with_account(
            match &self.key {
                Key::Signer(signer) => signer.pubkey(),
                Key::StoredOnly(wallet) => *wallet,
            }
            .to_string(),
        )
    }

    async fn login(&self) -> Result<Tokens, PumpError> {
        Ok(session_tokens(self.client.login(self.signer()?).await?))
    }

    async fn relogin(&self, current: &AccessToken) -> Result<Tokens, PumpError> {
        Ok(session_tokens(
            self.client.relogin(self.signer()?, current).await?,
        ))
    }

    /// `GET /auth/my-profile` with the refused token: pump.fun answers 401 to a live
    /// token for actions the wallet may not take, and a new login rotates the wallet's
    /// token for every holder, so a 401 is confirmed before the session logs in. A
    /// profile (any 2xx) means alive (`Ok(false)`: the token is kept, no login); a 401 means
    /// dead (`Ok(true)`). Anything else (another status, a 429, a transport failure) is
    /// returned as the error: the session keeps the token and passes the 401 on, and the
    /// next 401 asks again; no login is made on a guess, as one would break the token of
    /// every other holder.
    async fn confirm_refused(&self, token: &AccessToken) -> Result<bool, PumpError> {
        match self.client.profile(token).await {
            Ok(_) => Ok(false),
            // A 2xx whose body this client could not read: the token was accepted.
            Err(error) if error.status().is_some_and(|s| s.is_success()) => Ok(false),
            Err(error) if error.status() == Some(StatusCode::UNAUTHORIZED) => Ok(true),
            Err(error) => Err(error),
        }
    }

    fn retire_replaced_after(&self) -> Option<Duration> {
        self.retire_grace
    }

    /// The client's estimate of pump.fun's clock: the session reads JWT `exp` against it.
    fn server_clock(&self) -> Option<SharedClock> {
        Some(SharedClock::new(self.client.server_clock().clone()))
    }

    async fn logout(
        &self,
        access_token: &AccessToken,
        _refresh_token: Option<&RefreshToken>,
    ) -> Result<(), PumpError> {
        self.client.logout(access_token).await
    }
}
