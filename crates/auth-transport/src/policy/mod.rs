//! Policies that check requests, usable with any transport.

mod url;

pub use url::{UrlPolicy, is_loopback_host};
