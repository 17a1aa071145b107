//! The pump.fun auth API: sign-in with an ed25519-signed message in three formats
//! (documented, cookie, token route), logout, profile. Every request must carry
//! `Origin: https://pump.fun`; without it the Cloudflare in front of the service answers
//! 403 with an HTML page. A unit of the sandbox: [`PumpApi`] registers it, and it owns
//! its state ([`state`]), counters ([`counters`]) and signature check ([`verify`]).

mod conveniences;
mod counters;
mod login;
mod state;
mod verify;

use std::any::Any;
use std::net::SocketAddr;
use std::sync::Arc;

use auth_types::lock;
use axum::extract::{Request, State as Extract};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use self::state::{Claims, PumpState};
use crate::api::{Mount, SandboxApi, Unit};
use crate::config::SandboxConfig;
use crate::counters::{Counters, bump};
use crate::headers::json_posts;
use crate::reply::bearer;
use crate::shared::Shared;
use crate::time::unix_now;

/// The origin pump.fun's API requires.
pub const ORIGIN: &str = "https://pump.fun";

/// The prefix of the sign-in message; the unix time in milliseconds follows.
pub const MESSAGE_PREFIX: &str = "Sign in to pump.fun: ";

/// The name of the cookie the cookie login sets.
const COOKIE: &str = "auth_token";

/// The pump.fun API, to register with [`crate::SandboxBuilder::api`]. It listens on
/// [`SandboxConfig::pump_addr`] and takes its token lifetime and freshness window from
/// the [`SandboxConfig`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PumpApi;

impl PumpApi {
    /// The name it is served under: `pump` (see [`crate::Sandbox::url_of`]).
    pub const NAME: &'static str = "pump";
}

impl From<PumpApi> for SandboxApi {
    fn from(api: PumpApi) -> SandboxApi {
        SandboxApi::new(api)
    }
}

impl Mount for PumpApi {
    fn name(&self) -> &'static str {
        PumpApi::NAME
    }

    fn listen_on(&self, config: &SandboxConfig) -> SocketAddr {
        config.pump_addr
    }

    fn mount(
        self: Box<Self>,
        shared: Arc<Shared>,
        config: &SandboxConfig,
        _bound: SocketAddr,
    ) -> Arc<dyn Unit> {
        Arc::new(PumpState::new(shared, config))
    }
}

impl Unit for PumpState {
    fn router(self: Arc<Self>) -> Router {
        Router::new()
            .route("/auth/login", post(login::login))
            .route("/auth/login/token", post(login::login_token))
            .route("/auth/logout", post(logout))
            .route("/auth/my-profile", get(profile))
            .route("/coins/forbidden", get(forbidden))
            .fallback(not_found)
            .layer(middleware::from_fn_with_state(
                self.shared.clone(),
                json_posts,
            ))
            .layer(middleware::from_fn(require_origin))
            .with_state(self)
    }

    fn session_of(&self, token: &str) -> Option<String> {
        self.verify_at(token, unix_now()).map(|claims| claims.sid)
    }

    fn report(&self, counters: &mut Counters) {
        self.counters.report(counters);
    }

    fn counts(&self) -> Vec<(&'static str, u64)> {
        self.counters.counts()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
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

/// The block page Cloudflare answers with: 403, HTML, not the API's JSON.
const BLOCKED_PAGE: &str = "<!DOCTYPE html>
<html lang=\"en-US\">
<head>
<meta charset=\"UTF-8\" />
<title>Attention Required! | Cloudflare</title>
</head>
<body>
<div id=\"cf-wrapper\">
<h1>Sorry, you have been blocked</h1>
<h2>You are unable to access pump.fun</h2>
<p>This website is using a security service to protect itself from online attacks.
The action you just performed triggered the security solution.</p>
<p>Cloudflare Ray ID: <strong>sandbox</strong> &bull; Performance &amp; security by Cloudflare</p>
</div>
</body>
</html>
";

async fn require_origin(request: Request, next: Next) -> Response {
    let origin_ok = request
        .headers()
        .get(header::ORIGIN)
        .is_some_and(|o| o.as_bytes() == ORIGIN.as_bytes());
    if origin_ok {
        return next.run(request).await;
    }
    let mut response = (StatusCode::FORBIDDEN, BLOCKED_PAGE).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=UTF-8"),
    );
    headers.insert(header::SERVER, HeaderValue::from_static("cloudflare"));
    response
}

/// The display name the sandbox gives a wallet.
fn username(wallet: &str) -> String {
    wallet.chars().take(6).collect()
}

/// The token of a request: the bearer header, or the `auth_token` cookie. Counts which
/// the request carried.
fn token(state: &PumpState, headers: &HeaderMap) -> Option<String> {
    let cookie = cookie_token(headers);
    if cookie.is_some() {
        bump(&state.counters.protected_with_cookie);
    }
    if let Some(t) = bearer(headers) {
        bump(&state.counters.protected_with_bearer);
        return Some(t.to_owned());
    }
    cookie
}

/// The `auth_token` cookie of a request, among its other cookies.
fn cookie_token(headers: &HeaderMap) -> Option<String> {
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

fn authorize(state: &PumpState, headers: &HeaderMap) -> Result<Claims, Response> {
    match token(state, headers).and_then(|t| state.verify(&t)) {
        Some(claims) => {
            bump(&state.shared.counters.protected_ok);
            Ok(claims)
        }
        None => {
            bump(&state.shared.counters.protected_refused);
            Err(error(StatusCode::UNAUTHORIZED, "Unauthorized"))
        }
    }
}

async fn logout(Extract(state): Extract<Arc<PumpState>>, headers: HeaderMap) -> Response {
    match authorize(&state, &headers) {
        Ok(claims) => {
            state.shared.sessions.end(&claims.sid);
            bump(&state.counters.logouts);
            (StatusCode::CREATED, Json(json!({}))).into_response()
        }
        Err(r) => r,
    }
}

/// `GET /coins/forbidden`: an action no wallet may take. pump.fun answers such a request
/// with 401 although the token is live (as it does for actions the wallet may not take,
/// e.g. holding none of a coin): a business refusal, indistinguishable from a dead token by
/// its answer alone. Counted in `business_refusals`; a dead token is refused as anywhere.
async fn forbidden(Extract(state): Extract<Arc<PumpState>>, headers: HeaderMap) -> Response {
    if let Err(r) = authorize(&state, &headers) {
        return r;
    }
    bump(&state.shared.counters.business_refusals);
    error(StatusCode::UNAUTHORIZED, "Unauthorized")
}

/// `GET /auth/my-profile`: the profile as the live service answers it, with `address`
/// (not the login answer's `wallet`).
async fn profile(Extract(state): Extract<Arc<PumpState>>, headers: HeaderMap) -> Response {
    let claims = match authorize(&state, &headers) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let last_login = lock(&state.last_logins)
        .get(&claims.sub)
        .copied()
        .unwrap_or(claims.iat.saturating_mul(1000));
    Json(json!({
        "address": claims.sub,
        "username": username(&claims.sub),
        "profile_image": Value::Null,
        "bio": Value::Null,
        "followers": 0,
        "following": 0,
        "likes_received": 0,
        "last_login": last_login,
    }))
    .into_response()
}
