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
