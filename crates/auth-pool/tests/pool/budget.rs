//! The done-when of the rate budget: 200 pump.fun wallets behind 4 egress identities
//! (transports bound to 127.0.0.2 to 127.0.0.5), each egress paced by its own budget of 20
//! requests a second, against a sandbox that allows 20 a second per peer address.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Duration;

use auth_pool::SessionPool;
use auth_provider::{Quota, RateBudget};
use auth_sandbox::{Sandbox, SandboxConfig};
use auth_session::Authenticator as _;
use auth_test_support::keys::solana_keypair;
use auth_transport::{ReqwestTransport, TransportConfig};
use pump_auth::{PumpAuthenticator, PumpClient};
use tokio::task::JoinSet;

const WALLETS: u8 = 200;
const EGRESSES: u8 = 4;
const PER_SECOND: u32 = 20;

/// The egress of wallet `seed`: its local address.
fn egress_of(seed: u8) -> Ipv4Addr {
    Ipv4Addr::new(127, 0, 0, 2 + seed % EGRESSES)
}

/// A pump.fun client leaving from `local`, paced by `budget`.
fn client_from(sb: &Sandbox, local: Ipv4Addr, budget: RateBudget) -> PumpClient {
    let config = TransportConfig::default();
    let reqwest = ReqwestTransport::client_builder(&config)
        .unwrap()
        .no_proxy()
        .local_address(IpAddr::V4(local))
        .build()
        .unwrap();
    PumpClient::builder()
        .base_url(sb.pump_url())
        .transport(ReqwestTransport::from_client(reqwest, config))
        .rate_budget(budget)
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_wallets_behind_four_egresses_log_in_once_without_a_429() {
    let window = Duration::from_secs(1);
    let sb = Sandbox::start(SandboxConfig::default().with_egress_rate_limit(PER_SECOND, window))
        .await
        .unwrap();
    // One client and one budget per egress: every wallet of an egress shares them.
    let clients: Vec<PumpClient> = (0..EGRESSES)
        .map(|i| {
            let local = egress_of(i);
            // The sandbox counts in a sliding window: a whole window may leave at once.
            let budget = RateBudget::builder(local.to_string())
                .quota(Quota::per_second(PER_SECOND).with_burst(PER_SECOND))
                .build();
            client_from(&sb, local, budget)
        })
        .collect();
    let clients = Arc::new(clients);
    let factory_clients = Arc::clone(&clients);
    let pool = SessionPool::builder(move |seed: &u8| {
        let client = &factory_clients[usize::from(seed % EGRESSES)];
        Ok::<_, std::convert::Infallible>(PumpAuthenticator::new(
            client.clone(),
            Arc::new(solana_keypair(*seed)),
        ))
    })
    .egress(|seed: &u8| Some(egress_of(*seed).to_string()))
    // The budget paces; the bound only keeps the pool from queueing more than it needs.
    .max_in_flight(usize::from(WALLETS))
    .build();

    let started = tokio::time::Instant::now();
    let mut tasks = JoinSet::new();
    for seed in 1..=WALLETS {
        let pool = pool.clone();
        tasks.spawn(async move { pool.access_token(&seed).await.map(|_| ()) });
    }
    let mut failed = Vec::new();
    while let Some(done) = tasks.join_next().await {
        if let Err(e) = done.unwrap() {
            failed.push(e.to_string());
        }
    }
    let elapsed = started.elapsed();
    assert!(
        failed.is_empty(),
        "{failed:?} {:?} {:?}",
        sb.egress_counts(),
        elapsed
    );

    let counters = sb.counters();
    assert_eq!(counters.pump_logins, u64::from(WALLETS), "{counters:?}");
    assert_eq!(counters.pump_login_refusals, 0, "{counters:?}");
    assert_eq!(
        (counters.faults_429, counters.rate_limit_429),
        (0, 0),
        "{counters:?}"
    );
    assert_eq!(pool.stats().logins, u64::from(WALLETS));
    // Each egress was seen from its own address, with its share and no 429.
    let egresses = sb.egress_counts();
    assert_eq!(egresses.len(), usize::from(EGRESSES), "{egresses:?}");
    for (i, egress) in egresses.iter().enumerate() {
        let i = u8::try_from(i).unwrap();
        assert_eq!(egress.ip, Some(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2 + i))));
        assert_eq!((egress.allowed, egress.refused_429), (50, 0), "{egress:?}");
    }
    // The minimum the limit allows: the sandbox counts 20 a second in a sliding window,
    // so 50 logins per egress need three windows' worth: 20 at once, 20 a second later,
    // the last 10 a second after that: 2 s.
    let per_egress = u32::from(WALLETS / EGRESSES);
    let minimum = window * (per_egress.div_ceil(PER_SECOND) - 1);
    eprintln!("200 logins through 4 egresses in {elapsed:?} (minimum {minimum:?})");
    assert!(
        elapsed <= minimum.mul_f64(1.2),
        "{elapsed:?} > 1.2 x {minimum:?}"
    );
    // Paced, not lucky: no egress sent more than 20 in any window, so the last 10 of each
    // left at least two windows after the first.
    assert!(elapsed >= minimum, "{elapsed:?}");
}

/// A fleet: four budgets (as four processes would have) on one egress share their slots
/// through Redis, and together stay under the egress's limit.
#[cfg(feature = "redis")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_budgets_sharing_redis_stay_under_one_egress_limit() {
    use auth_store::RedisRateLimiter;
    use auth_test_support::redis::RedisServer;

    const FLEET: usize = 4;
    const EACH: u8 = 10;
    let server = RedisServer::start();
    let sb = Sandbox::start(
        SandboxConfig::default().with_egress_rate_limit(PER_SECOND, Duration::from_secs(1)),
    )
    .await
    .unwrap();
    let local = Ipv4Addr::new(127, 0, 0, 2);
    let mut tasks = JoinSet::new();
    let started = tokio::time::Instant::now();
    for process in 0..FLEET {
        let limiter = Arc::new(RedisRateLimiter::new(&server.url(), "auth:budget").unwrap());
        // Slots come from Redis; the margin absorbs how late a request may reach the
        // server after its slot (another process's requests are not in this one's guard).
        let budget = RateBudget::builder(local.to_string())
            .quota(Quota::per_second(PER_SECOND))
            .margin(Duration::from_millis(100))
            .shared(limiter)
            .build();
        let client = client_from(&sb, local, budget);
        for i in 0..EACH {
            let client = client.clone();
            let seed = u8::try_from(process).unwrap() * EACH + i + 1;
            tasks.spawn(async move {
                PumpAuthenticator::new(client, Arc::new(solana_keypair(seed)))
                    .login()
                    .await
                    .map(|_| ())
            });
        }
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap().unwrap();
    }
    let elapsed = started.elapsed();
    let counters = sb.counters();
    assert_eq!(counters.pump_logins, 40, "{counters:?}");
    assert_eq!(counters.rate_limit_429, 0, "{counters:?}");
    let egresses = sb.egress_counts();
    assert_eq!(egresses.len(), 1, "{egresses:?}");
    assert_eq!((egresses[0].allowed, egresses[0].refused_429), (40, 0));
    // Paced together: 39 slots of 55 ms, not four processes at 20 a second each.
    assert!(elapsed >= Duration::from_millis(39 * 55), "{elapsed:?}");
    eprintln!("a fleet of four budgets: 40 logins on one egress in {elapsed:?}");
}
