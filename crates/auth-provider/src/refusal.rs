//! Reading an error answer: NestJS bodies (`{"message": string | string[], "error": …}`),
//! plain text, or nothing, plus `Retry-After`.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::RETRY_AFTER;
use http::{HeaderMap, Response, StatusCode};

use auth_types::{escape_unprintable, escape_unprintable_cut};

use crate::secrets::Secrets;

/// What a server said when it refused a request, already scrubbed of the request's
/// secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
    pub(crate) messages: Vec<String>,
    pub(crate) retry_after: Option<Duration>,
}

impl Refusal {
    /// Reads an error response; `None` for a success (2xx) status.
    pub(crate) fn read(response: &Response<Bytes>, secrets: &Secrets) -> Option<Refusal> {
        let status = response.status();
        if status.is_success() {
            return None;
        }
        let body: Option<serde_json::Value> = serde_json::from_slice(response.body()).ok();
        // Redacted first, on the text as the server wrote it, then escaped: escaping
        // cannot hide a secret from the redaction.
        let clean = |text: &str| escape_unprintable(&secrets.redact(text));
        let messages: Vec<String> = match body.as_ref().and_then(|b| b.get("message")) {
            Some(serde_json::Value::String(s)) => vec![clean(s)],
            Some(serde_json::Value::Array(items)) => {
                items.iter().filter_map(|i| i.as_str().map(clean)).collect()
            }
            _ => Vec::new(),
        };
        let error = body
            .as_ref()
            .and_then(|b| b.get("error"))
            .and_then(|e| e.as_str())
            .map(clean);
        let message = if !messages.is_empty() {
            messages.join("; ")
        } else if let Some(e) = error {
            e
        } else {
            plain_text_excerpt(response.body(), secrets)
                .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_owned())
        };
        let messages = if messages.is_empty() {
            vec![message.clone()]
        } else {
            messages
        };
        Some(Refusal {
            status,
            message,
            messages,
            retry_after: retry_after(response.headers()),
        })
    }
}

/// How many characters of a non-JSON body an error shows.
const EXCERPT_CHARS: usize = 200;

/// The start of a non-JSON body, if it is text: on one line (each run of whitespace, line
/// breaks included, becomes one space), every other unprintable character escaped, cut to
/// [`EXCERPT_CHARS`] between whole escapes. Redacted before anything else, so a secret
/// crossing the cut cannot leave its start behind.
fn plain_text_excerpt(body: &[u8], secrets: &Secrets) -> Option<String> {
    let text = secrets.redact(std::str::from_utf8(body).ok()?.trim());
    if text.is_empty() {
        return None;
    }
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(escape_unprintable_cut(&one_line, EXCERPT_CHARS))
}

/// How long a client's rate budget holds a host whose edge answered with a block page
/// ([`ApiError::Blocked`](crate::ApiError::Blocked)) that gave no `Retry-After`.
pub const EDGE_BLOCK_HOLD: Duration = Duration::from_secs(10);

/// Whether an answer is an edge's block page rather than the API's answer: 403 with an
/// HTML body (`content-type: text/html`), as Cloudflare answers an address that sends too
/// much, or `cf-mitigated` (Cloudflare's challenge) on any error status. The APIs
/// themselves answer errors in JSON.
pub(crate) fn is_edge_block(status: StatusCode, headers: &HeaderMap) -> bool {
    if status.is_success() {
        return false;
    }
    let html = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("text/html"));
    (status == StatusCode::FORBIDDEN && html) || headers.contains_key("cf-mitigated")
}

/// The wait a `Retry-After` header asks for: delay-seconds or an HTTP date. A date is
/// read against the answer's own `Date` header when it has one (both are the server's
/// clock, so a local clock that drifted does not stretch or cut the wait), else against
/// the local clock.
///
/// ```
/// let mut headers = http::HeaderMap::new();
/// headers.insert("retry-after", "3".parse()?);
/// assert_eq!(auth_provider::retry_after(&headers), Some(std::time::Duration::from_secs(3)));
/// headers.insert("retry-after", "Wed, 21 Oct 2015 07:28:05 GMT".parse()?);
/// headers.insert("date", "Wed, 21 Oct 2015 07:28:00 GMT".parse()?);
/// assert_eq!(auth_provider::retry_after(&headers), Some(std::time::Duration::from_secs(5)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(server_now(headers))
            .unwrap_or(Duration::ZERO),
    )
}

/// The time of an answer as the server saw it: its `Date` header, else the local clock.
pub(crate) fn server_now(headers: &HeaderMap) -> SystemTime {
    headers
        .get(http::header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v.trim()).ok())
        .unwrap_or_else(SystemTime::now)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn response(status: u16, body: &str) -> Response<Bytes> {
        Response::builder()
            .status(status)
            .header("retry-after", "3")
            .body(Bytes::copy_from_slice(body.as_bytes()))
            .unwrap()
    }

    #[test]
    fn string_list_and_plain() {
        let none = Secrets::default();
        let e = Refusal::read(
            &response(
                401,
                r#"{"message":"Invalid signature","error":"Unauthorized","statusCode":401}"#,
            ),
            &none,
        )
        .unwrap();
        assert_eq!(e.status, StatusCode::UNAUTHORIZED);
        assert_eq!(e.message, "Invalid signature");
        assert_eq!(e.retry_after, Some(Duration::from_secs(3)));

        let e = Refusal::read(
            &response(
                400,
                r#"{"message":["address must be an Ethereum address","clientId should not be empty"],"error":"Bad Request","statusCode":400}"#,
            ),
            &none,
        )
        .unwrap();
        assert_eq!(e.messages.len(), 2);
        assert_eq!(
            e.message,
            "address must be an Ethereum address; clientId should not be empty"
        );

        let e = Refusal::read(&response(403, r#"{"error":"Forbidden"}"#), &none).unwrap();
        assert_eq!(e.message, "Forbidden");
        let e = Refusal::read(&response(502, "Bad gateway\nfrom proxy"), &none).unwrap();
        assert_eq!(e.message, "Bad gateway from proxy");
        let e = Refusal::read(&response(500, ""), &none).unwrap();
        assert_eq!(e.message, "Internal Server Error");
        assert!(Refusal::read(&response(200, "{}"), &none).is_none());
    }

    #[test]
    fn echoed_secrets_are_redacted_everywhere() {
        let mut secrets = Secrets::default();
        secrets.record("eyJsecret.token");
        let e = Refusal::read(
            &response(
                400,
                r#"{"message":["refreshToken eyJsecret.token is malformed"],"error":"Bad Request"}"#,
            ),
            &secrets,
        )
        .unwrap();
        assert_eq!(e.message, "refreshToken <redacted> is malformed");
        assert!(!format!("{e:?}").contains("eyJsecret"));
        let e = Refusal::read(
            &response(401, r#"{"error":"bad eyJsecret.token"}"#),
            &secrets,
        )
        .unwrap();
        assert_eq!(e.message, "bad <redacted>");
        let e = Refusal::read(&response(502, "echo: eyJsecret.token"), &secrets).unwrap();
        assert_eq!(e.message, "echo: <redacted>");
    }

    #[test]
    fn a_secret_crossing_the_cut_leaves_nothing_behind() {
        let secret = "refresh-SECRET-0123456789-abcdefghij";
        let mut secrets = Secrets::default();
        secrets.record(secret);
        let body = format!("{} {secret} tail", "x".repeat(185));
        let e = Refusal::read(&response(502, &body), &secrets).unwrap();
        assert!(e.message.contains(" <redacted>"), "{}", e.message);
        assert!(!e.message.contains("refresh-S"), "{}", e.message);
    }

    #[test]
    fn unprintable_characters_in_server_text_are_escaped() {
        let none = Secrets::default();
        let e = Refusal::read(
            &response(
                401,
                "{\"message\":\"bad\\nINFO forged line \\u001b[31mred\\u202e\",\"error\":\"x\\ry\"}",
            ),
            &none,
        )
        .unwrap();
        assert_eq!(e.message, r"bad\nINFO forged line \u{1b}[31mred\u{202e}");
        assert!(!e.message.chars().any(auth_types::is_unprintable));
        let e = Refusal::read(&response(400, r#"{"error":"a\u0007b"}"#), &none).unwrap();
        assert_eq!(e.message, r"a\u{7}b");
        // A plain-text body is put on one line; what is not whitespace is escaped.
        let e = Refusal::read(&response(502, "line\r\n\tnext \u{1b}[2J\u{2066}"), &none).unwrap();
        assert_eq!(e.message, r"line next \u{1b}[2J\u{2066}");
    }

    #[test]
    fn a_secret_echoed_among_escapes_is_still_redacted() {
        let mut secrets = Secrets::default();
        secrets.record("eyJsecret.token");
        let e = Refusal::read(
            &response(
                401,
                r#"{"message":"\u001b[2Jtoken\u001beyJsecret.token\u0007\u202eeyJsecret.tok"}"#,
            ),
            &secrets,
        )
        .unwrap();
        assert_eq!(
            e.message,
            r"\u{1b}[2Jtoken\u{1b}<redacted>\u{7}\u{202e}<redacted>"
        );
        let e = Refusal::read(&response(502, "\u{1b}]0;eyJsecret.token\u{7}"), &secrets).unwrap();
        assert_eq!(e.message, r"\u{1b}]0;<redacted>\u{7}");
    }

    #[test]
    fn retry_after_forms() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(
            RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }
}
