//! What an authorized call to the backend carries, for your own requests
//! ([`SiwxClient::authorize`]) and for `auth_http`'s layer and middleware.

use auth_http::AuthorizeRequest;
use auth_transport::http::{HeaderMap, Request};
use auth_types::AccessToken;

use crate::client::SiwxClient;
use crate::error::SiwxError;
use crate::headers::authorize_headers;
use crate::session::SiwxAuthenticator;
use crate::standard::Standard;

impl<S: Standard> SiwxClient<S> {
    /// Adds the session to your own request to the backend: `Cookie: <name>=<session>`
    /// (other cookies already in the header are kept) or `Authorization: Bearer
    /// <session>`, marked sensitive so `http`'s `Debug` hides it.
    ///
    /// ```
    /// use auth_transport::http::{Request, header};
    /// use auth_types::AccessToken;
    /// use siwx_auth::SiweClient;
    ///
    /// let client = SiweClient::builder("https://app.example.com").build()?;
    /// let mut request = Request::get("https://app.example.com/personal_information")
    ///     .header(header::COOKIE, "theme=dark")
    ///     .body(())?;
    /// client.authorize(&mut request, &AccessToken::new("s%3Asecret"))?;
    /// assert_eq!(request.headers()[header::COOKIE], "theme=dark; connect.sid=s%3Asecret");
    /// assert!(!format!("{request:?}").contains("secret"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn authorize<B>(
        &self,
        request: &mut Request<B>,
        session: &AccessToken,
    ) -> Result<(), SiwxError> {
        authorize_headers::<S>(request.headers_mut(), self.session_from(), session)
    }
}

/// What [`SiwxClient::authorize`] adds, for every request through
/// `auth_http::AuthorizeLayer` or `auth_http::AuthorizeMiddleware` over a session of
/// this provider.
impl<S: Standard> AuthorizeRequest for SiwxAuthenticator<S>
where
    SiwxAuthenticator<S>: auth_session::Authenticator<Error = SiwxError>,
{
    fn authorize(&self, headers: &mut HeaderMap, token: &AccessToken) -> Result<(), SiwxError> {
        authorize_headers::<S>(headers, self.client().session_from(), token)
    }
}
