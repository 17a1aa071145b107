//! After the login: [`SiwxClient::refresh`] (a rotating refresh token, presented once)
//! and [`SiwxClient::logout`].

use auth_provider::{ApiError, Failure, JsonBody};
use auth_transport::http::StatusCode;
use auth_types::Clock as _;
use auth_types::{AccessToken, RefreshToken};

use super::SiwxClient;
use super::answer::{SiwxLogin, read_login};
use crate::error::{SiwxError, SiwxFailure};
use crate::headers::authorize_headers;
use crate::standard::Standard;

impl<S: Standard> SiwxClient<S> {
    /// Trades a refresh token for a new session at the refresh endpoint. The token is
    /// spent whatever the outcome: a refusal (400/401/403) is
    /// [`SiwxFailure::RefreshRejected`], a failure that may have reached the backend is
    /// [`SiwxFailure::RefreshUncertain`]; either way, log in again. Only a 429 or a
    /// failure that provably never reached the backend leaves it usable.
    pub async fn refresh(&self, refresh_token: &RefreshToken) -> Result<SiwxLogin, SiwxError> {
        let Some(endpoint) = &self.inner.endpoints.refresh else {
            return Err(SiwxFailure::NoRefreshEndpoint { api: S::NAME }.into());
        };
        let body = JsonBody::new().secret(&endpoint.field, refresh_token.expose_secret());
        let result = self.inner.api.post(&endpoint.path).json(body).send().await;
        let answer = match result {
            Ok(answer) => answer,
            Err(ApiError::Refused {
                status, message, ..
            }) if matches!(status.as_u16(), 400 | 401 | 403) => {
                return Err(SiwxFailure::RefreshRejected {
                    api: S::NAME,
                    status,
                    message,
                }
                .into());
            }
            Err(e) if e.status() == Some(StatusCode::TOO_MANY_REQUESTS) => return Err(e.into()),
            Err(e) if !e.may_have_reached_server() => return Err(e.into()),
            Err(e) => {
                return Err(SiwxFailure::RefreshUncertain {
                    source: Box::new(e.into()),
                }
                .into());
            }
        };
        read_login(
            S::NAME,
            &answer,
            &self.inner.endpoints.session,
            &[],
            self.inner.api.clock().now(),
        )
    }

    /// Ends the session at the logout endpoint: `POST` with the session's cookie or
    /// bearer token, and `refresh_token` in the body when given and the refresh endpoint
    /// names its field. Without a logout endpoint, nothing is sent.
    pub async fn logout(
        &self,
        session: &AccessToken,
        refresh_token: Option<&RefreshToken>,
    ) -> Result<(), SiwxError> {
        let Some(path) = &self.inner.endpoints.logout_path else {
            return Ok(());
        };
        let mut request = self.inner.api.post(path);
        let mut headers = auth_transport::http::HeaderMap::new();
        authorize_headers::<S>(&mut headers, &self.inner.endpoints.session, session)?;
        for (name, value) in &headers {
            request = request.header(name.clone(), value.clone());
        }
        if let (Some(refresh), Some(endpoint)) = (refresh_token, &self.inner.endpoints.refresh) {
            request =
                request.json(JsonBody::new().secret(&endpoint.field, refresh.expose_secret()));
        }
        request.send().await?;
        Ok(())
    }
}
