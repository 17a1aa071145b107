//! The seam to a provider: how to log in, refresh and log out, and how its errors classify.

use std::time::Duration;

use async_trait::async_trait;
use auth_types::{AccessToken, RefreshToken};

use crate::tokens::Tokens;
use auth_store::Identity;

/// What a failed login, refresh or logout means for the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FailureKind {
    /// Trying again later may work: network trouble, a 5xx, a 429. The session keeps its
    /// current token while that token has not expired, and the next call tries again.
    Transient,
    /// The refresh token is dead (expired, revoked, or already used). The session falls
    /// back to a full login.
    RefreshRejected,
    /// Trying again will not help until something changes: a bad key, a revoked API key,
    /// a banned account. The error is returned to the caller as it is.
    Permanent,
}

/// An authenticator's error, able to say what kind of failure it is.
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
pub trait AuthError: std::error::Error + Send + Sync + 'static {
    /// What kind of failure this is.
    fn kind(&self) -> FailureKind;

    /// For a [`FailureKind::Transient`] failure, how long the server asked to wait (for
    /// example from a `Retry-After` header). Until then the session does not call the
    /// server again for a login or refresh. `None` (the default): no hint.
    fn retry_after(&self) -> Option<Duration> {
        None
    }
}

/// A way to obtain and give back tokens: one implementation per provider.
///
/// The session calls at most one of these methods at a time per session, so an
/// implementation need not guard against concurrent use of the same refresh token.
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

    /// Ends the session on the server (revokes the tokens).
    async fn logout(
        &self,
        access_token: &AccessToken,
        refresh_token: Option<&RefreshToken>,
    ) -> Result<(), Self::Error>;
}
