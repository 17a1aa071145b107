#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(any(feature = "reqwest", feature = "hyper"))]
mod backends;
mod config;
mod default;
mod error;
mod policy;
mod transport;

/// The workspace's one failure classification, implemented by [`TransportError`].
pub use auth_types::{Failure, FailureKind};
#[cfg(feature = "hyper")]
pub use backends::hyper::{HyperClient, HyperTransport};
#[cfg(feature = "reqwest")]
pub use backends::reqwest::ReqwestTransport;
pub use config::{DEFAULT_USER_AGENT, TransportConfig};
pub use default::default_transport;
pub use error::{BoxError, TransportError};
pub use policy::{UrlPolicy, is_loopback_host};
pub use transport::{FnTransport, HttpTransport, from_fn};

/// Re-exported so users name the same versions this crate speaks.
pub use bytes;
/// Re-exported so users name the same versions this crate speaks.
pub use http;
