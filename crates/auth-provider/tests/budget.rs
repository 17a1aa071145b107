//! The rate budget on the send path, in tokio's paused time: pacing per host shared by
//! clients of one budget, the bounded wait, what answers teach, and no budget on loopback
//! by default.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::sync::{Arc, Mutex};
use std::time::Duration;

use auth_provider::{ApiClient, ApiError, ClientConfig, Failure, Quota, RateBudget};
use auth_transport::bytes::Bytes;
use auth_transport::http::Response;
use auth_transport::{HttpTransport, from_fn};
use tokio::time::Instant;

/// A transport that records when each request reached it and answers `status` with
/// `headers`.
fn recording(
    seen: &Arc<Mutex<Vec<Instant>>>,
    status: u16,
    headers: &'static [(&'static str, &'static str)],
) -> Arc<dyn HttpTransport> {
    let seen = Arc::clone(seen);
    Arc::new(from_fn(move |_request| {
        seen.lock().unwrap().push(Instant::now());
        let mut response = Response::builder().status(status);
        for (name, value) in headers {
            response = response.header(*name, *value);
        }
        async move { Ok(response.body(Bytes::from_static(b"{}")).unwrap()) }
    }))
}

fn client(
    base_url: &str,
    transport: Arc<dyn HttpTransport>,
    budget: Option<RateBudget>,
    quota: Option<Quota>,
) -> ApiClient {
    let mut config = ClientConfig::new("Test", base_url);
    if let Some(quota) = quota {
        config = config.with_quota(quota);
    }
    config.set_transport(transport);
    if let Some(budget) = budget {
        config.set_budget(Some(budget));
    }
    config.build().unwrap()
}

fn gaps(seen: &Mutex<Vec<Instant>>) -> Vec<Duration> {
    let seen = seen.lock().unwrap();
    seen.windows(2).map(|w| w[1] - w[0]).collect()
}

#[tokio::test(start_paused = true)]
async fn clients_of_one_budget_share_the_pace_of_a_host() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let budget = RateBudget::builder("egress-1").build();
    let a = client(
        "http://127.0.0.1:9",
        recording(&seen, 200, &[]),
        Some(budget.clone()),
        Some(Quota::per_second(10)),
    );
    let b = client(
        "http://127.0.0.1:9",
        recording(&seen, 200, &[]),
        Some(budget),
        Some(Quota::per_second(10)),
    );
    let started = Instant::now();
    let calls = (0..6).map(|i| {
        let client = if i % 2 == 0 { a.clone() } else { b.clone() };
        async move { client.get("/x").send().await.map(|_| ()) }
    });
    for result in futures_join(calls).await {
        result.unwrap();
    }
    assert_eq!(gaps(&seen), vec![Duration::from_millis(100); 5]);
    assert_eq!(started.elapsed(), Duration::from_millis(500));
}

/// Runs the futures side by side.
async fn futures_join<F: Future<Output = T> + Send + 'static, T: Send + 'static>(
    futures: impl Iterator<Item = F>,
) -> Vec<T> {
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

#[tokio::test(start_paused = true)]
async fn a_wait_past_the_maximum_fails_at_once_without_sending() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let budget = RateBudget::builder("egress-1")
        .quota(Quota::PUMP)
        .max_wait(Duration::from_millis(1500))
        .build();
    let api = client(
        "http://127.0.0.1:9",
        recording(&seen, 200, &[]),
        Some(budget),
        None,
    );
    api.get("/x").send().await.unwrap();
    api.get("/x").send().await.unwrap();
    // Two are queued (1 s and 2 s away): the second would wait 2 s.
    let (one, two) = tokio::join!(api.get("/x").send(), async {
        tokio::task::yield_now().await;
        api.get("/x").send().await
    });
    one.unwrap();
    let err = two.unwrap_err();
    assert!(matches!(err, ApiError::OverBudget { .. }), "{err:?}");
    assert!(err.is_transient() && !err.may_have_reached_server());
    assert!(
        err.retry_after().unwrap() > Duration::from_millis(1500),
        "{err:?}"
    );
    assert_eq!(seen.lock().unwrap().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn answers_hold_the_host_until_they_say() {
    // 429 with Retry-After: the next request waits 3 s (no quota: only answers pace).
    let seen = Arc::new(Mutex::new(Vec::new()));
    let budget = RateBudget::builder("e").build();
    let api = client(
        "http://127.0.0.1:9",
        recording(&seen, 429, &[("retry-after", "3")]),
        Some(budget),
        None,
    );
    let err = api.get("/x").send().await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
    let _ = api.get("/x").send().await;
    assert_eq!(gaps(&seen), vec![Duration::from_secs(3)]);

    // x-ratelimit-remaining: 0 with a reset: held until the reset.
    let seen = Arc::new(Mutex::new(Vec::new()));
    let budget = RateBudget::builder("e").build();
    let api = client(
        "http://127.0.0.1:9",
        recording(
            &seen,
            200,
            &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "7")],
        ),
        Some(budget),
        None,
    );
    api.get("/x").send().await.unwrap();
    api.get("/x").send().await.unwrap();
    assert_eq!(gaps(&seen), vec![Duration::from_secs(7)]);
}

#[tokio::test(start_paused = true)]
async fn loopback_hosts_have_no_budget_unless_given_one() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    // The API's quota, no budget set: a loopback host is not paced.
    let api = client(
        "http://127.0.0.1:9",
        recording(&seen, 200, &[]),
        None,
        Some(Quota::PUMP),
    );
    for _ in 0..3 {
        api.get("/x").send().await.unwrap();
    }
    assert_eq!(gaps(&seen), vec![Duration::ZERO; 2]);
    // The same quota with a budget: paced.
    let seen = Arc::new(Mutex::new(Vec::new()));
    let budget = RateBudget::builder("e").build();
    let api = client(
        "http://127.0.0.1:9",
        recording(&seen, 200, &[]),
        Some(budget),
        Some(Quota::PUMP),
    );
    for _ in 0..3 {
        api.get("/x").send().await.unwrap();
    }
    assert_eq!(gaps(&seen), vec![Duration::from_secs(1); 2]);
}

#[tokio::test(start_paused = true)]
async fn a_burst_lets_a_window_leave_at_once_and_the_guard_keeps_the_next_out_of_it() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let budget = RateBudget::builder("e")
        .quota(Quota::per_second(4).with_burst(4))
        .build();
    let api = client(
        "http://127.0.0.1:9",
        recording(&seen, 200, &[]),
        Some(budget),
        None,
    );
    let started = Instant::now();
    let calls = (0..10).map(|_| {
        let api = api.clone();
        async move { api.get("/x").send().await.map(|_| ()) }
    });
    for result in futures_join(calls).await {
        result.unwrap();
    }
    let seen = seen.lock().unwrap();
    let at: Vec<Duration> = seen.iter().map(|t| *t - started).collect();
    // Four at once, four a window later, two a window after that: never five in a second.
    let second = Duration::from_secs(1);
    assert_eq!(
        at,
        [
            vec![Duration::ZERO; 4],
            vec![second; 4],
            vec![2 * second; 2]
        ]
        .concat()
    );
}

#[tokio::test(start_paused = true)]
async fn slots_of_your_own_requests_share_the_clients_pace() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let budget = RateBudget::builder("e").build();
    let api = client(
        "http://127.0.0.1:9",
        recording(&seen, 200, &[]),
        Some(budget.clone()),
        Some(Quota::per_second(10)),
    );
    let started = Instant::now();
    api.get("/x").send().await.unwrap();
    // A request of the application's own to the same host takes the next slot.
    let slot = budget
        .slot("127.0.0.1:9", Some(Quota::per_second(10)))
        .await
        .unwrap();
    assert_eq!(started.elapsed(), Duration::from_millis(100));
    // Its answer said to hold the host for 2 s: the client's next request waits.
    let mut headers = http::HeaderMap::new();
    headers.insert("retry-after", http::HeaderValue::from_static("2"));
    slot.learn(http::StatusCode::TOO_MANY_REQUESTS, &headers);
    drop(slot);
    api.get("/x").send().await.unwrap();
    assert_eq!(gaps(&seen), vec![Duration::from_millis(2100)]);
    // Past the budget's maximum wait: refused at once, not sent.
    let held = RateBudget::builder("e")
        .max_wait(Duration::from_millis(500))
        .build();
    let first = held.slot("h", Some(Quota::PUMP)).await.unwrap();
    drop(first);
    let err = held.slot("h", Some(Quota::PUMP)).await.unwrap_err();
    assert!(matches!(err, ApiError::OverBudget { .. }), "{err}");
}

#[tokio::test(start_paused = true)]
async fn an_edge_block_page_is_transient_and_holds_the_host() {
    // Cloudflare's 403 with an HTML page: not the credentials, a reason to slow down.
    let seen = Arc::new(Mutex::new(Vec::new()));
    let budget = RateBudget::builder("e").build();
    let api = client(
        "http://127.0.0.1:9",
        recording(&seen, 403, &[("content-type", "text/html; charset=UTF-8")]),
        Some(budget),
        None,
    );
    let err = api.get("/x").send().await.unwrap_err();
    assert!(matches!(err, ApiError::Blocked { .. }), "{err:?}");
    assert!(err.is_transient() && !err.is_unauthorized(), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
    assert_eq!(err.retry_after(), Some(auth_provider::EDGE_BLOCK_HOLD));
    assert!(err.to_string().contains("Cloudflare"), "{err}");
    let _ = api.get("/x").send().await;
    assert_eq!(gaps(&seen), vec![auth_provider::EDGE_BLOCK_HOLD]);

    // The API's own 403 (JSON) is a refusal of the credentials: permanent, no hold.
    let seen = Arc::new(Mutex::new(Vec::new()));
    let api = client(
        "http://127.0.0.1:9",
        recording(&seen, 403, &[("content-type", "application/json")]),
        Some(RateBudget::builder("e").build()),
        None,
    );
    let err = api.get("/x").send().await.unwrap_err();
    assert!(matches!(err, ApiError::Refused { .. }), "{err:?}");
    assert!(!err.is_transient() && err.is_unauthorized(), "{err:?}");
    let _ = api.get("/x").send().await;
    assert_eq!(gaps(&seen), vec![Duration::ZERO]);
}
