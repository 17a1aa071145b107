//! Benchmark 10: a `SessionPool` of 1,000 identities: heap bytes per idle session, and
//! `SessionPool::access_token()` per call (p50, p99) against a bare
//! `Session::access_token()`, with valid cached tokens. No network: an in-process
//! authenticator hands out a day-long 307-byte token (the size of a Pear JWT). Then the
//! renewals in the busiest second when 1,000 hour-long tokens issued in the same second
//! come due, on Tokio's paused clock: the pool's sessions against 1,000 bare sessions with
//! the same 60 s of random jitter. Prints a table; no criterion.
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

/// When each login happened, on Tokio's (paused) clock.
type Logins = std::sync::Arc<std::sync::Mutex<Vec<tokio::time::Instant>>>;

/// A provider that hands out an hour-long token and notes when.
struct Noted(usize, Logins);

#[async_trait]
impl Authenticator for Noted {
    type Error = Never;

    fn identity(&self) -> Identity {
        Identity::new("bench", "http://127.0.0.1:1").with_account(format!("wallet-{}", self.0))
    }

    async fn login(&self) -> Result<Tokens, Never> {
        self.1.lock().unwrap().push(tokio::time::Instant::now());
        Ok(Tokens::new(
            AccessToken::new(format!("{:0>307}", self.0)),
            Duration::from_secs(3_600),
        ))
    }

    async fn logout(&self, _: &AccessToken, _: Option<&RefreshToken>) -> Result<(), Never> {
        Ok(())
    }
}

/// The most renewals in one second of the hour after 1,000 tokens were issued together,
/// when every wallet asks for its token once a second; `take(wallet)` asks.
async fn busiest_second<F, Fut>(logins: &Logins, take: F) -> usize
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let start = tokio::time::Instant::now();
    for wallet in 0..IDENTITIES {
        take(wallet).await;
    }
    // Nothing is due for the first 57 minutes: go straight there.
    tokio::time::advance(Duration::from_secs(57 * 60)).await;
    for _ in 0..4 * 60 {
        tokio::time::advance(Duration::from_secs(1)).await;
        for wallet in 0..IDENTITIES {
            take(wallet).await;
        }
        for _ in 0..8 {
            tokio::task::yield_now().await;
        }
    }
    let mut per_second = std::collections::HashMap::<u64, usize>::new();
    for at in logins.lock().unwrap().iter().skip(IDENTITIES) {
        *per_second
            .entry(at.duration_since(start).as_secs())
            .or_default() += 1;
    }
    assert_eq!(
        per_second.values().sum::<usize>(),
        IDENTITIES,
        "every token renewed once"
    );
    per_second.into_values().max().unwrap_or(0)
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

    let paused = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    paused.block_on(async {
        let logins = Logins::default();
        let noted = logins.clone();
        let pool = SessionPool::builder(move |wallet: &usize| Ok::<_, Never>(Noted(*wallet, noted.clone())))
            .idle_timeout(None)
            .build();
        let pooled = busiest_second(&logins, |wallet| {
            let pool = pool.clone();
            async move {
                pool.access_token(&wallet).await.unwrap();
            }
        })
        .await;

        let logins = Logins::default();
        let sessions: Vec<_> = (0..IDENTITIES)
            .map(|wallet| {
                Session::builder(Noted(wallet, logins.clone()))
                    .refresh_jitter(auth_pool::DEFAULT_REFRESH_JITTER)
                    .build()
            })
            .collect();
        let random = busiest_second(&logins, |wallet| {
            let session = sessions[wallet].clone();
            async move {
                session.access_token().await.unwrap();
            }
        })
        .await;
        let window = auth_pool::DEFAULT_REFRESH_JITTER.as_secs();
        println!(
            "| renewals in the busiest second, {IDENTITIES} tokens issued together, {window} s window | pool: {pooled}; sessions with random jitter (anchor): {random}; even share: {:.1} |",
            IDENTITIES as f64 / window as f64
        );
    });
}
