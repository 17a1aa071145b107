//! Tokens as an authenticator hands them over, and as the session caches them.

use std::time::{Duration, SystemTime};

use crate::jwt;
use auth_types::{AccessToken, RefreshToken};

/// The longest lifetime the session believes, so that deadline arithmetic cannot overflow.
pub(crate) const MAX_LIFETIME: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// What a successful login or refresh yields.
///
/// `Debug` shows no token text (the token types redact themselves).
#[derive(Debug, Clone)]
pub struct Tokens {
    /// The bearer token for requests.
    pub access_token: AccessToken,
    /// The token for the next refresh, if the provider has refresh. `None` makes the
    /// session log in again when the access token nears its expiry.
    pub refresh_token: Option<RefreshToken>,
    /// The access token's lifetime as the server announced it (`expiresIn`), counted from
    /// when the answer arrived. Where the access token is a JWT with an `exp` claim, the
    /// earlier of the two applies.
    pub expires_in: Duration,
}

impl Tokens {
    /// Tokens without a refresh token.
    pub fn new(access_token: AccessToken, expires_in: Duration) -> Self {
        Tokens {
            access_token,
            refresh_token: None,
            expires_in,
        }
    }

    /// Adds a refresh token.
    #[must_use]
    pub fn with_refresh_token(mut self, refresh_token: RefreshToken) -> Self {
        self.refresh_token = Some(refresh_token);
        self
    }
}

/// How long `access_token` stays valid from `wall_now`: `expires_in` (capped at
/// [`MAX_LIFETIME`]), or less if the token is a JWT whose `exp` comes first.
pub(crate) fn lifetime(
    access_token: &AccessToken,
    expires_in: Duration,
    wall_now: SystemTime,
) -> Duration {
    let announced = expires_in.min(MAX_LIFETIME);
    match jwt::jwt_expiry(access_token.expose_secret()) {
        Some(exp) => announced.min(exp.duration_since(wall_now).unwrap_or_default()),
        None => announced,
    }
}
