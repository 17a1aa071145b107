//! Helpers shared by pear-auth's test files.
#![allow(dead_code, unreachable_pub)] // each test binary uses a different part; `pub` is for its siblings

use auth_test_support::transport::canned;
use pear_auth::PearClient;

/// A client whose every request gets `status` and `body`, without a network.
pub fn canned_client(status: u16, body: impl AsRef<[u8]>) -> PearClient {
    PearClient::builder()
        .base_url("http://127.0.0.1:9")
        .transport(canned(status, body))
        .build()
        .unwrap()
}
