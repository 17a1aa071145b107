//! Benchmark 5: `Session::access_token()` with a valid cached token, per call, on 1, 2, 4
//! and 8 threads at once.
//!
//! Each timed batch runs `iters` calls inside one `block_on`, so the runtime's entry cost
//! is paid once per batch, not per call. With several threads, each runs `iters` calls at
//! the same time (released together by a barrier) and the batch time is the slowest
//! thread's: the per-call figure is comparable with the one-thread figure (each thread does
//! the same number of calls), so equal figures mean perfect scaling. On a machine with
//! fewer cores than threads, the threads take turns, so the figure grows with
//! threads / cores even without any contention.
//!
//! `cargo bench --manifest-path benches/Cargo.toml --bench session -- --warm-up-time 1 --measurement-time 3`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use auth_session::{AuthError, Authenticator, FailureKind, Session, Tokens};
use auth_types::{AccessToken, RefreshToken};
use criterion::{Criterion, criterion_group, criterion_main};

/// A provider that always hands out the same day-long token.
struct Fixed;

/// No failure is possible.
#[derive(Debug)]
enum Never {}

impl std::fmt::Display for Never {
    fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {}
    }
}

impl std::error::Error for Never {}

impl AuthError for Never {
    fn kind(&self) -> FailureKind {
        match *self {}
    }
}

#[async_trait]
impl Authenticator for Fixed {
    type Error = Never;

    async fn login(&self) -> Result<Tokens, Never> {
        // As long as the sandbox's Pear access token (a 307-byte HS256 JWT): the caller
        // gets its own copy, wiped on drop, so the length is part of the cost.
        Ok(Tokens::new(
            AccessToken::new("a".repeat(307)),
            Duration::from_secs(24 * 3600),
        ))
    }

    async fn refresh(&self, _: &RefreshToken) -> Result<Tokens, Never> {
        self.login().await
    }

    async fn logout(&self, _: &AccessToken, _: Option<&RefreshToken>) -> Result<(), Never> {
        Ok(())
    }
}

fn access_token(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .unwrap();
    let handle = runtime.handle().clone();
    let session = {
        let _guard = runtime.enter();
        Arc::new(Session::builder(Fixed).build())
    };
    // The first call logs in; every later call takes the cached token.
    handle.block_on(session.access_token()).unwrap();

    let mut group = c.benchmark_group("5_session_access_token");
    group.bench_function("1_thread", |b| {
        b.iter_custom(|iters| {
            handle.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    black_box(session.access_token().await.unwrap());
                }
                start.elapsed()
            })
        })
    });
    for threads in [2, 4, 8] {
        group.bench_function(format!("{threads}_threads"), |b| {
            b.iter_custom(|iters| {
                let barrier = Arc::new(Barrier::new(threads));
                let workers: Vec<_> = (0..threads)
                    .map(|_| {
                        let (handle, session, barrier) =
                            (handle.clone(), Arc::clone(&session), Arc::clone(&barrier));
                        std::thread::spawn(move || {
                            handle.block_on(async {
                                barrier.wait();
                                let start = Instant::now();
                                for _ in 0..iters {
                                    black_box(session.access_token().await.unwrap());
                                }
                                start.elapsed()
                            })
                        })
                    })
                    .collect();
                workers
                    .into_iter()
                    .map(|t| t.join().unwrap())
                    .max()
                    .unwrap()
            })
        });
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = config();
    targets = access_token
}
criterion_main!(benches);
