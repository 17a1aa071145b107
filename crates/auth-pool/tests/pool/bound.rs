//! Many wallets from many tasks: one login each, never more in flight than the bound.

use std::collections::HashSet;
use std::sync::Arc;

use auth_pool::{PoolError, SessionPool};
use auth_sandbox::{Sandbox, SandboxConfig};
use tokio::task::JoinSet;

use crate::support::{Gauge, pool};

const WALLETS: u8 = 200;
const TASKS: usize = 50;
const BOUND: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_wallets_from_fifty_tasks_log_in_once_each_within_the_bound() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let gauge = Arc::new(Gauge::default());
    let pool = pool(&sb, &gauge).max_in_flight(BOUND).build();
    let mut tasks = JoinSet::new();
    for task in 0..TASKS {
        let pool = pool.clone();
        tasks.spawn(async move {
            // Every task asks for every wallet, each from another starting point, so
            // each wallet is asked for by many tasks at once.
            let mut tokens = Vec::new();
            for step in 0..usize::from(WALLETS) {
                let seed = u8::try_from((task * 4 + step) % usize::from(WALLETS)).unwrap() + 1;
                let token = pool.access_token(&seed).await.unwrap();
                tokens.push((seed, token.expose_secret().to_owned()));
            }
            tokens
        });
    }
    let mut tokens = HashSet::new();
    while let Some(answers) = tasks.join_next().await {
        tokens.extend(answers.unwrap());
    }
    // One token per wallet: every task got the same token of each wallet.
    assert_eq!(tokens.len(), usize::from(WALLETS));
    assert_eq!(sb.counters().pump_logins, u64::from(WALLETS));
    assert_eq!(gauge.logins(), usize::from(WALLETS));
    let stats = pool.stats();
    assert_eq!(stats.sessions, usize::from(WALLETS));
    assert_eq!(stats.logins, u64::from(WALLETS));
    assert_eq!((stats.failures, stats.in_flight, stats.waiting), (0, 0, 0));
    assert_eq!(stats.egresses, 1);
    // The bound held, seen from the provider's side and by the pool, and was reached:
    // logins did run side by side.
    assert!(gauge.max() <= BOUND, "{} logins at once", gauge.max());
    assert!(stats.max_in_flight <= BOUND, "{stats:?}");
    assert!(gauge.max() >= 2, "logins never overlapped: {}", gauge.max());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_egress_has_its_own_bound() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let odd = Arc::new(Gauge::default());
    let even = Arc::new(Gauge::default());
    let client = crate::support::client(&sb);
    let gauges = (Arc::clone(&odd), Arc::clone(&even));
    let pool = SessionPool::builder(move |seed: &u8| {
        let gauge = if seed % 2 == 1 { &gauges.0 } else { &gauges.1 };
        Ok::<_, std::convert::Infallible>(crate::support::counted(&client, *seed, gauge))
    })
    .egress(|seed: &u8| (seed % 2 == 1).then(|| "socks5://odd.invalid".to_owned()))
    .max_in_flight(1)
    .build();
    let mut tasks = JoinSet::new();
    for seed in 1..=40u8 {
        let pool = pool.clone();
        tasks.spawn(async move { pool.access_token(&seed).await.map(drop) });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap().unwrap();
    }
    assert_eq!(sb.counters().pump_logins, 40);
    assert_eq!((odd.logins(), even.logins()), (20, 20));
    assert_eq!((odd.max(), even.max()), (1, 1));
    let stats = pool.stats();
    assert_eq!((stats.egresses, stats.max_in_flight), (2, 1));
    let session = pool.session(&3).await.unwrap();
    assert_eq!(session.authenticator().egress(), "socks5://odd.invalid");
    assert_eq!(pool.session(&4).await.unwrap().authenticator().egress(), "");
}

#[tokio::test]
async fn a_factory_error_is_returned_and_nothing_is_kept() {
    let pool: SessionPool<u8, crate::support::Counted> = SessionPool::builder(|seed: &u8| {
        Err::<crate::support::Counted, _>(format!("no key for wallet {seed}"))
    })
    .build();
    let error = pool.access_token(&7).await.unwrap_err();
    assert!(matches!(error, PoolError::Factory { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "could not make the authenticator of this key: no key for wallet 7"
    );
    assert!(pool.is_empty());
    assert!(!pool.contains(&7));
}

#[tokio::test]
async fn sessions_get_their_share_of_the_jitter_window_and_show_no_token() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let gauge = Arc::new(Gauge::default());
    let spread = pool(&sb, &gauge).build();
    let token = spread.access_token(&9).await.unwrap();
    let shown = format!("{:?} {:?}", spread.session(&9).await.unwrap(), spread);
    // The first session made renews at the buffer alone, no random jitter.
    assert!(
        shown.contains("refresh_buffer: 60s, refresh_jitter: 0ns"),
        "{shown}"
    );
    assert!(
        shown.contains("refresh_jitter: 60s"),
        "the pool's window: {shown}"
    );
    assert!(!shown.contains(token.expose_secret()), "{shown}");
    // The second, 0.618 of the window later: 60 s + 37.08 s.
    let shown = format!("{:?}", spread.session(&10).await.unwrap());
    assert!(shown.contains("refresh_buffer: 97.08"), "{shown}");
    let narrow = pool(&sb, &gauge)
        .refresh_jitter(std::time::Duration::from_secs(7))
        .build();
    narrow.session(&9).await.unwrap();
    let shown = format!("{:?}", narrow.session(&10).await.unwrap());
    assert!(
        shown.contains("refresh_buffer: 64.32"),
        "60 s + 0.618 x 7 s: {shown}"
    );
}
