//! Answers in the services' own shapes: NestJS error bodies, and a connection dropped on
//! purpose.

use std::pin::Pin;
use std::task::{Context, Poll};

use axum::Json;
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::json;

/// A NestJS error body: `{"message", "error", "statusCode"}`; `message` is a list for 400s
/// with several problems, a string otherwise.
pub(crate) fn nest_error(status: StatusCode, messages: Vec<String>) -> Response {
    let message = if messages.len() == 1 {
        json!(messages[0])
    } else {
        json!(messages)
    };
    let body = json!({
        "message": message,
        "error": status.canonical_reason().unwrap_or("Error"),
        "statusCode": status.as_u16(),
    });
    (status, Json(body)).into_response()
}

/// A 401 with one message.
pub(crate) fn unauthorized(message: &str) -> Response {
    nest_error(StatusCode::UNAUTHORIZED, vec![message.to_owned()])
}

/// Cloudflare's answer to an address that sent too much: 403, an HTML page, no
/// `Retry-After`.
pub(crate) fn block_page() -> Response {
    let page = "<!DOCTYPE html>\n<html><head><title>Attention Required! | Cloudflare</title></head>\n\
                <body><h1>Sorry, you have been blocked</h1>\n\
                <p>You are unable to access this website.</p></body></html>\n";
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/html; charset=UTF-8")],
        page,
    )
        .into_response()
}

/// A 429 with `Retry-After`.
pub(crate) fn too_many_requests(retry_after_secs: u64) -> Response {
    let mut response = nest_error(
        StatusCode::TOO_MANY_REQUESTS,
        vec!["ThrottlerException: Too Many Requests".to_owned()],
    );
    if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

/// A response whose body fails at once: the server closes the connection without a
/// complete answer, as a crashed process or a cut network would.
pub(crate) fn dropped_connection() -> Response {
    Response::new(Body::new(Broken))
}

struct Broken;

impl http_body::Body for Broken {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "sandbox dropped the connection on purpose",
        ))))
    }
}

/// The bearer token of a request, if any.
pub(crate) fn bearer(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}
