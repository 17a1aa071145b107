//! What pump.fun's authorized calls carry: the bearer token and pump.fun's `Origin`.

use auth_http::AuthorizeRequest;
use auth_transport::http::header::{AUTHORIZATION, ORIGIN};
use auth_transport::http::{HeaderMap, HeaderValue, Request};
use auth_types::AccessToken;

use crate::client::{API, DEFAULT_ORIGIN};
use crate::error::PumpError;
use crate::session::PumpAuthenticator;

/// Adds `Authorization: Bearer <token>` (marked sensitive, so `http`'s `Debug` hides it)
/// and `Origin: https://pump.fun` to your own request to pump.fun's API: the counterpart
/// of `pear_auth::authorize`. Headers of those names already there are replaced.
///
/// ```
/// use auth_transport::http::{Request, header};
/// use auth_types::AccessToken;
///
/// let mut request = Request::get("https://frontend-api-v3.pump.fun/auth/my-profile").body(())?;
/// pump_auth::authorize(&mut request, &AccessToken::new("eyJ.a.b"))?;
/// assert_eq!(request.headers()[header::AUTHORIZATION], "Bearer eyJ.a.b");
/// assert!(request.headers()[header::AUTHORIZATION].is_sensitive());
/// assert_eq!(request.headers()[header::ORIGIN], "https://pump.fun");
/// assert!(!format!("{request:?}").contains("eyJ.a.b"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`PumpError::Api`] holding `ApiError::InvalidHeader` if the token has characters a
/// header cannot carry (nothing was sent; the error does not show the token).
pub fn authorize<B>(request: &mut Request<B>, token: &AccessToken) -> Result<(), PumpError> {
    authorize_headers(
        request.headers_mut(),
        token,
        HeaderValue::from_static(DEFAULT_ORIGIN),
    )
}

fn authorize_headers(
    headers: &mut HeaderMap,
    token: &AccessToken,
    origin: HeaderValue,
) -> Result<(), PumpError> {
    let value = auth_provider::bearer_header(API, token)?;
    headers.insert(AUTHORIZATION, value);
    headers.insert(ORIGIN, origin);
    Ok(())
}

/// What [`authorize`] adds, for every request through `auth_http::AuthorizeLayer` or
/// `auth_http::AuthorizeMiddleware` over a [`crate::PumpSession`], with the client's
/// `Origin` ([`PumpClient::origin`](crate::PumpClient::origin), default [`DEFAULT_ORIGIN`]:
/// pump.fun's API requires it).
impl AuthorizeRequest for PumpAuthenticator {
    fn authorize(&self, headers: &mut HeaderMap, token: &AccessToken) -> Result<(), PumpError> {
        authorize_headers(headers, token, self.client().origin().clone())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use auth_signing::solana::SolanaKeypair;

    use super::*;
    use crate::client::PumpClient;

    #[test]
    fn the_session_layer_sends_the_clients_own_origin() -> Result<(), PumpError> {
        let client = PumpClient::builder()
            .origin("https://staging.pump.example")
            .build()?;
        let signer = Arc::new(SolanaKeypair::from_seed_bytes([7; 32]));
        let authenticator = PumpAuthenticator::new(client, signer);
        let mut headers = HeaderMap::new();
        AuthorizeRequest::authorize(&authenticator, &mut headers, &AccessToken::new("eyJ.x.y"))?;
        assert_eq!(headers[ORIGIN], "https://staging.pump.example");
        assert_eq!(headers[AUTHORIZATION], "Bearer eyJ.x.y");
        Ok(())
    }
}
