//! The login request: the signed message and its signature in the backend's body shape,
//! with the cookies the nonce's answer set, and its answer read into a [`SiwxLogin`].

use auth_provider::JsonBody;
use auth_transport::http::header::COOKIE;
use auth_types::AccessToken;
use auth_types::Clock as _;

use super::SiwxClient;
use super::answer::{SiwxLogin, read_login};
use crate::error::SiwxError;
use crate::headers::cookie_header;
use crate::standard::Standard;

impl<S: Standard> SiwxClient<S> {
    /// Sends `message` and `signature` (as the standard writes it) to the login endpoint,
    /// with `cookies`, and reads the session from the answer.
    pub(super) async fn send_login(
        &self,
        message: &str,
        signature: &str,
        cookies: &[(String, AccessToken)],
    ) -> Result<SiwxLogin, SiwxError> {
        let endpoints = &self.inner.endpoints;
        let body = JsonBody::new()
            .field(&endpoints.message_field, message)
            .secret(&endpoints.signature_field, signature);
        let mut request = self.inner.api.post(&endpoints.login_path).json(body);
        if !cookies.is_empty() {
            request = request.header(COOKIE, cookie_header(S::NAME, None, cookies)?);
        }
        let answer = request.send().await?;
        tracing::debug!(target: "siwx_auth", api = S::NAME, status = %answer.status(), "logged in");
        read_login(
            S::NAME,
            &answer,
            &endpoints.session,
            cookies,
            self.inner.api.clock().now(),
        )
    }
}
