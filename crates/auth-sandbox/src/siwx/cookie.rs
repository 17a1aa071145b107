//! Cookie mode, the shape of spruceid's siwe-quickstart: `GET /nonce` (text),
//! `POST /verify` (`Set-Cookie: connect.sid=…`, body `true`; the session lasts the
//! configured time, or until the message's `Expiration Time` if sooner), `GET /personal_information`
//! and `POST /logout` with the cookie.

use std::sync::Arc;

use axum::Json;
use axum::extract::State as Extract;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use super::check;
use super::nonces::Mode;
use super::refusal;
use super::state::SiwxState;
use crate::counters::bump;
use crate::time::unix_now_ms;

/// The session cookie's name, express-session's default.
pub(crate) const COOKIE: &str = "connect.sid";

/// The 401 of a request without a live session, as the quickstart answers it.
const SIGN_IN_FIRST: &str = "You have to first sign_in";

/// `GET /nonce`: a fresh nonce, as `text/plain`.
pub(super) async fn nonce(Extract(state): Extract<Arc<SiwxState>>) -> Response {
    bump(&state.counters.nonces_issued);
    let nonce = state.nonces.issue(Mode::Cookie);
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], nonce).into_response()
}

/// `POST /verify {message, signature}`: a cookie session and the body `true`.
pub(super) async fn verify(Extract(state): Extract<Arc<SiwxState>>, body: Bytes) -> Response {
    let proven = match check::login(&state, Mode::Cookie, &body) {
        Ok(p) => p,
        Err(refused) => return refused.answer(&state),
    };
    bump(&state.counters.logins);
    bump(&state.counters.cookie_logins);
    // The session ends with the message, as the quickstart sets the cookie's expiry to
    // its `Expiration Time`.
    let left = proven
        .expires_ms
        .map(|t| t.saturating_sub(unix_now_ms()).div_ceil(1000));
    let max_age = left.map_or(state.session_secs(), |l| l.clamp(1, state.session_secs()));
    let cookie = state.open_cookie(&proven.address, max_age);
    let value = format!("{COOKIE}={cookie}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}");
    with_cookie(Json(true).into_response(), &value)
}

/// `GET /personal_information` with the cookie: the quickstart's text.
pub(super) async fn personal_information(
    Extract(state): Extract<Arc<SiwxState>>,
    headers: HeaderMap,
) -> Response {
    let Some(login) = session_cookie(&headers).and_then(|c| state.cookie_login(&c)) else {
        bump(&state.counters.unauthorized);
        return refusal(StatusCode::UNAUTHORIZED, SIGN_IN_FIRST);
    };
    bump(&state.counters.authorized);
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!(
            "You are authenticated and your address is: {}",
            login.address
        ),
    )
        .into_response()
}

/// `POST /logout` with the cookie: the session ends, the cookie is cleared, body `true`.
pub(super) async fn logout(
    Extract(state): Extract<Arc<SiwxState>>,
    headers: HeaderMap,
) -> Response {
    if !session_cookie(&headers).is_some_and(|c| state.close_cookie(&c)) {
        bump(&state.counters.unauthorized);
        return refusal(StatusCode::UNAUTHORIZED, SIGN_IN_FIRST);
    }
    bump(&state.counters.logouts);
    let cleared = format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    with_cookie(Json(true).into_response(), &cleared)
}

fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

/// The `connect.sid` cookie of a request.
fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            pair.trim()
                .strip_prefix(COOKIE)
                .and_then(|rest| rest.strip_prefix('='))
                .map(str::to_owned)
        })
}
