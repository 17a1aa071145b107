#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api_keys;
mod authorized;
mod client;
mod error;
mod login;
mod message;
mod server_time;
mod session;
mod tokens;

/// Re-exported: the authorized HTTP client (`AuthorizeLayer`, `AuthorizeMiddleware`) that
/// this provider's sessions plug into through [`auth_http::AuthorizeRequest`].
pub use auth_http;
pub use auth_provider::{
    ApiError, EDGE_BLOCK_HOLD, Failure, FailureKind, ProviderError, Quota, RateBudget,
    RateBudgetBuilder, RateSlot, ServerClock, ServerClockStats,
};
/// Re-exported: the session machinery the providers plug into.
pub use auth_session;
pub use authorized::authorize;
pub use client::{
    DEFAULT_BASE_URL, DEFAULT_CLIENT_ID, DEFAULT_TIMESTAMP_WINDOW, PearClient, PearClientBuilder,
    TIMESTAMP_WAIT,
};
pub use error::{PearError, PearFailure};
pub use message::{
    AUTHENTICATION_TYPE, DEFAULT_CHAIN_ID, DEFAULT_DOMAIN_VERSION, DEFAULT_VERIFYING_CONTRACT,
    DOMAIN_NAME, LoginCheck, LoginMessage, PearDomain,
};
#[allow(deprecated)]
pub use message::{check_login_message, check_login_message_in};
pub use session::{PearAuthenticator, PearCredentials, PearSession};
pub use tokens::{ApiKeyInfo, CreatedApiKey, PearTokens};

/// The name errors give the API.
const API: &str = "Pear";
