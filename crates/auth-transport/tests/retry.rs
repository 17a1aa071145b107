//! The retry wrapper's rules, against scripted fake transports on a paused clock.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use auth_transport::bytes::Bytes;
use auth_transport::http::{Method, Request, Response};
use auth_transport::{HttpTransport, Idempotency, Retry, RetryPolicy, TransportError, from_fn};
use tokio::time::Instant;

/// What the fake does on each successive call.
#[derive(Clone)]
enum Step {
    Status(u16, Option<&'static str>),
    ConnectFailed,
    Dropped,
    TimedOut,
}

/// A fake transport that plays `steps` in order (repeating the last) and records when
/// each call came.
fn scripted(steps: Vec<Step>) -> (impl HttpTransport, Arc<Mutex<Vec<Instant>>>) {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let queue = Arc::new(Mutex::new(VecDeque::from(steps)));
    let log = calls.clone();
    let transport = from_fn(move |_request: Request<Bytes>| {
        log.lock().unwrap().push(Instant::now());
        let step = {
            let mut q = queue.lock().unwrap();
            if q.len() > 1 {
                q.pop_front().unwrap()
            } else {
                q.front().cloned().unwrap()
            }
        };
        async move {
            match step {
                Step::Status(code, retry_after) => {
                    let mut b = Response::builder().status(code);
                    if let Some(v) = retry_after {
                        b = b.header("retry-after", v);
                    }
                    Ok(b.body(Bytes::new()).unwrap())
                }
                Step::ConnectFailed => Err(TransportError::Connect {
                    host: "127.0.0.1:1".into(),
                    source: "connection refused".into(),
                }),
                Step::Dropped => Err(TransportError::Io {
                    source: "connection reset after the request was written".into(),
                }),
                Step::TimedOut => Err(TransportError::Timeout {
                    after: Duration::from_secs(1),
                }),
            }
        }
    });
    (transport, calls)
}

fn request(method: Method) -> Request<Bytes> {
    Request::builder()
        .method(method)
        .uri("https://pear.invalid/auth/refresh")
        .body(Bytes::from_static(br#"{"refreshToken":"r1"}"#))
        .unwrap()
}

fn policy() -> RetryPolicy {
    RetryPolicy::default().with_backoff(Duration::from_millis(100), Duration::from_secs(2))
}

#[tokio::test(start_paused = true)]
async fn a_post_is_retried_when_it_never_reached_the_server() {
    let (t, calls) = scripted(vec![
        Step::ConnectFailed,
        Step::ConnectFailed,
        Step::Status(200, None),
    ]);
    let response = Retry::new(t, policy())
        .send(request(Method::POST))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(calls.lock().unwrap().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn a_post_that_may_have_been_processed_is_never_sent_twice() {
    for failure in [Step::Dropped, Step::TimedOut] {
        let (t, calls) = scripted(vec![failure, Step::Status(200, None)]);
        let result = Retry::new(t, policy()).send(request(Method::POST)).await;
        assert!(result.is_err());
        assert_eq!(
            calls.lock().unwrap().len(),
            1,
            "a refresh token must not be replayed"
        );
    }
    // A 503 to a POST: the server may have acted on it. Not repeated.
    let (t, calls) = scripted(vec![Step::Status(503, Some("1")), Step::Status(200, None)]);
    let response = Retry::new(t, policy())
        .send(request(Method::POST))
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(calls.lock().unwrap().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_get_is_retried_after_failures_that_may_have_reached_the_server() {
    let (t, calls) = scripted(vec![
        Step::Dropped,
        Step::TimedOut,
        Step::Status(503, None),
        Step::Status(200, None),
    ]);
    let response = Retry::new(t, policy())
        .send(request(Method::GET))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(calls.lock().unwrap().len(), 4);
}

#[tokio::test(start_paused = true)]
async fn idempotency_can_be_marked_on_the_request() {
    let (t, calls) = scripted(vec![Step::Dropped, Step::Status(200, None)]);
    let mut r = request(Method::POST);
    r.extensions_mut().insert(Idempotency(true));
    assert!(Retry::new(t, policy()).send(r).await.is_ok());
    assert_eq!(calls.lock().unwrap().len(), 2);

    let (t, calls) = scripted(vec![Step::Dropped, Step::Status(200, None)]);
    let mut r = request(Method::GET);
    r.extensions_mut().insert(Idempotency(false));
    assert!(Retry::new(t, policy()).send(r).await.is_err());
    assert_eq!(calls.lock().unwrap().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured_on_429_for_posts_too() {
    let (t, calls) = scripted(vec![Step::Status(429, Some("7")), Step::Status(200, None)]);
    let started = Instant::now();
    let response = Retry::new(t, policy())
        .send(request(Method::POST))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let calls = calls.lock().unwrap();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[1] - started, Duration::from_secs(7));
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_beyond_the_cap_is_returned_not_waited_for() {
    let (t, calls) = scripted(vec![
        Step::Status(429, Some("3600")),
        Step::Status(200, None),
    ]);
    let started = Instant::now();
    let response = Retry::new(t, policy())
        .send(request(Method::GET))
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(calls.lock().unwrap().len(), 1);
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test(start_paused = true)]
async fn rate_limited_posts_can_be_left_alone() {
    let mut p = policy();
    p.retry_rate_limited = false;
    let (t, calls) = scripted(vec![Step::Status(429, Some("1")), Step::Status(200, None)]);
    let response = Retry::new(t, p).send(request(Method::POST)).await.unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(calls.lock().unwrap().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn backoff_grows_exponentially_with_jitter_and_stops_at_max_attempts() {
    let p = policy().with_max_attempts(5);
    let (t, calls) = scripted(vec![Step::ConnectFailed]);
    let result = Retry::new(t, p).send(request(Method::GET)).await;
    assert!(matches!(result, Err(TransportError::Connect { .. })));
    let calls = calls.lock().unwrap();
    assert_eq!(calls.len(), 5);
    // Retry n waits between half and all of 100 ms * 2^(n-1).
    for (n, pair) in calls.windows(2).enumerate() {
        let wait = pair[1] - pair[0];
        let ceiling = Duration::from_millis(100 * (1 << n));
        assert!(
            wait >= ceiling / 2 && wait <= ceiling,
            "retry {}: waited {wait:?}",
            n + 1
        );
    }
}

#[tokio::test(start_paused = true)]
async fn the_total_time_budget_is_respected() {
    let p = policy()
        .with_max_attempts(100)
        .with_backoff(Duration::from_secs(1), Duration::from_secs(1))
        .with_max_total(Duration::from_millis(3500));
    let (t, calls) = scripted(vec![Step::ConnectFailed]);
    let started = Instant::now();
    assert!(Retry::new(t, p).send(request(Method::GET)).await.is_err());
    assert!(started.elapsed() <= Duration::from_millis(3500));
    let n = calls.lock().unwrap().len();
    assert!(
        (4..=8).contains(&n),
        "{n} attempts in a 3.5 s budget with 0.5-1 s waits"
    );
}

#[tokio::test(start_paused = true)]
async fn errors_that_repeat_are_not_retried() {
    let (t, calls) = scripted(vec![Step::Status(401, None), Step::Status(200, None)]);
    let response = Retry::new(t, policy())
        .send(request(Method::GET))
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(calls.lock().unwrap().len(), 1);
}

#[test]
fn transports_are_send_sync_and_object_safe() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Arc<dyn HttpTransport>>();
    assert_send_sync::<TransportError>();
    assert_send_sync::<Retry<Arc<dyn HttpTransport>>>();
    #[cfg(feature = "reqwest")]
    assert_send_sync::<auth_transport::ReqwestTransport>();
    #[cfg(feature = "hyper")]
    assert_send_sync::<auth_transport::HyperTransport>();
}
