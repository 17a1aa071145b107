#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod authorized;
mod client;
mod error;
mod message;
mod session;
mod sign_in_time;

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
    DEFAULT_BASE_URL, DEFAULT_ORIGIN, LoginFormat, PumpClient, PumpClientBuilder, PumpLogin,
    PumpUser,
};
pub use error::{PumpError, PumpFailure};
pub use message::{
    MAX_MESSAGE_LEN, MESSAGE_PREFIX, MessageSource, SignedLogin, SourceError, check_message,
    sign_in_millis, sign_in_text,
};
pub use session::{ASSUMED_LIFETIME, DEFAULT_RETIRE_GRACE, PumpAuthenticator, PumpSession};
