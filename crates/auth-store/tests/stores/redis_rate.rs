//! The shared rate limiter against a real `redis-server`: limiters on separate
//! connections (as separate processes would be) take one slot after another on one key.

use std::time::Duration;

use auth_store::RedisRateLimiter;
use auth_test_support::redis::RedisServer;
use auth_types::{SharedRateLimiter, SharedReservation};
use tokio::time::Instant;

const LIMITERS: usize = 4;
const EACH: usize = 10;
const INTERVAL: Duration = Duration::from_millis(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limiters_on_one_key_share_its_pace() {
    let server = RedisServer::start();
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..LIMITERS {
        let limiter = RedisRateLimiter::new(&server.url(), "auth:budget").unwrap();
        tasks.spawn(async move {
            let mut due = Vec::new();
            for _ in 0..EACH {
                match limiter
                    .reserve("egress-1|pump.test", INTERVAL, Duration::from_secs(60))
                    .await
                    .unwrap()
                {
                    SharedReservation::Granted { wait } => due.push(Instant::now() + wait),
                    other => panic!("refused: {other:?}"),
                }
            }
            due
        });
    }
    let mut due = Vec::new();
    while let Some(mine) = tasks.join_next().await {
        due.extend(mine.unwrap());
    }
    due.sort();
    assert_eq!(due.len(), LIMITERS * EACH);
    // One slot after another, whoever asked: consecutive slots an interval apart (less
    // the little the answers' travel times differ).
    for pair in due.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(gap + Duration::from_millis(5) >= INTERVAL, "{gap:?}");
    }
    let span = due[due.len() - 1] - started;
    assert!(span + Duration::from_millis(5) >= INTERVAL * 39, "{span:?}");

    // Another key has its own pace; a slot further than the longest wait is refused and
    // takes nothing.
    let limiter = RedisRateLimiter::new(&server.url(), "auth:budget").unwrap();
    assert_eq!(
        limiter
            .reserve("egress-2|pump.test", INTERVAL, Duration::ZERO)
            .await
            .unwrap(),
        SharedReservation::Granted {
            wait: Duration::ZERO
        }
    );
    let refused = limiter
        .reserve("egress-1|pump.test", INTERVAL, Duration::from_millis(1))
        .await
        .unwrap();
    assert!(
        matches!(refused, SharedReservation::TooLong { retry_after } if retry_after > INTERVAL * 20),
        "{refused:?}"
    );
    let granted = limiter
        .reserve("egress-1|pump.test", INTERVAL, Duration::from_secs(60))
        .await
        .unwrap();
    let SharedReservation::Granted { wait } = granted else {
        panic!("{granted:?}");
    };
    // The refused one took no slot: this one is the next after the forty.
    let last = due[due.len() - 1];
    let mine = Instant::now() + wait;
    assert!(
        mine >= last + INTERVAL - Duration::from_millis(5),
        "{:?}",
        mine - last
    );
    assert!(mine <= last + INTERVAL * 2, "{:?}", mine - last);
}
