//! Two pools on one Redis key prefix log each wallet in once (feature `redis`; needs
//! `redis-server` on PATH, as `cargo xtask test` installs).

use std::sync::Arc;

use auth_pool::{StoreFactory, store_name};
use auth_sandbox::{Sandbox, SandboxConfig};
use auth_session::Authenticator as _;
use auth_test_support::redis::RedisServer;

use crate::support::{Gauge, pool};

const WALLETS: u8 = 10;
const PREFIX: &str = "pool-test:";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_pools_on_one_redis_prefix_log_each_wallet_in_once() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let server = RedisServer::start();
    let gauge = Arc::new(Gauge::default());
    let on_redis = || {
        pool(&sb, &gauge)
            .stores(StoreFactory::redis(server.url(), PREFIX))
            .build()
    };
    let (first, second) = (on_redis(), on_redis());
    let ask = |pool: auth_pool::SessionPool<u8, crate::support::Counted>| async move {
        for seed in 1..=WALLETS {
            pool.access_token(&seed).await.unwrap();
        }
    };
    let (a, b) = tokio::join!(
        tokio::spawn(ask(first.clone())),
        tokio::spawn(ask(second.clone()))
    );
    a.unwrap();
    b.unwrap();
    assert_eq!(sb.counters().pump_logins, u64::from(WALLETS));
    assert_eq!(
        first.stats().logins + second.stats().logins,
        u64::from(WALLETS)
    );
    // One key per wallet, named by its identity under the prefix.
    let identity = first.session(&1).await.unwrap().authenticator().identity();
    let key = format!(
        "{PREFIX}{}",
        store_name(&identity).trim_end_matches(".json")
    );
    assert_eq!(server.command(&[b"EXISTS", key.as_bytes()]), b":1\r\n");
    // The Debug of the factory never shows the URL.
    let shown = format!("{:?}", StoreFactory::redis(server.url(), PREFIX));
    assert!(!shown.contains("127.0.0.1"), "{shown}");
}
