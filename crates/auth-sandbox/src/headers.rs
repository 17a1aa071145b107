//! `Content-Type` and `Accept` on POST requests, as express (under NestJS) treats them;
//! an API whose server does so layers this middleware on its routes.
//!
//! express parses a body only when its `Content-Type` is `application/json` (parameters
//! such as `; charset=utf-8` allowed); any other body is ignored and the handler sees
//! `{}`, which then fails validation with the usual 400. `Accept` is not enforced, but a
//! POST without one that admits `application/json` is counted in
//! [`crate::Counters::json_posts_without_accept`], so tests can check that a client sends
//! it.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State as Extract};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::counters::bump;
use crate::shared::Shared;

/// The middleware: counts POSTs without a JSON `Accept`, and empties the body of POSTs
/// whose `Content-Type` is not JSON.
pub(crate) async fn json_posts(
    Extract(shared): Extract<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    if !accepts_json(request.headers()) {
        bump(&shared.counters.json_posts_without_accept);
    }
    if is_json(request.headers()) {
        return next.run(request).await;
    }
    let (mut parts, _ignored) = request.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    next.run(Request::from_parts(parts, Body::empty())).await
}

/// Whether the `Content-Type` is `application/json`, with or without parameters.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

/// Whether some `Accept` media range admits `application/json` with a non-zero quality.
fn accepts_json(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|range| {
            let mut parts = range.split(';');
            let media = parts.next().map(str::trim).unwrap_or_default();
            let admits = ["application/json", "application/*", "*/*"]
                .iter()
                .any(|m| media.eq_ignore_ascii_case(m));
            let refused = parts.any(|param| {
                param.split_once('=').is_some_and(|(name, value)| {
                    name.trim().eq_ignore_ascii_case("q")
                        && value.trim().parse::<f64>().is_ok_and(|q| q <= 0.0)
                })
            });
            admits && !refused
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(name: header::HeaderName, values: &[&'static str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(name.clone(), HeaderValue::from_static(v));
        }
        headers
    }

    #[test]
    fn json_content_types() {
        for yes in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON;charset=UTF-8",
        ] {
            assert!(is_json(&with(header::CONTENT_TYPE, &[yes])), "{yes}");
        }
        for no in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "application/jsonx",
            "application/ld+json",
            "",
        ] {
            assert!(!is_json(&with(header::CONTENT_TYPE, &[no])), "{no}");
        }
        assert!(!is_json(&HeaderMap::new()));
    }

    #[test]
    fn accept_ranges_that_admit_json() {
        for yes in [
            &["application/json"][..],
            &["*/*"],
            &["application/*"],
            &["text/html, application/json;q=0.9"],
            &["text/html", "application/json"],
            &["APPLICATION/JSON; q=1"],
        ] {
            assert!(accepts_json(&with(header::ACCEPT, yes)), "{yes:?}");
        }
        for no in [
            &["text/html"][..],
            &["application/json;q=0"],
            &["*/*; q=0.0"],
            &["application/xml, text/*"],
            &[""],
        ] {
            assert!(!accepts_json(&with(header::ACCEPT, no)), "{no:?}");
        }
        assert!(!accepts_json(&HeaderMap::new()));
    }
}
