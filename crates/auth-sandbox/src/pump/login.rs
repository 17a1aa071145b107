//! pump.fun sign-in, in the three formats seen: the documented `POST /auth/login {wallet,
//! signature, message}` (a JSON answer), the live site's `POST /auth/login {address,
//! signature, timestamp}` (an `auth_token` cookie and an empty body), and
//! `POST /auth/login/token {address, signature, timestamp, authType: "non_custodial"}`
//! (`{access_token}`). Each login signature works once.

use std::sync::Arc;

use auth_types::SolanaPubkey;
use auth_types::lock;
use axum::Json;
use axum::extract::State as Extract;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::{Value, json};

use super::state::{Claims, PumpState, TokenType};
use super::verify::{parse_ed25519_signature, verify_ed25519};
use super::{COOKIE, MESSAGE_PREFIX, error, username};
use crate::counters::bump;
use crate::reply::bearer;
use crate::time::{unix_now, unix_now_ms};

/// The 400 of the specification: a body that is not a login.
const MALFORMED: &str = "Invalid signature or wallet address";

/// The 401 of the specification: a login that does not prove the wallet.
const REFUSED: &str = "Invalid credentials";

/// The only `authType` of the token route.
const AUTH_TYPE: &str = "non_custodial";

/// How the token goes back.
#[derive(Clone, Copy)]
enum Format {
    /// `{token, expiresIn, user}`.
    Documented,
    /// `Set-Cookie: auth_token=…`, empty body.
    Cookie,
    /// `{access_token}`.
    Token,
}

/// A body's JSON (an ignored or unparsable body is `null`).
fn json_body(body: &Bytes) -> Value {
    serde_json::from_slice(body).unwrap_or(Value::Null)
}

/// `{address, signature, timestamp}` of the live formats, with the message signed.
fn live_fields(body: &Value) -> Option<(&str, &str, String)> {
    let address = body.get("address").and_then(Value::as_str)?;
    let signature = body.get("signature").and_then(Value::as_str)?;
    let timestamp = body.get("timestamp").and_then(Value::as_u64)?;
    Some((address, signature, format!("{MESSAGE_PREFIX}{timestamp}")))
}

fn refuse(state: &PumpState, status: StatusCode, message: &str) -> Response {
    bump(&state.counters.login_refusals);
    error(status, message)
}

/// `POST /auth/login`: the documented format, or the live site's cookie format.
pub(super) async fn login(
    Extract(state): Extract<Arc<PumpState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body = json_body(&body);
    let text = |key: &str| body.get(key).and_then(Value::as_str);
    let documented = match (text("wallet"), text("signature"), text("message")) {
        (Some(w), Some(s), Some(m)) => Some((w, s, m.to_owned())),
        _ => None,
    };
    let (login, format) = match (documented, live_fields(&body)) {
        (Some(login), _) => (login, Format::Documented),
        (None, Some(login)) => (login, Format::Cookie),
        (None, None) => return refuse(&state, StatusCode::BAD_REQUEST, MALFORMED),
    };
    sign_in(&state, &headers, login, format)
}

/// `POST /auth/login/token`: the token route, `authType: "non_custodial"` only.
pub(super) async fn login_token(
    Extract(state): Extract<Arc<PumpState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body = json_body(&body);
    if body.get("authType").and_then(Value::as_str) != Some(AUTH_TYPE) {
        return refuse(
            &state,
            StatusCode::BAD_REQUEST,
            "authType must be one of the following values: non_custodial",
        );
    }
    match live_fields(&body) {
        Some(login) => sign_in(&state, &headers, login, Format::Token),
        None => refuse(&state, StatusCode::BAD_REQUEST, MALFORMED),
    }
}

/// Checks a sign-in and answers it in `format`. A bearer token on the login is never
/// checked (the specification shows one), only counted.
fn sign_in(
    state: &PumpState,
    headers: &HeaderMap,
    (wallet, signature, message): (&str, &str, String),
    format: Format,
) -> Response {
    let pubkey = match check(state, wallet, signature, &message) {
        Ok(p) => p,
        Err((status, text)) => return refuse(state, status, text),
    };
    bump(&state.counters.logins);
    if bearer(headers).is_some_and(|t| !t.is_empty()) {
        bump(&state.counters.logins_with_bearer);
    }
    let wallet = pubkey.to_base58();
    lock(&state.last_logins).insert(wallet.clone(), unix_now_ms());
    let now = unix_now();
    let ttl = state.settings.token_ttl.as_secs().max(1);
    let claims = Claims {
        sub: wallet.clone(),
        typ: TokenType::Pump,
        sid: state.shared.new_id("p"),
        jti: state.shared.new_id("j"),
        iat: now,
        exp: now + ttl,
    };
    let token = state.issue(&claims);
    state.rotate(&wallet, &claims.sid);
    match format {
        Format::Documented => (
            StatusCode::CREATED,
            Json(json!({
                "token": token,
                "expiresIn": ttl,
                "user": {
                    "id": format!("user-{}", wallet.chars().take(8).collect::<String>()),
                    "wallet": wallet,
                    "username": username(&wallet),
                },
            })),
        )
            .into_response(),
        Format::Cookie => {
            let mut response = StatusCode::CREATED.into_response();
            let cookie =
                format!("{COOKIE}={token}; Path=/; Max-Age={ttl}; HttpOnly; Secure; SameSite=Lax");
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, v);
            }
            response
        }
        Format::Token => {
            (StatusCode::CREATED, Json(json!({"access_token": token}))).into_response()
        }
    }
}

/// Checks a sign-in message and its signature, and that the signature has not logged in
/// before; returns the wallet on success.
fn check(
    state: &PumpState,
    wallet: &str,
    signature: &str,
    message: &str,
) -> Result<SolanaPubkey, (StatusCode, &'static str)> {
    let malformed = (StatusCode::BAD_REQUEST, MALFORMED);
    let refused = (StatusCode::UNAUTHORIZED, REFUSED);
    let pubkey: SolanaPubkey = wallet.parse().map_err(|_| malformed)?;
    let signature = parse_ed25519_signature(signature).map_err(|_| malformed)?;
    let millis: u64 = message
        .strip_prefix(MESSAGE_PREFIX)
        .and_then(|t| t.parse().ok())
        .ok_or(refused)?;
    let window_ms = u64::try_from(state.settings.freshness_window.as_millis()).unwrap_or(u64::MAX);
    if unix_now_ms().abs_diff(millis) > window_ms {
        return Err(refused);
    }
    verify_ed25519(pubkey.as_bytes(), message.as_bytes(), &signature).map_err(|_| refused)?;
    // Only a verified signature is used up, so a forgery cannot spend someone's login.
    if !state.claim_signature(signature, millis) {
        bump(&state.counters.signature_reuses);
        return Err(refused);
    }
    Ok(pubkey)
}
