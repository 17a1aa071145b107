//! The Pear Protocol auth API: EIP-712 message, logins, rotating refresh, logout, API keys,
//! and one protected endpoint.

mod api_keys;
mod login;
mod message;
mod tokens;

use std::sync::Arc;

use auth_types::EvmAddress;
use axum::extract::State as Extract;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router, middleware};
use bytes::Bytes;
use serde_json::{Value, json};

use crate::counters::bump;
use crate::reply::{bearer, nest_error, unauthorized};
use crate::state::{Claims, State, TokenType};

pub(crate) use api_keys::issue_api_key;

pub(crate) fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/auth/eip712-message", get(message::eip712_message))
        .route("/auth/login", post(login::login))
        .route("/auth/refresh", post(tokens::refresh))
        .route("/auth/logout", post(tokens::logout))
        .route(
            "/api-keys",
            post(api_keys::create_api_key).get(api_keys::list_api_keys),
        )
        .route("/sandbox/whoami", get(whoami))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::headers::json_posts,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::faults::apply,
        ))
        .with_state(state)
}

async fn not_found() -> Response {
    nest_error(
        StatusCode::NOT_FOUND,
        vec!["Cannot find this route".to_owned()],
    )
}

/// A NestJS validation failure: 400 with every problem.
fn bad_request(problems: Vec<String>) -> Response {
    nest_error(StatusCode::BAD_REQUEST, problems)
}

/// `^0x[a-fA-F0-9]{40}$`, the pattern of Pear's API docs.
fn address_pattern(text: &str) -> Option<EvmAddress> {
    let digits = text.strip_prefix("0x")?;
    if digits.len() != 40 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    text.to_ascii_lowercase().parse().ok()
}

/// A JSON object body. An empty body is `{}`, as express hands NestJS when there is no
/// body or its `Content-Type` is not JSON (see [`crate::headers`]).
fn parse_body(body: &Bytes) -> Result<serde_json::Map<String, Value>, Response> {
    if body.is_empty() {
        return Ok(serde_json::Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(bad_request(vec!["body must be a JSON object".to_owned()])),
    }
}

/// The access-token claims of a request, or the 401 to send.
fn authorize(state: &State, headers: &HeaderMap) -> Result<Claims, Response> {
    match bearer(headers).and_then(|t| state.verify(t, TokenType::Access)) {
        Some(claims) => {
            bump(&state.counters.protected_ok);
            Ok(claims)
        }
        None => {
            bump(&state.counters.protected_refused);
            Err(unauthorized("Unauthorized"))
        }
    }
}

async fn whoami(Extract(state): Extract<Arc<State>>, headers: HeaderMap) -> Response {
    match authorize(&state, &headers) {
        Ok(claims) => Json(json!({"address": claims.sub, "clientId": claims.cid})).into_response(),
        Err(r) => r,
    }
}
