//! Sign-In with Ethereum (EIP-4361) and Sign In With Solana: two units of the sandbox,
//! [`SiweApi`] and [`SiwsApi`], built on the same code. Each serves two session modes at
//! once: cookies (`connect.sid`, the shape of spruceid's siwe-quickstart, in [`cookie`])
//! and tokens (a JWT access token and a rotating opaque refresh token, in [`token`]).
//!
//! A login is checked in [`check`]: the message text is parsed by this module's own
//! parser ([`message`]), its domain, chain, nonce ([`nonces`]) and times are checked, and
//! its signature with this crate's own code ([`verify`]). A nonce is used up only by a
//! login that passes every check, so a forged or garbled attempt cannot spend a genuine
//! client's nonce; a replay of a good message finds its nonce used and gets 401.

mod check;
mod conveniences;
mod cookie;
mod counters;
mod message;
mod nonces;
mod rfc3339;
mod state;
mod token;
mod verify;

use std::any::Any;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router, middleware};
use serde::{Deserialize, Serialize};
use serde_json::json;

use self::state::SiwxState;
use crate::api::{Mount, SandboxApi, Unit};
use crate::config::SandboxConfig;
use crate::headers::json_posts;
use crate::shared::Shared;

/// Which sign-in a unit serves; also the `typ` claim of its access tokens (`siwe` or
/// `siws` on the wire), so one API's token is refused by the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Kind {
    /// Sign-In with Ethereum.
    Siwe,
    /// Sign In With Solana.
    Siws,
}

/// The settings of one SIWE or SIWS unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Settings {
    /// The domain messages must name; `None`: the listener's `127.0.0.1:<port>`.
    domain: Option<String>,
    /// The SIWE chain id messages must name (unused by SIWS).
    chain_id: u64,
    nonce_ttl: Duration,
    session_ttl: Duration,
    access_ttl: Duration,
    refresh_ttl: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            domain: None,
            chain_id: 1,
            nonce_ttl: Duration::from_secs(300),
            session_ttl: Duration::from_secs(3600),
            access_ttl: Duration::from_secs(900),
            refresh_ttl: Duration::from_secs(7 * 24 * 3600),
        }
    }
}

/// The builder methods both units share.
macro_rules! common_setters {
    ($api:ident) => {
        impl $api {
            /// The domain a message must name (`example.com`, `localhost:3000`). Default:
            /// the unit's own listen authority, `127.0.0.1:<port>`.
            pub fn domain(mut self, domain: impl Into<String>) -> Self {
                self.settings.domain = Some(domain.into());
                self
            }

            /// How long a nonce may be used after it is issued (and how old a message's
            /// `Issued At` may be). Default: 5 minutes.
            pub fn nonce_ttl(mut self, ttl: Duration) -> Self {
                self.settings.nonce_ttl = ttl;
                self
            }

            /// The lifetime of a cookie session (`Max-Age` of `connect.sid`). Default:
            /// 3600 s.
            pub fn session_ttl(mut self, ttl: Duration) -> Self {
                self.settings.session_ttl = ttl;
                self
            }

            /// The lifetime of an access token (`expiresIn`). Default: 900 s.
            pub fn access_ttl(mut self, ttl: Duration) -> Self {
                self.settings.access_ttl = ttl;
                self
            }

            /// The lifetime of a refresh token. Default: 7 days.
            pub fn refresh_ttl(mut self, ttl: Duration) -> Self {
                self.settings.refresh_ttl = ttl;
                self
            }
        }

        impl From<$api> for SandboxApi {
            fn from(api: $api) -> SandboxApi {
                SandboxApi::new(api)
            }
        }
    };
}

/// A Sign-In with Ethereum (EIP-4361) backend, to register with
/// [`crate::SandboxBuilder::api`]; served on its own listener (`127.0.0.1:0`). Messages
/// are signed with EIP-191 `personal_sign`. See the crate documentation for its routes.
///
/// ```
/// use std::time::Duration;
/// let api = auth_sandbox::SiweApi::default()
///     .domain("example.com")
///     .chain_id(10)
///     .nonce_ttl(Duration::from_secs(60));
/// # let _ = api;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use = "an API does nothing until it is registered"]
pub struct SiweApi {
    settings: Settings,
}

impl SiweApi {
    /// The name it is served under: `siwe` (see [`crate::Sandbox::url_of`]).
    pub const NAME: &'static str = "siwe";

    /// The `Chain ID` a message must name. Default: 1 (Ethereum mainnet).
    pub fn chain_id(mut self, chain_id: u64) -> Self {
        self.settings.chain_id = chain_id;
        self
    }
}

common_setters!(SiweApi);

/// A Sign In With Solana backend, to register with [`crate::SandboxBuilder::api`];
/// served on its own listener (`127.0.0.1:0`). Messages are signed with ed25519 over
/// their UTF-8 bytes, the signature in base58. A `Chain ID`, when the message has one,
/// must be `mainnet` or `solana:mainnet`. See the crate documentation for its routes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use = "an API does nothing until it is registered"]
pub struct SiwsApi {
    settings: Settings,
}

impl SiwsApi {
    /// The name it is served under: `siws` (see [`crate::Sandbox::url_of`]).
    pub const NAME: &'static str = "siws";
}

common_setters!(SiwsApi);

/// Where a new unit listens.
fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

impl Mount for SiweApi {
    fn name(&self) -> &'static str {
        SiweApi::NAME
    }

    fn listen_on(&self, _config: &SandboxConfig) -> SocketAddr {
        loopback()
    }

    fn mount(
        self: Box<Self>,
        shared: Arc<Shared>,
        _config: &SandboxConfig,
        bound: SocketAddr,
    ) -> Arc<dyn Unit> {
        Arc::new(SiwxState::new(Kind::Siwe, self.settings, shared, bound))
    }
}

impl Mount for SiwsApi {
    fn name(&self) -> &'static str {
        SiwsApi::NAME
    }

    fn listen_on(&self, _config: &SandboxConfig) -> SocketAddr {
        loopback()
    }

    fn mount(
        self: Box<Self>,
        shared: Arc<Shared>,
        _config: &SandboxConfig,
        bound: SocketAddr,
    ) -> Arc<dyn Unit> {
        Arc::new(SiwxState::new(Kind::Siws, self.settings, shared, bound))
    }
}

impl Unit for SiwxState {
    fn router(self: Arc<Self>) -> Router {
        Router::new()
            .route("/nonce", get(cookie::nonce))
            .route("/verify", post(cookie::verify))
            .route("/personal_information", get(cookie::personal_information))
            .route("/logout", post(cookie::logout))
            .route("/auth/nonce", get(token::nonce))
            .route("/auth/login", post(token::login))
            .route("/auth/refresh", post(token::refresh))
            .route("/auth/logout", post(token::logout))
            .route("/me", get(token::me))
            .fallback(not_found)
            .layer(middleware::from_fn_with_state(
                self.shared.clone(),
                json_posts,
            ))
            .with_state(self)
    }

    fn session_of(&self, token: &str) -> Option<String> {
        self.session_of(token)
    }

    fn counts(&self) -> Vec<(&'static str, u64)> {
        self.counters.counts()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The error body of both modes: `{"message"}`.
fn refusal(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "message": message }))).into_response()
}

async fn not_found() -> Response {
    refusal(StatusCode::NOT_FOUND, "Not Found")
}
