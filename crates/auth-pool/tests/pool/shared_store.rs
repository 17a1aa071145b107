//! Two pools (two processes' worth) on one store directory log each wallet in once.

use std::sync::Arc;

use auth_pool::{StoreFactory, store_name};
use auth_sandbox::{Sandbox, SandboxConfig};
use auth_session::Authenticator as _;

use crate::support::{Gauge, pool};

const WALLETS: u8 = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_pools_sharing_a_store_directory_log_each_wallet_in_once() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tokens = dir.path().join("tokens"); // Made by the pool.
    let gauge = Arc::new(Gauge::default());
    let first = pool(&sb, &gauge)
        .stores(StoreFactory::directory(&tokens))
        .max_in_flight(3)
        .build();
    let second = pool(&sb, &gauge)
        .stores(StoreFactory::directory(&tokens))
        .max_in_flight(3)
        .build();
    let ask = |pool: auth_pool::SessionPool<u8, crate::support::Counted>| async move {
        let mut got = Vec::new();
        for seed in 1..=WALLETS {
            got.push(pool.access_token(&seed).await.unwrap());
        }
        got
    };
    let (a, b) = tokio::join!(
        tokio::spawn(ask(first.clone())),
        tokio::spawn(ask(second.clone()))
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(sb.counters().pump_logins, u64::from(WALLETS));
    assert_eq!(
        first.stats().logins + second.stats().logins,
        u64::from(WALLETS)
    );
    // Both pools hand out the same token of each wallet.
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.expose_secret(), y.expose_secret());
    }
    // One file per wallet, named by its identity.
    let files = std::fs::read_dir(&tokens)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().ends_with(".json"))
        .count();
    assert_eq!(files, usize::from(WALLETS));
    let identity = first.session(&1).await.unwrap().authenticator().identity();
    assert!(tokens.join(store_name(&identity)).is_file());
    // A third pool, a process started later, logs nobody in.
    let third = pool(&sb, &gauge)
        .stores(StoreFactory::directory(&tokens))
        .build();
    for seed in 1..=WALLETS {
        third.access_token(&seed).await.unwrap();
    }
    assert_eq!(sb.counters().pump_logins, u64::from(WALLETS));
    assert_eq!(third.stats().logins, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wallet_asked_for_while_it_is_evicted_keeps_its_new_tokens() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let gauge = Arc::new(Gauge::default());
    let pool = pool(&sb, &gauge)
        .stores(StoreFactory::directory(dir.path()))
        .idle_timeout(Some(std::time::Duration::ZERO))
        .sweep_interval(std::time::Duration::from_secs(3600))
        .build();
    for seed in 1..=WALLETS {
        pool.access_token(&seed).await.unwrap();
    }
    // Each wallet is asked for again while its session is being logged out: the new
    // session waits for that logout, so the logout clears nothing the new one stored.
    let asking = pool.clone();
    let (evicted, ()) = tokio::join!(pool.evict_idle(), async move {
        for seed in 1..=WALLETS {
            asking.access_token(&seed).await.unwrap();
        }
    });
    assert!(evicted >= 1, "nothing was evicted");
    let client = crate::support::client(&sb);
    for seed in 1..=WALLETS {
        let session = pool.session(&seed).await.unwrap();
        let token = session.access_token().await.unwrap();
        client.profile(&token).await.unwrap();
        let name = store_name(&session.authenticator().identity());
        assert!(
            dir.path().join(name).is_file(),
            "wallet {seed}'s tokens were cleared"
        );
    }
    let counters = sb.counters();
    assert_eq!(counters.pump_logouts, pool.stats().evicted);
    assert!(
        counters.pump_logins <= 2 * u64::from(WALLETS),
        "{counters:?}"
    );
}
