//! Token mode: `GET /auth/nonce` (`{nonce}`), `POST /auth/login` (`{accessToken,
//! refreshToken, expiresIn}`), `POST /auth/refresh` (rotating, single-use refresh
//! tokens), `POST /auth/logout` and `GET /me` with `Authorization: Bearer`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State as Extract;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::{Value, json};

use super::check;
use super::nonces::Mode;
use super::refusal;
use super::state::{Claims, RefreshRefusal, SiwxState};
use crate::counters::bump;
use crate::reply::bearer;

/// `GET /auth/nonce`: `{"nonce"}`.
pub(super) async fn nonce(Extract(state): Extract<Arc<SiwxState>>) -> Response {
    bump(&state.counters.nonces_issued);
    Json(json!({ "nonce": state.nonces.issue(Mode::Token) })).into_response()
}

/// The token answer of a login or refresh.
fn pair(state: &SiwxState, address: &str, sid: &str) -> Response {
    let (access, refresh) = state.issue_pair(address, sid);
    Json(json!({
        "accessToken": access,
        "refreshToken": refresh,
        "expiresIn": state.access_secs(),
    }))
    .into_response()
}

/// `POST /auth/login {message, signature}`.
pub(super) async fn login(Extract(state): Extract<Arc<SiwxState>>, body: Bytes) -> Response {
    let proven = match check::login(&state, Mode::Token, &body) {
        Ok(p) => p,
        Err(refused) => return refused.answer(&state),
    };
    bump(&state.counters.logins);
    bump(&state.counters.token_logins);
    pair(&state, &proven.address, &state.new_session())
}

/// The `refreshToken` of a body, if it is a JSON object with one.
fn refresh_token(body: &Bytes) -> Option<String> {
    let body: Value = serde_json::from_slice(body).ok()?;
    body.get("refreshToken")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// `POST /auth/refresh {refreshToken}`: a new pair; the token presented is spent.
pub(super) async fn refresh(Extract(state): Extract<Arc<SiwxState>>, body: Bytes) -> Response {
    let Some(token) = refresh_token(&body) else {
        return refusal(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Expected a JSON body {\"refreshToken\": <text>}",
        );
    };
    match state.spend_refresh(&token) {
        Ok(login) => {
            bump(&state.counters.refreshes);
            pair(&state, &login.address, &login.sid)
        }
        Err(RefreshRefusal::Reused) => {
            bump(&state.counters.refresh_reuses);
            refusal(
                StatusCode::UNAUTHORIZED,
                "Refresh token has already been used",
            )
        }
        Err(RefreshRefusal::Unknown) => {
            refusal(StatusCode::UNAUTHORIZED, "Invalid or expired refresh token")
        }
    }
}

/// The claims of the request's live bearer token, or the 401 to send.
fn authorize(state: &SiwxState, headers: &HeaderMap) -> Result<Claims, Response> {
    match bearer(headers).and_then(|t| state.access_claims(t)) {
        Some(claims) => Ok(claims),
        None => {
            bump(&state.counters.unauthorized);
            Err(refusal(
                StatusCode::UNAUTHORIZED,
                "Missing, invalid or expired access token",
            ))
        }
    }
}

/// `POST /auth/logout` with the bearer token (and optionally `{refreshToken}`): the
/// session ends, so its access and refresh tokens are refused from now on. 204.
pub(super) async fn logout(
    Extract(state): Extract<Arc<SiwxState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let claims = match authorize(&state, &headers) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Some(token) = refresh_token(&body) {
        // Forgotten, so it is refused even were it of another session.
        state.forget_refresh(&token);
    }
    state.shared.sessions.end(&claims.sid);
    bump(&state.counters.logouts);
    StatusCode::NO_CONTENT.into_response()
}

/// `GET /me` with the bearer token: `{"address"}`.
pub(super) async fn me(Extract(state): Extract<Arc<SiwxState>>, headers: HeaderMap) -> Response {
    match authorize(&state, &headers) {
        Ok(claims) => {
            bump(&state.counters.authorized);
            Json(json!({ "address": claims.sub })).into_response()
        }
        Err(r) => r,
    }
}
