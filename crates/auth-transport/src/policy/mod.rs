//! Policies that wrap or check requests, usable with any transport.

mod retry;
mod url;

pub use retry::{Idempotency, Retry, RetryPolicy, retry_after};
pub use url::{UrlPolicy, is_loopback_host};
