//! What Pear's authorized calls carry, for `auth-http`'s layer and middleware.

use auth_http::AuthorizeRequest;
use auth_transport::http::header::AUTHORIZATION;
use auth_transport::http::{HeaderMap, Request};
use auth_types::AccessToken;

use crate::API;
use crate::error::PearError;
use crate::session::PearAuthenticator;

/// `Authorization: Bearer <token>`, marked sensitive: what [`crate::authorize`] adds to a
/// single request, for every request through `auth_http::AuthorizeLayer` or
/// `auth_http::AuthorizeMiddleware` over a [`crate::PearSession`].
impl AuthorizeRequest for PearAuthenticator {
    fn authorize(&self, headers: &mut HeaderMap, token: &AccessToken) -> Result<(), PearError> {
        authorize_headers(headers, token)
    }
}

/// Adds `Authorization: Bearer <token>` to any request, marked sensitive (so `http`'s
/// `Debug` hides it), to call the rest of Pear's API with any HTTP client. A token with
/// characters a header cannot carry is [`ApiError::InvalidHeader`](auth_provider::ApiError::InvalidHeader): a local failure,
/// nothing was sent.
///
/// ```
/// let mut request = http::Request::get("https://hl-v2.pearprotocol.io/positions").body(())?;
/// pear_auth::authorize(&mut request, &auth_types::AccessToken::new("eyJ..."))?;
/// assert_eq!(request.headers()["authorization"], "Bearer eyJ...");
/// assert!(request.headers()["authorization"].is_sensitive());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn authorize<B>(request: &mut Request<B>, token: &AccessToken) -> Result<(), PearError> {
    authorize_headers(request.headers_mut(), token)
}

/// What [`authorize`] adds, on a header map (also used by the session's authorized layer).
pub(crate) fn authorize_headers(
    headers: &mut HeaderMap,
    token: &AccessToken,
) -> Result<(), PearError> {
    headers.insert(AUTHORIZATION, auth_provider::bearer_header(API, token)?);
    Ok(())
}
