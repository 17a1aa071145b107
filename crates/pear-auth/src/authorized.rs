//! What Pear's authorized calls carry, for `auth-http`'s layer and middleware.

use auth_http::AuthorizeRequest;
use auth_transport::http::HeaderMap;
use auth_types::AccessToken;

use crate::client::authorize_headers;
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
