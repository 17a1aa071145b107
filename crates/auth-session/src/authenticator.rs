//! The seam to a provider: how to log in, refresh and log out, and how its errors classify.

use std::time::Duration;

use async_trait::async_trait;
use auth_types::{AccessToken, RefreshToken, SharedClock};

use crate::tokens::Tokens;
use auth_store::Identity;

/// An authenticator's error, able to say what kind of failure it is: the workspace's one
/// [`Failure`](auth_types::Failure) trait, under the name the session has always used.
///
/// What the session does with each [`FailureKind`]: `Transient`, it keeps its current
/// token while that token has not expired and the next call tries again (not before
/// [`retry_after`](auth_types::Failure::retry_after), when the server said); a
/// `RefreshRejected` refresh falls back to a full login; a `Permanent` failure is returned
/// to the caller as it is.
///
/// ```
/// use auth_session::{AuthError, FailureKind};
///
/// #[derive(Debug, thiserror::Error)]
/// #[error("the server answered {status}")]
/// struct HttpFailure { status: u16 }
///
/// impl AuthError for HttpFailure {
///     fn kind(&self) -> FailureKind {
///         match self.status {
///             429 | 500..=599 => FailureKind::Transient,
///             _ => FailureKind::Permanent,
///         }
///     }
/// }
/// assert_eq!(HttpFailure { status: 503 }.kind(), FailureKind::Transient);
/// ```
pub use auth_types::Failure as AuthError;
pub use auth_types::FailureKind;

/// A way to obtain and give back tokens: one implementation per provider.
///
/// The session calls at most one of the methods that obtain or give back tokens (`login`,
/// `refresh`, `relogin`, `logout`) at a time per session, so an implementation need not
/// guard against concurrent use of the same refresh token.
/// [`confirm_refused`](Self::confirm_refused) may run beside them (one at a time too).
#[async_trait]
pub trait Authenticator: Send + Sync + 'static {
    /// The error of all three operations.
    type Error: AuthError;

    /// Who the tokens belong to: provider, base URL, account, client id. A session reads
    /// it once, when built; it tags every store entry it writes with it, and ignores (never
    /// sends) stored tokens of any other identity.
    ///
    /// The default names the implementing type only, with no base URL or account: enough
    /// for tests, too little for a real provider, which should override it so that a
    /// store is never shared across servers or accounts.
    fn identity(&self) -> Identity {
        Identity::new(std::any::type_name::<Self>(), "")
    }

    /// Logs in from scratch (sign a challenge, use an API key, ...).
    async fn login(&self) -> Result<Tokens, Self::Error>;

    /// Trades a refresh token for new tokens. The session never presents the same refresh
    /// token again after this call succeeded, so single-use (rotating) refresh tokens work.
    ///
    /// Called only when the last login or refresh returned a refresh token. On a
    /// [`FailureKind::RefreshRejected`] error the session logs in; after a transient one it
    /// presents the same token again next time; after a permanent one it drops the token.
    /// The default logs in again, for providers without refresh.
    async fn refresh(&self, refresh_token: &RefreshToken) -> Result<Tokens, Self::Error> {
        let _ = refresh_token;
        self.login().await
    }

    /// Logs in again while the session holds `current`, an access token it obtained itself
    /// (a renewal before expiry, or after the server refused it). The default is
    /// [`login`](Self::login); pump.fun's, for one, carries `current` on its login.
    async fn relogin(&self, current: &AccessToken) -> Result<Tokens, Self::Error> {
        let _ = current;
        self.login().await
    }

    /// Whether `token`, which the server just refused (a 401), is dead: asked by
    /// [`Session::report_refused`](crate::Session::report_refused) before a 401 causes a
    /// renewal, at most once per token every 10 s. `Ok(false)` (the token is alive: the
    /// server refused the request, not the token) keeps the token: no renewal, the 401 is
    /// passed on. An error keeps it too, and the next 401 asks again.
    ///
    /// The default says `Ok(true)` without a network call. A provider whose server answers
    /// 401 to live tokens, and whose logins cost other holders their tokens, checks with a
    /// cheap authenticated call (pump.fun's: `GET /auth/my-profile`).
    async fn confirm_refused(&self, token: &AccessToken) -> Result<bool, Self::Error> {
        let _ = token;
        Ok(true)
    }

    /// How long after a login replaced an access token the session obtained itself, the
    /// session logs that token out ([`logout`](Self::logout), without a refresh token), so
    /// renewals leave no live server sessions behind. Best effort, in the background; the
    /// grace lets requests already sent with the old token finish. `None` (the default):
    /// the replaced token is left to expire.
    fn retire_replaced_after(&self) -> Option<Duration> {
        None
    }

    /// The server's clock as the provider client estimates it (the client's
    /// `auth_provider::ServerClock`): the session reads JWT `exp` claims and stored expiry
    /// times against it, so a token's remaining life is counted on the clock that issued
    /// it even on a machine whose clock is off. A clock set with
    /// [`SessionBuilder::wall_clock`](crate::SessionBuilder::wall_clock) takes precedence.
    /// `None` (the default): the system clock.
    fn server_clock(&self) -> Option<SharedClock> {
        None
    }

    /// Ends the session on the server (revokes the tokens).
    async fn logout(
        &self,
        access_token: &AccessToken,
        refresh_token: Option<&RefreshToken>,
    ) -> Result<(), Self::Error>;
}
