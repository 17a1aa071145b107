//! JSON helpers the providers share: build JSON requests, decode JSON responses with
//! errors that name the field but never quote a value, and read NestJS-style errors.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use http::{Method, Request, Response, StatusCode, Uri};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::policy::retry_after;

const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");

/// Why a JSON request could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// The body could not be serialized.
    #[error("could not serialize the request body as JSON")]
    Serialize,
    /// The request could not be assembled (invalid method or header).
    #[error("could not build the request: {reason}")]
    Build {
        /// What was wrong.
        reason: String,
    },
}

/// A request with a JSON body, `Content-Type: application/json` and
/// `Accept: application/json`.
///
/// ```
/// let req = auth_transport::json_request(
///     http::Method::POST,
///     "https://hl-v2.pearprotocol.io/auth/refresh".parse()?,
///     &serde_json::json!({"refreshToken": "r"}),
/// )?;
/// assert_eq!(req.headers()["content-type"], "application/json");
/// assert_eq!(req.body().as_ref(), br#"{"refreshToken":"r"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn json_request<T: Serialize + ?Sized>(
    method: Method,
    uri: Uri,
    body: &T,
) -> Result<Request<Bytes>, RequestError> {
    // The body may hold secrets: the serializer's error text is not kept.
    let bytes = serde_json::to_vec(body).map_err(|_| RequestError::Serialize)?;
    let mut request = Request::new(Bytes::from(bytes));
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    request.headers_mut().insert(CONTENT_TYPE, APPLICATION_JSON);
    request.headers_mut().insert(ACCEPT, APPLICATION_JSON);
    Ok(request)
}

/// A GET request with `Accept: application/json` and no body.
pub fn get_request(uri: Uri) -> Request<Bytes> {
    let mut request = Request::new(Bytes::new());
    *request.uri_mut() = uri;
    request.headers_mut().insert(ACCEPT, APPLICATION_JSON);
    request
}

/// Why a response body did not decode into the expected type. Names the field; never
/// quotes a value from the body (it may hold a token).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The body is not JSON.
    #[error("response body is not JSON ({reason})")]
    NotJson {
        /// Where the syntax broke (line and column).
        reason: String,
    },
    /// A field is missing or of the wrong type.
    #[error("response field `{path}`: {problem}")]
    Field {
        /// The path of the field, like `user.id` (`.` for the whole body).
        path: String,
        /// What is wrong, without the value.
        problem: String,
    },
}

/// Decodes a JSON body into `T`.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Tokens { #[serde(rename = "accessToken")] access_token: String, #[serde(rename = "expiresIn")] expires_in: u64 }
///
/// let body = br#"{"accessToken": "eyJ-secret", "expiresIn": "soon"}"#;
/// let err = auth_transport::decode_json::<Tokens>(body).err().unwrap();
/// assert_eq!(err.to_string(), "response field `expiresIn`: wrong type or value, expected u64");
/// assert!(!err.to_string().contains("soon"));
/// ```
pub fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return DecodeError::NotJson {
                reason: format!("line {} column {}", inner.line(), inner.column()),
            };
        }
        DecodeError::Field {
            path,
            problem: sanitize(&inner.to_string(), inner.line(), inner.column()),
        }
    })?;
    deserializer.end().map_err(|e| DecodeError::NotJson {
        reason: format!(
            "trailing characters at line {} column {}",
            e.line(),
            e.column()
        ),
    })?;
    Ok(value)
}

/// Keeps the parts of a serde message that describe the type, dropping any quoted value.
///
/// A quoted value may itself contain ` at line ` or `, expected `, so the position is cut
/// off as the exact suffix serde_json adds, and the type's expectation is taken after the
/// last `, expected ` (it comes from the type, never from the body).
fn sanitize(message: &str, line: usize, column: usize) -> String {
    let position = format!(" at line {line} column {column}");
    let message = message.strip_suffix(&position).unwrap_or(message);
    if message.starts_with("missing field") || message.starts_with("duplicate field") {
        return message.to_owned();
    }
    match message.rfind(", expected ") {
        Some(at) => format!("wrong type or value, {}", &message[at + 2..]),
        None => "invalid value".to_owned(),
    }
}

/// An error status from the server, with what it said: NestJS bodies carry
/// `{"message": string | string[], "error": string, "statusCode": number}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The server's message; several messages (a 400's list of problems) joined by `; `.
    pub message: String,
    /// The server's messages, one per problem.
    pub messages: Vec<String>,
    /// The short error name (`"Unauthorized"`), if sent.
    pub error: Option<String>,
    /// How long the server asked to wait (`Retry-After`), if it did.
    pub retry_after: Option<Duration>,
}

impl ServerError {
    /// Reads an error response. Returns `None` for a success (2xx) status.
    ///
    /// ```
    /// let response = http::Response::builder()
    ///     .status(400)
    ///     .body(bytes::Bytes::from_static(br#"{"message":["address must be an Ethereum address","clientId should not be empty"],"error":"Bad Request","statusCode":400}"#))?;
    /// let err = auth_transport::ServerError::from_response(&response).unwrap();
    /// assert_eq!(err.messages.len(), 2);
    /// assert_eq!(err.to_string(), "400 Bad Request: address must be an Ethereum address; clientId should not be empty");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_response(response: &Response<Bytes>) -> Option<ServerError> {
        let status = response.status();
        if status.is_success() {
            return None;
        }
        let body: Option<serde_json::Value> = serde_json::from_slice(response.body()).ok();
        let messages: Vec<String> = match body.as_ref().and_then(|b| b.get("message")) {
            Some(serde_json::Value::String(s)) => vec![s.clone()],
            Some(serde_json::Value::Array(items)) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        let error = body
            .as_ref()
            .and_then(|b| b.get("error"))
            .and_then(|e| e.as_str())
            .map(str::to_owned);
        let message = if !messages.is_empty() {
            messages.join("; ")
        } else if let Some(e) = &error {
            e.clone()
        } else {
            plain_text_excerpt(response.body())
                .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_owned())
        };
        Some(ServerError {
            status,
            message,
            messages,
            error,
            retry_after: retry_after(response.headers()),
        })
    }

    /// Replaces every occurrence of the given secrets in the server's text with
    /// `<redacted>`. Use it when a server may echo the request (a token or key that was
    /// sent) in its error message.
    pub fn redact(mut self, secrets: &[&str]) -> Self {
        let scrub = |text: &mut String| {
            for secret in secrets.iter().filter(|s| s.len() >= 4) {
                if text.contains(*secret) {
                    *text = text.replace(*secret, "<redacted>");
                }
            }
        };
        scrub(&mut self.message);
        for m in &mut self.messages {
            scrub(m);
        }
        if let Some(e) = &mut self.error {
            scrub(e);
        }
        self
    }
}

/// The first 200 characters of a non-JSON body, on one line, if it is text.
fn plain_text_excerpt(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?.trim();
    if text.is_empty() {
        return None;
    }
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(200)
        .collect();
    Some(one_line)
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.status, self.message)
    }
}

impl std::error::Error for ServerError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct User {
        id: String,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Login {
        token: String,
        user: User,
    }

    #[test]
    fn decode_errors_name_the_path_and_hide_values() {
        let err =
            decode_json::<Login>(br#"{"token": "secret-jwt", "user": {"id": 12345}}"#).unwrap_err();
        assert_eq!(
            err,
            DecodeError::Field {
                path: "user.id".into(),
                problem: "wrong type or value, expected a string".into()
            }
        );
        assert!(!err.to_string().contains("12345"));
        let err = decode_json::<Login>(br#"{"user": {"id": "x"}}"#).unwrap_err();
        assert_eq!(err.to_string(), "response field `.`: missing field `token`");
        let err = decode_json::<Login>(br#"{"token": 7, "user": {"id": "x"}}"#).unwrap_err();
        assert!(matches!(err, DecodeError::Field { ref path, .. } if path == "token"));
        assert!(!err.to_string().contains('7'));
        assert!(matches!(
            decode_json::<Login>(b"<html>"),
            Err(DecodeError::NotJson { .. })
        ));
        assert!(matches!(
            decode_json::<Login>(br#"{"token":"a","user":{"id":"b"}} x"#),
            Err(DecodeError::NotJson { .. })
        ));
    }

    fn response(status: u16, body: &'static str) -> Response<Bytes> {
        Response::builder()
            .status(status)
            .header("retry-after", "3")
            .body(Bytes::from_static(body.as_bytes()))
            .unwrap()
    }

    #[test]
    fn server_errors_string_list_and_plain() {
        let e = ServerError::from_response(&response(
            401,
            r#"{"message":"Invalid signature","error":"Unauthorized","statusCode":401}"#,
        ))
        .unwrap();
        assert_eq!(e.status, StatusCode::UNAUTHORIZED);
        assert_eq!(e.message, "Invalid signature");
        assert_eq!(e.error.as_deref(), Some("Unauthorized"));
        assert_eq!(e.retry_after, Some(Duration::from_secs(3)));
        assert_eq!(e.to_string(), "401 Unauthorized: Invalid signature");

        let e = ServerError::from_response(&response(502, "Bad gateway\nfrom proxy")).unwrap();
        assert_eq!(e.message, "Bad gateway from proxy");
        let e = ServerError::from_response(&response(500, "")).unwrap();
        assert_eq!(e.message, "Internal Server Error");
        assert!(ServerError::from_response(&response(200, "{}")).is_none());
    }

    #[test]
    fn redact_removes_echoed_secrets() {
        let e = ServerError::from_response(&response(
            400,
            r#"{"message":["refreshToken eyJsecret.token is malformed"],"error":"Bad Request"}"#,
        ))
        .unwrap()
        .redact(&["eyJsecret.token"]);
        assert_eq!(e.message, "refreshToken <redacted> is malformed");
        assert!(!format!("{e:?}").contains("eyJsecret"));
    }
}
