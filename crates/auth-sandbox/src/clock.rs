//! The sandbox's clock: the host's, moved by [`SandboxConfig::clock_offset_ms`]
//! (crate::SandboxConfig), as a server on a machine whose clock is off would read it.
//!
//! The offset holds for everything a request does: the middleware [`serve`] runs each
//! request inside a task-local scope that the time functions of `time.rs` read, so every
//! time the sandbox checks or issues (Pear's message timestamps and their freshness
//! window, pump.fun's message window, SIWE/SIWS times, JWT `iat`/`exp`) is on the offset
//! clock, and every answer carries that clock in its `Date` header (which hyper would
//! otherwise write from the host's clock). Outside a request (the sandbox's own
//! conveniences, unit tests) the offset is 0.

use std::time::{Duration, SystemTime};

use axum::extract::{Request, State as Extract};
use axum::http::HeaderValue;
use axum::http::header::DATE;
use axum::middleware::Next;
use axum::response::Response;

tokio::task_local! {
    /// The offset of the request being handled, in milliseconds.
    static OFFSET_MS: i64;
}

/// The sandbox's time now: the host's plus the offset of the request being handled.
pub(crate) fn now() -> SystemTime {
    let offset = OFFSET_MS.try_with(|o| *o).unwrap_or(0);
    let host = SystemTime::now();
    let by = Duration::from_millis(offset.unsigned_abs());
    if offset >= 0 {
        host.checked_add(by).unwrap_or(host)
    } else {
        host.checked_sub(by).unwrap_or(host)
    }
}

/// The middleware: handles the request on the offset clock and dates the answer by it.
pub(crate) async fn serve(
    Extract(offset_ms): Extract<i64>,
    request: Request,
    next: Next,
) -> Response {
    OFFSET_MS
        .scope(offset_ms, async move {
            let mut response = next.run(request).await;
            if let Ok(date) = HeaderValue::from_str(&httpdate::fmt_http_date(now())) {
                response.headers_mut().insert(DATE, date);
            }
            response
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_offset_holds_inside_a_scope_only() {
        let host = SystemTime::now();
        let ahead = OFFSET_MS.scope(600_000, async { now() }).await;
        let behind = OFFSET_MS.scope(-600_000, async { now() }).await;
        let outside = now();
        let ms = |t: SystemTime| {
            t.duration_since(host)
                .map(|d| d.as_millis() as i64)
                .unwrap_or_else(|e| -(e.duration().as_millis() as i64))
        };
        assert!((600_000..610_000).contains(&ms(ahead)), "{}", ms(ahead));
        assert!((-600_000..-590_000).contains(&ms(behind)), "{}", ms(behind));
        assert!((0..10_000).contains(&ms(outside)));
    }
}
