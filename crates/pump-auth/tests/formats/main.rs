//! The three login formats, the message source, logins signed elsewhere and lenient
//! answers, against scripted answers that record what was sent: the helpers here, the
//! tests by subject in `wire`, `answers`, `sources` and `signed`.
//!
//! Every client here reads one clock that stands still. The client never signs one
//! wallet's millisecond twice in a process, whichever client signs: so a test that checks
//! the exact time sent has a wallet no other test of this binary (these modules) signs
//! with.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod answers;
mod signed;
mod sources;
mod wire;

use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use auth_test_support::tokens::jwt_with_exp;
use auth_transport::from_fn;
use auth_transport::http::{Request, Response};
use bytes::Bytes;
use pump_auth::{LoginFormat, PumpClient};
use serde_json::Value;

/// The clock every client here reads: 2024-11-20, in milliseconds.
const NOW_MS: u64 = 1_732_076_598_123;

/// What a scripted server saw: method, path, headers and body of every request.
type Seen = Arc<Mutex<Vec<Request<Bytes>>>>;

/// A client whose server answers every request with `status`, the extra `headers` and
/// `body`, recording the requests.
fn scripted(
    format: LoginFormat,
    status: u16,
    headers: &[(&'static str, String)],
    body: &str,
) -> (PumpClient, Seen) {
    scripted_builder(format, status, headers, body, |b| b)
}

fn scripted_builder(
    format: LoginFormat,
    status: u16,
    headers: &[(&'static str, String)],
    body: &str,
    customize: impl FnOnce(pump_auth::PumpClientBuilder) -> pump_auth::PumpClientBuilder,
) -> (PumpClient, Seen) {
    let seen: Seen = Arc::default();
    let record = seen.clone();
    let headers = headers.to_vec();
    let body = Bytes::copy_from_slice(body.as_bytes());
    let transport = from_fn(move |request: Request<Bytes>| {
        record.lock().unwrap().push(request);
        let mut response = Response::builder().status(status);
        for (name, value) in &headers {
            response = response.header(*name, value);
        }
        let response = response.body(body.clone()).unwrap();
        async move { Ok(response) }
    });
    let builder = PumpClient::builder()
        .base_url("http://127.0.0.1:9")
        .transport(transport)
        .clock(|| UNIX_EPOCH + Duration::from_millis(NOW_MS))
        .login_format(format);
    (customize(builder).build().unwrap(), seen)
}

fn body_of(request: &Request<Bytes>) -> Value {
    serde_json::from_slice(request.body()).unwrap()
}

/// A JWT that expires `secs` after the scripted clock's time.
fn jwt_for(secs: u64) -> String {
    jwt_with_exp(NOW_MS / 1000 + secs)
}
