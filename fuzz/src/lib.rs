//! Helpers shared by the fuzz targets: the response format of the provider targets, the
//! runtime, the "never echo a secret" assertions, and the checks every provider call's
//! result must pass.

use std::sync::OnceLock;

use auth_provider::{ApiError, Failure, ProviderError};
use auth_transport::bytes::Bytes;
use auth_transport::http::header::{HeaderName, HeaderValue};
use auth_transport::http::{HeaderMap, Response, StatusCode};

/// The secret every provider target sends (API key, refresh token, access token).
/// Seeds and the dictionary contain it, so the fuzzer learns to echo it back.
pub const SECRET: &str = "SECRET-TOKEN-123";

/// A current-thread Tokio runtime, created once per process.
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a current-thread runtime")
    })
}

/// A fuzzed HTTP response.
#[derive(Debug, Clone)]
pub struct FuzzResponse {
    /// Any status from 100 to 999.
    pub status: StatusCode,
    /// Headers (only the lines that are valid header names and values).
    pub headers: HeaderMap,
    /// Any bytes.
    pub body: Bytes,
}

impl FuzzResponse {
    /// Reads the seed-friendly format `STATUS\nName: value\n...\n\nBODY`:
    ///
    /// - the first three bytes are the status in ASCII digits; if they are not a status
    ///   from 100 to 999, the first two bytes pick one (big-endian, modulo 900, plus 100);
    /// - then optional header lines, up to an empty line (at most 16 headers; invalid
    ///   lines are skipped);
    /// - the rest is the body, any bytes.
    ///
    /// Returns `None` for input shorter than three bytes.
    pub fn parse(data: &[u8]) -> Option<FuzzResponse> {
        let head = data.get(..3)?;
        let status = std::str::from_utf8(head)
            .ok()
            .and_then(|s| s.parse::<u16>().ok())
            .and_then(|n| StatusCode::from_u16(n).ok())
            .unwrap_or_else(|| {
                let n = 100 + u16::from_be_bytes([head[0], head[1]]) % 900;
                StatusCode::from_u16(n).unwrap_or(StatusCode::OK)
            });
        let mut rest = &data[3..];
        let mut headers = HeaderMap::new();
        // The status line ends with `\n`; no newline means no headers and no body.
        match rest.split_first() {
            Some((b'\n', after)) => rest = after,
            _ => rest = &[],
        }
        let mut lines = 0;
        // Without a blank line, what is left is all body.
        while let Some(end) = rest.iter().position(|&b| b == b'\n') {
            let line = &rest[..end];
            rest = &rest[end + 1..];
            if line.is_empty() {
                break;
            }
            lines += 1;
            if lines > 16 {
                continue;
            }
            if let Some(colon) = line.iter().position(|&b| b == b':') {
                let name = HeaderName::from_bytes(&line[..colon]);
                let value = HeaderValue::from_bytes(line[colon + 1..].trim_ascii());
                if let (Ok(name), Ok(value)) = (name, value) {
                    headers.append(name, value);
                }
            }
        }
        Some(FuzzResponse {
            status,
            headers,
            body: Bytes::copy_from_slice(rest),
        })
    }

    /// The response as the transport hands it over.
    pub fn to_response(&self) -> Response<Bytes> {
        let mut response = Response::new(self.body.clone());
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers.clone();
        response
    }
}

/// Panics if `Display` or `Debug` of `err` contains [`SECRET`].
pub fn assert_no_secret<E: std::fmt::Display + std::fmt::Debug>(what: &str, err: &E) {
    let text = format!("{err} {err:?} {err:#?}");
    assert!(
        !text.contains(SECRET),
        "{what}: the error shows the secret that was sent: {text}"
    );
}

/// Panics if `Display` or `Debug` of an error about `input` quotes it. Keys must not be
/// echoed: checked for every whitespace-separated word of the input of 16 characters or
/// more (no error message has such a word of its own).
pub fn assert_not_echoed<E: std::fmt::Display + std::fmt::Debug>(what: &str, input: &str, err: &E) {
    let text = format!("{err} {err:?}");
    for word in input.split_whitespace().filter(|w| w.chars().count() >= 16) {
        assert!(
            !text.contains(word),
            "{what}: the error quotes its input {word:?}: {text}"
        );
    }
}

/// Panics if a decode error quotes a value from the body. `DecodeError` promises to name
/// the field and never quote a value (it may be a token); serde's own messages quote a
/// string value in double quotes, and no type description contains one.
pub fn assert_decode_error_quotes_nothing(what: &str, err: &auth_provider::DecodeError) {
    if let auth_provider::DecodeError::Field { problem, .. } = err {
        assert!(
            !problem.contains('"'),
            "{what}: the decode error quotes a value from the body: {err}"
        );
    }
}

/// Checks what every provider call's result must satisfy for an answer of `status`:
/// success only on 2xx; an error status surfaces as an error with that status; a
/// transient error only for 429 and 5xx; decode errors quote nothing; and, if the call
/// sent [`SECRET`] (`sent_secret`), its errors never show it (other calls send no secret,
/// and the server's own text is theirs to show).
pub fn check_result<T, P: Failure>(
    what: &str,
    sent_secret: bool,
    status: StatusCode,
    result: &Result<T, ProviderError<P>>,
) {
    let e = match result {
        Ok(_) => {
            assert!(status.is_success(), "{what}: success on status {status}");
            return;
        }
        Err(e) => e,
    };
    if sent_secret {
        assert_no_secret(what, e);
    }
    if let Some(source) = e.api_error().and_then(ApiError::decode_error) {
        assert_decode_error_quotes_nothing(what, source);
    }
    if status.is_success() {
        assert!(
            e.status().is_none() || e.status() == Some(status),
            "{what}: error with status {:?} for a {status} answer: {e}",
            e.status()
        );
    } else {
        assert_eq!(e.status(), Some(status), "{what}: {e}");
    }
    if e.is_transient() {
        assert!(
            status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error(),
            "{what}: transient error for {status}: {e}"
        );
    }
}
