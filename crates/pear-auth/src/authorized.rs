//! What Pear's authorized calls carry, for `auth-http`'s layer and middleware.

use auth_http::AuthorizeRequest;
use auth_transport::http::HeaderMap;
use auth_transport::http::header::AUTHORIZATION;
use auth_types::AccessToken;

use crate::error::PearError;
use crate::session::PearAuthenticator;

/// `Authorization: Bearer <token>`, marked sensitive: what [`crate::authorize`] adds to a
/// single request, for every request through `auth_http::AuthorizeLayer` or
/// `auth_http::AuthorizeMiddleware` over a [`crate::PearSession`].
impl AuthorizeRequest for PearAuthenticator {
    fn authorize(&self, headers: &mut HeaderMap, token: &AccessToken) -> Result<(), PearError> {
        let value = auth_provider::bearer_header("Pear", token)?;
        headers.insert(AUTHORIZATION, value);
        Ok(())
    }
}
