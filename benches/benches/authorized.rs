//! Benchmark 7: the authorized client's overhead. One GET of the sandbox's protected
//! `/sandbox/whoami` on loopback through hyper's client, two ways, in one process against
//! one sandbox:
//!
//! - `hand_inserted_header`: the token fetched once beforehand, its sensitive
//!   `Authorization` value built once and cloned into each request (the cheapest a user
//!   can do by hand, with no renewal and no 401 handling at all);
//! - `authorize_layer`: `auth_http::AuthorizeLayer` over the same kind of client and a
//!   live `PearSession`: the session's fast path, the header built per request, a copy of
//!   the request kept for a replay, the status checked.
//!
//! Both read the whole answer. The server's JWT check is included on both sides. Goal:
//! the layer at most 1.05x the hand-inserted header.
//!
//! Loopback round trips on a shared machine drift by more than the 5 % being judged
//! between two criterion runs taken one after the other, so before criterion the
//! benchmark also times the two ways in alternation (`PAIRED_ROUNDS` rounds, each round
//! one call of each in alternating order) and prints the median of each and their ratio:
//! both sides then see the same load.
//!
//! `cargo bench --manifest-path benches/Cargo.toml --bench authorized`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use auth_http::AuthorizeLayer;
use auth_sandbox::{Sandbox, SandboxConfig};
use auth_signing::ethereum::LocalEthSigner;
use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use http::header::{AUTHORIZATION, HeaderValue};
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use pear_auth::{PearAuthenticator, PearClient, PearSession};
use tower::{Layer, ServiceExt};

fn authorized(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (sandbox, session) = runtime.block_on(async {
        let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
        let pear = PearClient::builder()
            .base_url(sandbox.pear_url())
            .build()
            .unwrap();
        let wallet = Arc::new(LocalEthSigner::from_hex(&"7c".repeat(32)).unwrap());
        let session = PearSession::new(PearAuthenticator::wallet(pear, wallet));
        session.access_token().await.unwrap();
        (sandbox, session)
    });
    let url = format!("{}/sandbox/whoami", sandbox.pear_url());

    // By hand: one token, one header value, cloned into every request.
    let token = runtime.block_on(session.access_token()).unwrap();
    let mut bearer = HeaderValue::from_str(&format!("Bearer {}", token.expose_secret())).unwrap();
    bearer.set_sensitive(true);
    let plain = Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>();
    // Through the layer, over a client of its own (same settings).
    let layered = AuthorizeLayer::new(session.clone())
        .layer(Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>());

    // Both answer 200 before anything is timed.
    runtime.block_on(async {
        let mut request = http::Request::get(&url).body(Empty::new()).unwrap();
        request.headers_mut().insert(AUTHORIZATION, bearer.clone());
        assert_eq!(plain.request(request).await.unwrap().status(), 200);
        let request = http::Request::get(&url).body(Empty::new()).unwrap();
        assert_eq!(
            layered.clone().oneshot(request).await.unwrap().status(),
            200
        );
    });

    runtime.block_on(paired(&url, &plain, &bearer, &layered));

    let mut group = c.benchmark_group("7_authorized_get");
    group.bench_function("hand_inserted_header", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    let mut request = http::Request::get(&url).body(Empty::new()).unwrap();
                    request.headers_mut().insert(AUTHORIZATION, bearer.clone());
                    let response = plain.request(request).await.unwrap();
                    assert_eq!(response.status(), 200);
                    black_box(response.into_body().collect().await.unwrap().to_bytes());
                }
                start.elapsed()
            })
        })
    });
    group.bench_function("authorize_layer", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    let request = http::Request::get(&url).body(Empty::new()).unwrap();
                    let response = layered.clone().oneshot(request).await.unwrap();
                    assert_eq!(response.status(), 200);
                    black_box(response.into_body().collect().await.unwrap().to_bytes());
                }
                start.elapsed()
            })
        })
    });
    group.finish();
    assert_eq!(
        sandbox.counters().pear_logins,
        1,
        "no renewal while measuring"
    );
}

/// Rounds of the alternating measurement.
const PAIRED_ROUNDS: usize = 4000;

/// Times one call each way per round, alternating which goes first; prints the medians.
async fn paired<S>(
    url: &str,
    plain: &Client<HttpConnector, Empty<Bytes>>,
    bearer: &HeaderValue,
    layered: &S,
) where
    S: tower::Service<
            http::Request<Empty<Bytes>>,
            Response = http::Response<hyper::body::Incoming>,
        > + Clone,
    S::Error: std::fmt::Debug,
{
    let mut hand = Vec::with_capacity(PAIRED_ROUNDS);
    let mut layer = Vec::with_capacity(PAIRED_ROUNDS);
    for round in 0..PAIRED_ROUNDS {
        for side in [round % 2, 1 - round % 2] {
            let start = Instant::now();
            let mut request = http::Request::get(url).body(Empty::new()).unwrap();
            let response = if side == 0 {
                request.headers_mut().insert(AUTHORIZATION, bearer.clone());
                plain.request(request).await.unwrap()
            } else {
                layered.clone().oneshot(request).await.unwrap()
            };
            assert_eq!(response.status(), 200);
            black_box(response.into_body().collect().await.unwrap().to_bytes());
            let elapsed = start.elapsed();
            if side == 0 {
                hand.push(elapsed)
            } else {
                layer.push(elapsed)
            }
        }
    }
    hand.sort();
    layer.sort();
    let (hand, layer) = (hand[PAIRED_ROUNDS / 2], layer[PAIRED_ROUNDS / 2]);
    println!(
        "7_authorized_get paired over {PAIRED_ROUNDS} rounds: hand_inserted_header median {:.2} µs, \
         authorize_layer median {:.2} µs, ratio {:.3}x",
        hand.as_secs_f64() * 1e6,
        layer.as_secs_f64() * 1e6,
        layer.as_secs_f64() / hand.as_secs_f64()
    );
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = config();
    targets = authorized
}
criterion_main!(benches);
