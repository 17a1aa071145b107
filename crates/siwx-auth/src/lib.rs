#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod authorized;
mod client;
mod error;
mod headers;
mod safety;
mod session;
mod settings;
mod standard;

/// Re-exported: the authorized HTTP client (`AuthorizeLayer`, `AuthorizeMiddleware`) that
/// this provider's sessions plug into through [`auth_http::AuthorizeRequest`].
pub use auth_http;
pub use auth_provider::{
    ApiError, EDGE_BLOCK_HOLD, Failure, FailureKind, ProviderError, Quota, RateBudget,
    RateBudgetBuilder, RateSlot, ServerClock, ServerClockStats,
};
/// Re-exported: the session machinery the providers plug into.
pub use auth_session;
/// Re-exported: the messages themselves (EIP-4361 in `siwe`, Sign In With Solana in
/// `siws`), to parse, build, sign and verify without a backend.
pub use auth_signing::{siwe, siws};
pub use client::{PendingSignIn, SiweClient, SiwsClient, SiwxClient, SiwxClientBuilder, SiwxLogin};
pub use error::{SiwxError, SiwxFailure};
pub use safety::MAX_NONCE_LEN;
pub use session::{SiweSession, SiwsSession, SiwxAuthenticator};
pub use settings::{DEFAULT_SESSION_LIFETIME, NonceSource, Preset, RefreshEndpoint, SessionFrom};
pub use standard::{Siwe, Siws, Standard};
