//! What an authorized request carries: one trait, implemented by each provider.

use auth_session::Authenticator;
use auth_types::AccessToken;
use http::HeaderMap;

/// The headers a provider's authorized calls carry, given the session's access token.
///
/// Implemented by a session's [`Authenticator`] (each provider crate implements it for its
/// own: `PearAuthenticator` adds `Authorization: Bearer …`; `PumpAuthenticator` adds the
/// bearer header, the `auth_token` cookie and `Origin: https://pump.fun`). Every value
/// that holds the token must be marked sensitive ([`http::HeaderValue::set_sensitive`]) so
/// that `http`'s `Debug` hides it.
///
/// An implementation replaces headers it sets (use [`HeaderMap::insert`], not `append`):
/// a replayed request is authorized again with a newer token.
///
/// ```
/// use auth_http::AuthorizeRequest;
/// use auth_session::{AuthError, Authenticator, FailureKind, Tokens};
/// use auth_types::{AccessToken, RefreshToken};
/// use http::header::{AUTHORIZATION, HeaderMap, HeaderValue};
///
/// #[derive(Debug, thiserror::Error)]
/// #[error("the token cannot be sent in a header")]
/// struct BadToken;
/// impl AuthError for BadToken {
///     fn kind(&self) -> FailureKind { FailureKind::Permanent }
/// }
///
/// struct MyApi;
/// #[async_trait::async_trait]
/// impl Authenticator for MyApi {
///     type Error = BadToken;
///     async fn login(&self) -> Result<Tokens, BadToken> { Err(BadToken) }
///     async fn logout(&self, _: &AccessToken, _: Option<&RefreshToken>) -> Result<(), BadToken> { Ok(()) }
/// }
///
/// impl AuthorizeRequest for MyApi {
///     fn authorize(&self, headers: &mut HeaderMap, token: &AccessToken) -> Result<(), BadToken> {
///         let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose_secret()))
///             .map_err(|_| BadToken)?;
///         value.set_sensitive(true);
///         headers.insert(AUTHORIZATION, value);
///         Ok(())
///     }
/// }
///
/// let mut headers = HeaderMap::new();
/// MyApi.authorize(&mut headers, &AccessToken::new("eyJ.a.b"))?;
/// assert!(headers[AUTHORIZATION].is_sensitive());
/// # Ok::<(), BadToken>(())
/// ```
pub trait AuthorizeRequest: Authenticator {
    /// Puts `token`, and whatever else the provider requires on authorized calls, into
    /// `headers`.
    ///
    /// # Errors
    ///
    /// The authenticator's error when the token cannot be carried (characters a header
    /// cannot hold). The error must not contain the token.
    fn authorize(&self, headers: &mut HeaderMap, token: &AccessToken) -> Result<(), Self::Error>;
}
