#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod authorize;
mod authorizer;
mod error;
#[cfg(feature = "tower")]
mod layer;
#[cfg(feature = "reqwest-middleware")]
mod middleware;
mod replay;

pub use authorize::AuthorizeRequest;
pub use authorizer::Authorizer;
pub use error::AuthorizedError;
#[cfg(feature = "tower")]
pub use layer::{AuthorizeLayer, AuthorizeService};
#[cfg(feature = "reqwest-middleware")]
pub use middleware::AuthorizeMiddleware;
pub use replay::{ReplayBody, try_clone_request};
