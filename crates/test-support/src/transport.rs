//! Transports for tests: the two real backends behind one maker type, and fakes that
//! answer without a network.
//!
//! ```
//! use auth_test_support::transport::canned;
//! use auth_transport::HttpTransport as _;
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let transport = canned(503, r#"{"statusCode":503}"#);
//! let request = http::Request::get("http://127.0.0.1:9/x").body(bytes::Bytes::new()).unwrap();
//! let response = transport.send(request).await.unwrap();
//! assert_eq!(response.status(), 503);
//! assert_eq!(response.body().as_ref(), br#"{"statusCode":503}"#);
//! # }
//! ```

use std::sync::Arc;

use auth_transport::{HttpTransport, HyperTransport, ReqwestTransport, from_fn};
use bytes::Bytes;
use http::{Request, Response};

/// Builds one transport backend; what [`both_backends!`](crate::both_backends) hands to
/// each generated test.
pub type Make = fn() -> Arc<dyn HttpTransport>;

/// The reqwest backend with its default configuration.
pub fn reqwest() -> Arc<dyn HttpTransport> {
    Arc::new(ReqwestTransport::new().unwrap())
}

/// The hyper backend with its default configuration.
pub fn hyper() -> Arc<dyn HttpTransport> {
    Arc::new(HyperTransport::new().unwrap())
}

/// A transport that answers every request with `status`, `body` and
/// `content-type: application/json`, without looking at the request.
pub fn canned(status: u16, body: impl AsRef<[u8]>) -> impl HttpTransport + 'static {
    canned_checking(status, body, |_| {})
}

/// Like [`canned`], but hands every request to `check` first, so that a test can assert
/// what each request carries (a panic in `check` fails the test).
pub fn canned_checking(
    status: u16,
    body: impl AsRef<[u8]>,
    check: impl Fn(&Request<Bytes>) + Send + Sync + 'static,
) -> impl HttpTransport + 'static {
    let body = Bytes::copy_from_slice(body.as_ref());
    from_fn(move |request: Request<Bytes>| {
        check(&request);
        let body = body.clone();
        async move { Ok(json_response(status, body)) }
    })
}

/// A transport that refuses every request with `status` and a Nest-style error body
/// whose message quotes the whole request body (double quotes turned into single ones)
/// and whose `error` is the status's reason phrase: a server that echoes the secrets it
/// was sent, for redaction tests.
pub fn echoing(status: u16) -> impl HttpTransport + 'static {
    let reason = http::StatusCode::from_u16(status)
        .unwrap()
        .canonical_reason()
        .unwrap_or("Error");
    from_fn(move |request: Request<Bytes>| async move {
        let echoed = String::from_utf8_lossy(request.body()).replace('"', "'");
        let body = format!(
            r#"{{"message":"rejected {echoed}","error":"{reason}","statusCode":{status}}}"#
        );
        Ok(json_response(status, Bytes::from(body)))
    })
}

fn json_response(status: u16, body: Bytes) -> Response<Bytes> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(body)
        .unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(body: &'static str) -> Request<Bytes> {
        Request::post("http://127.0.0.1:9/auth/login")
            .body(Bytes::from_static(body.as_bytes()))
            .unwrap()
    }

    #[tokio::test]
    async fn canned_answers_every_request_alike() {
        let transport = canned(429, b"{}");
        for _ in 0..2 {
            let response = transport.send(post("x")).await.unwrap();
            assert_eq!(response.status(), 429);
            assert_eq!(response.body().as_ref(), b"{}");
            assert_eq!(response.headers()["content-type"], "application/json");
        }
    }

    #[tokio::test]
    async fn canned_checking_sees_each_request() {
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let transport = canned_checking(200, "ok", move |request| {
            log.lock().unwrap().push(request.uri().path().to_owned());
        });
        transport.send(post("a")).await.unwrap();
        transport.send(post("b")).await.unwrap();
        assert_eq!(*seen.lock().unwrap(), ["/auth/login", "/auth/login"]);
    }

    #[tokio::test]
    async fn echoing_quotes_the_request_body_in_valid_json() {
        let transport = echoing(401);
        let response = transport
            .send(post(r#"{"apiKey":"pk_secret"}"#))
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
        let body: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
        assert_eq!(body["message"], "rejected {'apiKey':'pk_secret'}");
        assert_eq!(body["error"], "Unauthorized");
        assert_eq!(body["statusCode"], 401);
    }
}
