//! Drift: the sandbox answering as a live service might after it changed, for testing
//! `authctl doctor` and clients against a changed wire. Each [`Drift`] is one change,
//! applied by a middleware over every API's answers; none is on by default.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State as Extract};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// One way a live API may have changed since the clients were written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Drift {
    /// Pear's login message renames a field: `primaryType` becomes `primary_type`.
    RenamedField,
    /// Pear's login message carries another EIP-712 domain (chain 1, name
    /// `Pear Protocol v2`).
    ChangedDomain,
    /// Pear's login message gives its timestamps in milliseconds, not seconds.
    MillisecondTimestamps,
    /// Pear's login message no longer echoes the `clientId` it was asked for.
    NoClientIdEcho,
    /// `POST /auth/login` is gone (404), on every API.
    MovedLoginRoute,
    /// Error answers are no longer NestJS's `{message, error, statusCode}` but
    /// `{"errors":[{"detail": …}]}`.
    ErrorShape,
    /// Every answer is Cloudflare's HTML challenge page with 403.
    CloudflareChallenge,
}

/// The size above which an answer is passed on untouched.
const MAX_BODY: usize = 1 << 20;

/// Cloudflare's challenge page, shortened.
const CHALLENGE_PAGE: &str = "<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title></head>\
<body><noscript>Enable JavaScript and cookies to continue</noscript></body></html>";

/// The middleware: applies `drifts` to the request's answer.
pub(crate) async fn apply(
    Extract(drifts): Extract<std::sync::Arc<[Drift]>>,
    request: Request,
    next: Next,
) -> Response {
    if drifts.is_empty() {
        return next.run(request).await;
    }
    if drifts.contains(&Drift::CloudflareChallenge) {
        let mut response = (StatusCode::FORBIDDEN, CHALLENGE_PAGE).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=UTF-8"),
        );
        headers.insert(header::SERVER, HeaderValue::from_static("cloudflare"));
        return response;
    }
    let path = request.uri().path().to_owned();
    if drifts.contains(&Drift::MovedLoginRoute)
        && request.method() == Method::POST
        && path == "/auth/login"
    {
        let body = json!({
            "message": "Cannot POST /auth/login",
            "error": "Not Found",
            "statusCode": 404,
        });
        return (StatusCode::NOT_FOUND, axum::Json(body)).into_response();
    }
    let response = next.run(request).await;
    let message = path == "/auth/eip712-message" && response.status().is_success();
    let error = response.status().is_client_error() && drifts.contains(&Drift::ErrorShape);
    if !message && !error {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "drift: answer too large").into_response();
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    if message {
        for drift in drifts.iter() {
            drift_message(*drift, &mut value);
        }
    }
    if error {
        let detail = value.get("message").cloned().unwrap_or(Value::Null);
        value = json!({"errors": [{"detail": detail}]});
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(value.to_string()))
}

/// Changes Pear's login message as `drift` says.
fn drift_message(drift: Drift, message: &mut Value) {
    let Some(object) = message.as_object_mut() else {
        return;
    };
    match drift {
        Drift::RenamedField => {
            if let Some(primary) = object.remove("primaryType") {
                object.insert("primary_type".to_owned(), primary);
            }
        }
        Drift::ChangedDomain => {
            if let Some(domain) = object.get_mut("domain").and_then(Value::as_object_mut) {
                domain.insert("name".to_owned(), json!("Pear Protocol v2"));
                domain.insert("chainId".to_owned(), json!(1));
            }
        }
        Drift::MillisecondTimestamps => {
            let millis = |v: &mut Value| {
                if let Some(seconds) = v.as_u64() {
                    *v = json!(seconds.saturating_mul(1000));
                }
            };
            if let Some(top) = object.get_mut("timestamp") {
                millis(top);
            }
            if let Some(inner) = object
                .get_mut("message")
                .and_then(|m| m.get_mut("timestamp"))
            {
                millis(inner);
            }
        }
        Drift::NoClientIdEcho => {
            if let Some(inner) = object.get_mut("message").and_then(Value::as_object_mut) {
                inner.remove("clientId");
            }
        }
        Drift::MovedLoginRoute | Drift::ErrorShape | Drift::CloudflareChallenge => {}
    }
}
