//! Benchmark 10: a `SessionPool` of 1,000 identities: heap bytes per idle session, and
//! `SessionPool::access_token()` per call (p50, p99) against a bare
//! `Session::access_token()`, with valid cached tokens. No network: an in-process
//! authenticator hands out a day-long 307-byte token (the size of a Pear JWT). Prints a
//! table; no criterion.
//!
//! `cargo bench --manifest-path benches/Cargo.toml --bench pool`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use auth_pool::SessionPool;
use auth_session::{AuthError, Authenticator, FailureKind, Identity, Session, Tokens};
use auth_types::{AccessToken, RefreshToken};

/// Bytes live on the heap (allocated, not yet freed).
struct Counting;

static LIVE: AtomicI64 = AtomicI64::new(0);

fn size(layout: Layout) -> i64 {
    i64::try_from(layout.size()).unwrap_or(i64::MAX)
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so the
// `GlobalAlloc` contract is `System`'s; the counter is a plain atomic.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(size(layout), Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(size(layout), Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            i64::try_from(new_size).unwrap_or(i64::MAX) - size(layout),
            Ordering::Relaxed,
        );
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(size(layout), Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const IDENTITIES: usize = 1_000;
const CALLS: usize = 200_000;

/// A provider that hands out a day-long token for one wallet.
struct Fixed(usize);

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

    fn identity(&self) -> Identity {
        Identity::new("bench", "http://127.0.0.1:1").with_account(format!("wallet-{}", self.0))
    }

    async fn login(&self) -> Result<Tokens, Never> {
        let token = format!("{:0>307}", self.0);
        Ok(Tokens::new(
            AccessToken::new(token),
            Duration::from_secs(86_400),
        ))
    }

    async fn logout(&self, _: &AccessToken, _: Option<&RefreshToken>) -> Result<(), Never> {
        Ok(())
    }
}

/// p50 and p99 of `times`, in nanoseconds.
fn percentiles(mut times: Vec<u32>) -> (u32, u32) {
    times.sort_unstable();
    let at = |q: usize| times[(times.len() * q / 100).min(times.len() - 1)];
    (at(50), at(99))
}

/// Nanoseconds of one call, saturated.
fn nanos(from: Instant) -> u32 {
    u32::try_from(from.elapsed().as_nanos()).unwrap_or(u32::MAX)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    runtime.block_on(async {
        let pool = SessionPool::builder(|wallet: &usize| Ok::<_, Never>(Fixed(*wallet)))
            .idle_timeout(None)
            .build();
        let before = LIVE.load(Ordering::SeqCst);
        for wallet in 0..IDENTITIES {
            black_box(pool.access_token(&wallet).await.unwrap());
        }
        let live = LIVE.load(Ordering::SeqCst) - before;
        let per_session = live / i64::try_from(IDENTITIES).unwrap();

        let mut pooled = Vec::with_capacity(CALLS);
        for call in 0..CALLS {
            let wallet = call * 7919 % IDENTITIES;
            let started = Instant::now();
            black_box(pool.access_token(&wallet).await.unwrap());
            pooled.push(nanos(started));
        }
        let session = Session::new(Fixed(0));
        session.access_token().await.unwrap();
        let mut bare = Vec::with_capacity(CALLS);
        for _ in 0..CALLS {
            let started = Instant::now();
            black_box(session.access_token().await.unwrap());
            bare.push(nanos(started));
        }
        let (pool_p50, pool_p99) = percentiles(pooled);
        let (bare_p50, bare_p99) = percentiles(bare);
        println!("{IDENTITIES} identities, {CALLS} calls each way, one thread");
        println!("| figure | value |");
        println!("|---|---|");
        println!("| heap bytes per idle session (live, token included) | {per_session} B |");
        println!("| pool.access_token() p50 / p99 | {pool_p50} ns / {pool_p99} ns |");
        println!("| session.access_token() p50 / p99 (anchor) | {bare_p50} ns / {bare_p99} ns |");
    });
}
