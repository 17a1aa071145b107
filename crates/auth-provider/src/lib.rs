#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod body;
mod budget;
mod client;
mod clock_estimate;
mod config;
mod decode;
mod error;
mod refusal;
mod secrets;
mod server_clock;

pub use auth_types::{Failure, FailureKind};
pub use auth_types::{SharedLimiterError, SharedRateLimiter, SharedReservation};
pub use body::JsonBody;
pub use budget::{Quota, RateBudget, RateBudgetBuilder, RateSlot};
pub use client::{Answer, ApiClient, ApiRequest, bearer_header};
pub use config::ClientConfig;
pub use decode::{DecodeError, decode_json};
pub use error::{ApiError, ProviderError};
pub use refusal::{EDGE_BLOCK_HOLD, retry_after};
pub use secrets::{REDACTED, Secrets};
pub use server_clock::{DEFAULT_MAX_OFFSET, DEFAULT_WARN_THRESHOLD, ServerClock, ServerClockStats};

/// Re-exported for [`client_config_setters!`].
pub use auth_transport::HttpTransport;
/// Re-exported for [`client_config_setters!`].
pub use auth_types::Clock;
