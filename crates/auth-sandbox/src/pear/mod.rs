//! The Pear Protocol auth API: EIP-712 message, logins, rotating refresh, logout, API keys,
//! and one protected endpoint. A unit of the sandbox: [`PearApi`] registers it, and it
//! owns its state ([`state`]), counters ([`counters`]) and signature check ([`verify`]).

mod api_keys;
mod conveniences;
mod counters;
mod login;
mod message;
mod state;
mod tokens;
mod verify;

use std::any::Any;
use std::net::SocketAddr;
use std::sync::Arc;

use auth_types::EvmAddress;
use axum::extract::State as Extract;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router, middleware};
use bytes::Bytes;
use serde_json::{Value, json};

use self::state::{Claims, PearState, TokenType};
use crate::api::{Mount, SandboxApi, Unit};
use crate::config::SandboxConfig;
use crate::counters::{Counters, bump};
use crate::headers::json_posts;
use crate::reply::{bearer, nest_error, unauthorized};
use crate::shared::Shared;
use crate::time::unix_now;

/// The Pear Protocol API, to register with [`crate::SandboxBuilder::api`]. It listens on
/// [`SandboxConfig::pear_addr`] and takes its settings (token lifetimes, the EIP-712
/// domain, Privy tokens, hostile mode, family revocation) from the [`SandboxConfig`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PearApi;

impl PearApi {
    /// The name it is served under: `pear` (see [`crate::Sandbox::url_of`]).
    pub const NAME: &'static str = "pear";
}

impl From<PearApi> for SandboxApi {
    fn from(api: PearApi) -> SandboxApi {
        SandboxApi::new(api)
    }
}

impl Mount for PearApi {
    fn name(&self) -> &'static str {
        PearApi::NAME
    }

    fn listen_on(&self, config: &SandboxConfig) -> SocketAddr {
        config.pear_addr
    }

    fn mount(
        self: Box<Self>,
        shared: Arc<Shared>,
        config: &SandboxConfig,
        _bound: SocketAddr,
    ) -> Arc<dyn Unit> {
        Arc::new(PearState::new(shared, config))
    }
}

impl Unit for PearState {
    fn router(self: Arc<Self>) -> Router {
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
            .route("/sandbox/forbidden", get(forbidden))
            .fallback(not_found)
            .layer(middleware::from_fn_with_state(
                self.shared.clone(),
                json_posts,
            ))
            .with_state(self)
    }

    fn session_of(&self, token: &str) -> Option<String> {
        self.shared
            .sessions
            .verify_at::<Claims>(token, unix_now())
            .map(|claims| claims.sid)
    }

    fn report(&self, counters: &mut Counters) {
        self.counters.report(counters);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
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
fn authorize(state: &PearState, headers: &HeaderMap) -> Result<Claims, Response> {
    match bearer(headers).and_then(|t| state.verify(t, TokenType::Access)) {
        Some(claims) => {
            bump(&state.shared.counters.protected_ok);
            Ok(claims)
        }
        None => {
            bump(&state.shared.counters.protected_refused);
            Err(unauthorized("Unauthorized"))
        }
    }
}

async fn whoami(Extract(state): Extract<Arc<PearState>>, headers: HeaderMap) -> Response {
    match authorize(&state, &headers) {
        Ok(claims) => Json(json!({"address": claims.sub, "clientId": claims.cid})).into_response(),
        Err(r) => r,
    }
}

/// `GET /sandbox/forbidden`: an action no account may take, answered with 401 although the
/// token is live (a business refusal, as some APIs answer: not Pear's documented
/// behaviour, a sandbox endpoint for clients' 401 handling). Counted in
/// `business_refusals`; a dead token is refused as anywhere.
async fn forbidden(Extract(state): Extract<Arc<PearState>>, headers: HeaderMap) -> Response {
    if let Err(r) = authorize(&state, &headers) {
        return r;
    }
    bump(&state.shared.counters.business_refusals);
    unauthorized("Forbidden for this account")
}
