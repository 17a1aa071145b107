//! Retries with exponential backoff and jitter, safe for single-use tokens.

use std::hash::{BuildHasher, RandomState};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use bytes::Bytes;
use http::header::{HeaderMap, RETRY_AFTER};
use http::{Method, Request, Response, StatusCode};
use tokio::time::Instant;

use crate::error::TransportError;
use crate::transport::HttpTransport;

/// When and how often [`Retry`] tries again.
///
/// The rules, in order:
/// - A request that provably never reached the server (connect failure) may be retried,
///   whatever its method.
/// - An idempotent request (GET, HEAD, OPTIONS, PUT, DELETE, or one marked with
///   [`Idempotency`]) may be retried after a timeout or a broken connection, and on 502,
///   503 and 504.
/// - A non-idempotent request (every POST: login, refresh, logout) that may have reached
///   the server is **never** sent twice: Pear refresh tokens are single use, and a refresh
///   the server processed but whose answer was lost cannot be replayed.
/// - 429 is retried for every method when `retry_rate_limited` is on (the default): the
///   server refused the request without processing it.
/// - `Retry-After` (seconds or an HTTP date) sets the wait on 429 and 503; a wait longer
///   than `max_retry_after` is not waited for: the response is returned to the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included. Default: 4.
    pub max_attempts: u32,
    /// Backoff before the first retry; doubled each time. Default: 200 ms.
    pub initial_backoff: Duration,
    /// Longest backoff between attempts. Default: 5 s.
    pub max_backoff: Duration,
    /// Longest time spent in all, waits included; no retry starts past it. Default: 30 s.
    pub max_total: Duration,
    /// Longest server-requested `Retry-After` that is honoured. Default: 60 s.
    pub max_retry_after: Duration,
    /// Whether 429 responses are retried for non-idempotent requests too. Default: true.
    pub retry_rate_limited: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_total: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(60),
            retry_rate_limited: true,
        }
    }
}

impl RetryPolicy {
    /// Sets the number of attempts (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the first backoff and the longest one.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// Sets the total time budget.
    pub fn with_max_total(mut self, total: Duration) -> Self {
        self.max_total = total;
        self
    }

    /// Sets the longest `Retry-After` honoured.
    pub fn with_max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// The backoff before retry number `retry` (1-based), with jitter: a random duration
    /// between half and all of `initial * 2^(retry-1)`, capped at `max_backoff`.
    fn backoff(&self, retry: u32) -> Duration {
        let exp = self.initial_backoff.saturating_mul(
            1u32.checked_shl(retry.saturating_sub(1))
                .unwrap_or(u32::MAX),
        );
        let ceiling = exp.min(self.max_backoff);
        let half = ceiling / 2;
        half + random_fraction(ceiling - half)
    }
}

/// A uniformly random duration in `[0, span]`, from the standard library's randomly
/// keyed hasher (jitter needs spread, not cryptographic strength).
fn random_fraction(span: Duration) -> Duration {
    let nanos = span.as_nanos().min(u128::from(u64::MAX)) as u64;
    if nanos == 0 {
        return Duration::ZERO;
    }
    let random = RandomState::new().hash_one(Instant::now());
    Duration::from_nanos(random % (nanos + 1))
}

/// Marks a request as idempotent (or not), overriding the default by method. Insert it
/// into the request's extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Idempotency(pub bool);

/// Wraps any transport with a [`RetryPolicy`].
///
/// ```
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicU32, Ordering};
/// use auth_transport::{HttpTransport, Retry, RetryPolicy, TransportError, from_fn};
/// use bytes::Bytes;
///
/// // A server that refuses the first two connections.
/// let calls = Arc::new(AtomicU32::new(0));
/// let counter = calls.clone();
/// let flaky = from_fn(move |_req: http::Request<Bytes>| {
///     let n = counter.fetch_add(1, Ordering::SeqCst);
///     async move {
///         if n < 2 {
///             Err(TransportError::Connect { host: "pear".into(), source: "refused".into() })
///         } else {
///             Ok(http::Response::new(Bytes::from_static(b"ok")))
///         }
///     }
/// });
/// let transport = Retry::new(flaky, RetryPolicy::default().with_backoff(
///     std::time::Duration::from_millis(1), std::time::Duration::from_millis(2)));
/// # let rt = tokio::runtime::Builder::new_current_thread().enable_time().build()?;
/// // A POST is retried here because the connection provably never opened.
/// let request = http::Request::post("https://pear/auth/refresh").body(Bytes::new())?;
/// let response = rt.block_on(transport.send(request))?;
/// assert_eq!(response.body().as_ref(), b"ok");
/// assert_eq!(calls.load(Ordering::SeqCst), 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Retry<T> {
    inner: T,
    policy: RetryPolicy,
}

impl<T: HttpTransport> Retry<T> {
    /// Wraps `inner`.
    pub fn new(inner: T, policy: RetryPolicy) -> Self {
        Retry { inner, policy }
    }

    /// The wrapped transport.
    pub fn inner(&self) -> &T {
        &self.inner
    }

    /// The policy in force.
    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }
}

/// What to do after one attempt.
enum Next {
    Return,
    RetryAfter(Duration),
}

impl<T> Retry<T> {
    fn decide(
        &self,
        result: &Result<Response<Bytes>, TransportError>,
        idempotent: bool,
        retry: u32,
    ) -> Next {
        let policy = &self.policy;
        match result {
            Ok(response) => {
                let status = response.status();
                let retryable_status = match status {
                    StatusCode::TOO_MANY_REQUESTS => idempotent || policy.retry_rate_limited,
                    StatusCode::BAD_GATEWAY
                    | StatusCode::SERVICE_UNAVAILABLE
                    | StatusCode::GATEWAY_TIMEOUT => idempotent,
                    _ => false,
                };
                if !retryable_status {
                    return Next::Return;
                }
                match retry_after(response.headers()) {
                    Some(wait) if wait > policy.max_retry_after => Next::Return,
                    Some(wait) => Next::RetryAfter(wait),
                    None => Next::RetryAfter(policy.backoff(retry)),
                }
            }
            Err(error) => {
                let never_sent = !error.may_have_reached_server();
                if error.is_retryable() && (never_sent || idempotent) {
                    Next::RetryAfter(policy.backoff(retry))
                } else {
                    Next::Return
                }
            }
        }
    }
}

#[async_trait]
impl<T: HttpTransport> HttpTransport for Retry<T> {
    async fn send(&self, request: Request<Bytes>) -> Result<Response<Bytes>, TransportError> {
        let started = Instant::now();
        let idempotent = match request.extensions().get::<Idempotency>() {
            Some(Idempotency(marked)) => *marked,
            None => is_idempotent_method(request.method()),
        };
        let (parts, body) = request.into_parts();
        let mut attempt = 1;
        loop {
            let mut copy = Request::new(body.clone());
            *copy.method_mut() = parts.method.clone();
            *copy.uri_mut() = parts.uri.clone();
            *copy.version_mut() = parts.version;
            *copy.headers_mut() = parts.headers.clone();
            let result = self.inner.send(copy).await;
            if attempt >= self.policy.max_attempts {
                return result;
            }
            match self.decide(&result, idempotent, attempt) {
                Next::Return => return result,
                Next::RetryAfter(wait) => {
                    if started.elapsed().saturating_add(wait) > self.policy.max_total {
                        return result;
                    }
                    tracing::debug!(
                        target: "auth_transport",
                        attempt,
                        wait_ms = wait.as_millis() as u64,
                        path = parts.uri.path(),
                        outcome = %match &result {
                            Ok(r) => r.status().to_string(),
                            Err(e) => e.to_string(),
                        },
                        "retrying"
                    );
                    tokio::time::sleep(wait).await;
                }
            }
            attempt += 1;
        }
    }
}

fn is_idempotent_method(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE | Method::PUT | Method::DELETE
    )
}

/// The wait a `Retry-After` header asks for: delta-seconds or an HTTP date (a date in
/// the past means no wait). `None` if absent or unreadable.
///
/// ```
/// use http::header::{HeaderMap, HeaderValue, RETRY_AFTER};
/// let mut headers = HeaderMap::new();
/// headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
/// assert_eq!(auth_transport::retry_after(&headers), Some(std::time::Duration::from_secs(7)));
/// ```
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}
