//! The pump.fun auth API: sign-in with an ed25519-signed message (documented and observed
//! formats), logout, profile. Every request must carry `Origin: https://pump.fun`.

use std::sync::Arc;

use auth_types::SolanaPubkey;
use axum::extract::{Request, State as Extract};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use bytes::Bytes;
use serde_json::{Value, json};

use crate::reply::bearer;
use crate::state::{Claims, State, bump, lock, unix_now, unix_now_ms};
use crate::verify::{parse_ed25519_signature, verify_ed25519};

/// The origin pump.fun's API requires.
pub const ORIGIN: &str = "https://pump.fun";

/// The prefix of the sign-in message; the unix time in milliseconds follows.
pub const MESSAGE_PREFIX: &str = "Sign in to pump.fun: ";

pub(crate) fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/auth/my-profile", get(profile))
        .fallback(not_found)
        .layer(middleware::from_fn(require_origin))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::faults::apply,
        ))
        .with_state(state)
}

/// pump.fun's plain error body: `{"statusCode", "message"}`.
fn error(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({"statusCode": status.as_u16(), "message": message})),
    )
        .into_response()
}

async fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "Not Found")
}

async fn require_origin(request: Request, next: Next) -> Response {
    let origin_ok = request
        .headers()
        .get(header::ORIGIN)
        .is_some_and(|o| o.as_bytes() == ORIGIN.as_bytes());
    if origin_ok {
        next.run(request).await
    } else {
        error(
            StatusCode::FORBIDDEN,
            "Forbidden: requests must come from https://pump.fun",
        )
    }
}

fn user(wallet: &str) -> Value {
    json!({
        "id": format!("user-{}", wallet.chars().take(8).collect::<String>()),
        "wallet": wallet,
        "username": wallet.chars().take(6).collect::<String>(),
    })
}

/// Checks a sign-in message and its signature; returns the wallet on success.
fn check(
    state: &State,
    wallet: &str,
    signature: &str,
    message: &str,
) -> Result<SolanaPubkey, (StatusCode, &'static str)> {
    let malformed = (
        StatusCode::BAD_REQUEST,
        "Invalid signature or wallet address",
    );
    let refused = (StatusCode::UNAUTHORIZED, "Invalid credentials");
    let pubkey: SolanaPubkey = wallet.parse().map_err(|_| malformed)?;
    let signature = parse_ed25519_signature(signature).map_err(|_| malformed)?;
    let millis: u64 = message
        .strip_prefix(MESSAGE_PREFIX)
        .and_then(|t| t.parse().ok())
        .ok_or(refused)?;
    if unix_now_ms().abs_diff(millis) > state.config.freshness_window.as_millis() as u64 {
        return Err(refused);
    }
    verify_ed25519(pubkey.as_bytes(), message.as_bytes(), &signature).map_err(|_| refused)?;
    Ok(pubkey)
}

async fn login(Extract(state): Extract<Arc<State>>, body: Bytes) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let text = |key: &str| body.get(key).and_then(Value::as_str);
    // The documented format: {wallet, signature, message}.
    // The format the live site has been seen using: {address, signature, timestamp}.
    let (wallet, signature, message, observed) = match (
        text("wallet"),
        text("address"),
        text("signature"),
        text("message"),
        body.get("timestamp").and_then(Value::as_u64),
    ) {
        (Some(w), _, Some(s), Some(m), _) => (w, s, m.to_owned(), false),
        (None, Some(a), Some(s), _, Some(t)) => (a, s, format!("{MESSAGE_PREFIX}{t}"), true),
        _ => {
            bump(&state.counters.pump_login_refusals);
            return error(
                StatusCode::BAD_REQUEST,
                "Invalid signature or wallet address",
            );
        }
    };
    let pubkey = match check(&state, wallet, signature, &message) {
        Ok(p) => p,
        Err((status, message)) => {
            bump(&state.counters.pump_login_refusals);
            return error(status, message);
        }
    };
    bump(&state.counters.pump_logins);
    let wallet = pubkey.to_base58();
    let now = unix_now();
    let ttl = state.config.pump_token_ttl.as_secs().max(1);
    let claims = Claims {
        sub: wallet.clone(),
        typ: "pump".to_owned(),
        sid: state.new_id("p"),
        jti: state.new_id("j"),
        cid: String::new(),
        iat: now,
        exp: now + ttl,
    };
    let token = state.issue(&claims);
    if observed {
        let mut response =
            (StatusCode::CREATED, Json(json!({"user": user(&wallet)}))).into_response();
        let cookie =
            format!("auth_token={token}; Path=/; Max-Age={ttl}; HttpOnly; Secure; SameSite=Lax");
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
        response
    } else {
        (
            StatusCode::CREATED,
            Json(json!({"token": token, "expiresIn": ttl, "user": user(&wallet)})),
        )
            .into_response()
    }
}

/// The token of a request: the bearer header, or the `auth_token` cookie.
fn token(headers: &HeaderMap) -> Option<String> {
    if let Some(t) = bearer(headers) {
        return Some(t.to_owned());
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix("auth_token=").map(str::to_owned))
}

fn authorize(state: &State, headers: &HeaderMap) -> Result<Claims, Response> {
    match token(headers).and_then(|t| state.verify(&t, "pump")) {
        Some(claims) => {
            bump(&state.counters.protected_ok);
            Ok(claims)
        }
        None => {
            bump(&state.counters.protected_refused);
            Err(error(StatusCode::UNAUTHORIZED, "Unauthorized"))
        }
    }
}

async fn logout(Extract(state): Extract<Arc<State>>, headers: HeaderMap) -> Response {
    match authorize(&state, &headers) {
        Ok(claims) => {
            lock(&state.revoked_sessions).insert(claims.sid);
            bump(&state.counters.pump_logouts);
            (StatusCode::CREATED, Json(json!({}))).into_response()
        }
        Err(r) => r,
    }
}

async fn profile(Extract(state): Extract<Arc<State>>, headers: HeaderMap) -> Response {
    match authorize(&state, &headers) {
        Ok(claims) => Json(user(&claims.sub)).into_response(),
        Err(r) => r,
    }
}
