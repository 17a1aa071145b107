//! What pump.fun's authorized calls carry: the token as a bearer header and as the
//! `auth_token` cookie, and pump.fun's `Origin`.

use auth_http::AuthorizeRequest;
use auth_provider::ApiError;
use auth_transport::http::header::{AUTHORIZATION, COOKIE, ORIGIN};
use auth_transport::http::{HeaderMap, HeaderValue, Request};
use auth_types::AccessToken;

use crate::client::{API, DEFAULT_ORIGIN};
use crate::error::PumpError;
use crate::session::PumpAuthenticator;

/// Adds `Authorization: Bearer <token>`, `Cookie: auth_token=<token>` (both marked
/// sensitive, so `http`'s `Debug` hides them) and `Origin: https://pump.fun` to your own
/// request to pump.fun's API: the counterpart of `pear_auth::authorize`. pump.fun's
/// public clients send the token one way or the other (the bots as the cookie, the token
/// route's clients as the bearer header); a browser after a cookie login sends both, and
/// so does this. The `Authorization` and `Origin` headers already there are replaced;
/// other cookies already there are kept (in one `Cookie` header), an `auth_token` one
/// replaced.
///
/// ```
/// use auth_transport::http::{Request, header};
/// use auth_types::AccessToken;
///
/// let mut request = Request::get("https://frontend-api-v3.pump.fun/auth/my-profile").body(())?;
/// pump_auth::authorize(&mut request, &AccessToken::new("eyJ.a.b"))?;
/// assert_eq!(request.headers()[header::AUTHORIZATION], "Bearer eyJ.a.b");
/// assert!(request.headers()[header::AUTHORIZATION].is_sensitive());
/// assert_eq!(request.headers()[header::COOKIE], "auth_token=eyJ.a.b");
/// assert!(request.headers()[header::COOKIE].is_sensitive());
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
    let cookie = cookie_header(headers, token)?;
    headers.insert(AUTHORIZATION, value);
    headers.insert(COOKIE, cookie);
    headers.insert(ORIGIN, origin);
    Ok(())
}

/// The `Cookie` header of `headers` with `auth_token=<token>` in place of any `auth_token`
/// cookie there, the other cookies kept in their order; marked sensitive.
fn cookie_header(headers: &HeaderMap, token: &AccessToken) -> Result<HeaderValue, PumpError> {
    const NAME: &[u8] = b"auth_token=";
    let mut pairs: Vec<&[u8]> = headers
        .get_all(COOKIE)
        .iter()
        .flat_map(|value| value.as_bytes().split(|b| *b == b';'))
        .map(<[u8]>::trim_ascii)
        .filter(|pair| !pair.is_empty() && !pair.starts_with(NAME))
        .collect();
    let ours = format!("auth_token={}", token.expose_secret());
    pairs.push(ours.as_bytes());
    let mut value =
        HeaderValue::from_bytes(&pairs.join(&b"; "[..])).map_err(|_| ApiError::InvalidHeader {
            api: API,
            header: "cookie",
        })?;
    value.set_sensitive(true);
    Ok(value)
}

/// What [`authorize`] adds (the bearer header and the `auth_token` cookie), for every
/// request through `auth_http::AuthorizeLayer` or `auth_http::AuthorizeMiddleware` over
/// a [`crate::PumpSession`], with the client's
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
        assert_eq!(headers[COOKIE], "auth_token=eyJ.x.y");
        Ok(())
    }

    #[test]
    fn other_cookies_are_kept_and_an_old_auth_token_replaced() -> Result<(), PumpError> {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, HeaderValue::from_static("a=1; auth_token=old"));
        headers.append(COOKIE, HeaderValue::from_static("b=2"));
        authorize_headers(
            &mut headers,
            &AccessToken::new("eyJ.new.t"),
            HeaderValue::from_static(DEFAULT_ORIGIN),
        )?;
        let cookies: Vec<_> = headers.get_all(COOKIE).iter().collect();
        assert_eq!(cookies, ["a=1; b=2; auth_token=eyJ.new.t"]);
        assert!(cookies[0].is_sensitive());
        assert!(!format!("{headers:?}").contains("eyJ.new.t"));
        // Authorized again (a replay): still one auth_token.
        authorize_headers(
            &mut headers,
            &AccessToken::new("eyJ.newer.t"),
            HeaderValue::from_static(DEFAULT_ORIGIN),
        )?;
        assert_eq!(headers[COOKIE], "a=1; b=2; auth_token=eyJ.newer.t");
        Ok(())
    }

    #[test]
    fn a_token_a_header_cannot_carry_is_an_error_without_it() {
        let mut headers = HeaderMap::new();
        let result = authorize_headers(
            &mut headers,
            &AccessToken::new("bad\ntoken"),
            HeaderValue::from_static(DEFAULT_ORIGIN),
        );
        let error = result.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains("cannot carry"), "{error}");
        assert!(!error.contains("bad"));
        assert!(headers.is_empty());
    }
}
