//! pump.fun behind Cloudflare: an address that sends more than the edge allows gets a 403
//! HTML page, not the API's answer (WIRE.md). The client reads it as a reason to slow down
//! (transient, the host held), never as a refusal of the wallet's credentials.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::time::Duration;

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_test_support::keys::solana_keypair as keypair;
use pump_auth::{ApiError, Failure as _, PumpClient, RateBudget};

#[tokio::test]
async fn a_cloudflare_block_page_is_a_reason_to_slow_down_not_a_refusal() {
    // The edge allows one request in 5 s from an address, and blocks with a page.
    let sb = Sandbox::start(
        SandboxConfig::default()
            .with_egress_rate_limit(1, Duration::from_secs(5))
            .with_egress_block_page(),
    )
    .await
    .unwrap();
    // A budget that may hold a request at most 1 s; pump.fun's known quota (1 a second)
    // is looser than this edge.
    let pump = PumpClient::builder()
        .base_url(sb.pump_url())
        .rate_budget(
            RateBudget::builder("e")
                .max_wait(Duration::from_secs(1))
                .build(),
        )
        .build()
        .unwrap();
    pump.login(&keypair(81)).await.unwrap();

    let err = pump.login(&keypair(82)).await.unwrap_err();
    let api = err.api_error().unwrap();
    assert!(matches!(api, ApiError::Blocked { .. }), "{err:?}");
    assert!(err.is_transient(), "{err}");
    assert!(!api.is_unauthorized(), "{err}");
    assert_eq!(err.retry_after(), Some(pump_auth::EDGE_BLOCK_HOLD));
    let text = err.to_string();
    assert!(text.contains("blocked") && text.contains("403"), "{text}");
    // No HTML in the message.
    assert!(!text.contains('<'), "{text}");
    let counters = sb.counters();
    assert_eq!((counters.pump_logins, counters.edge_blocks), (1, 1));

    // The page held the host for 10 s: the next request is not sent; past the budget's
    // longest wait (1 s) it fails at once, over budget.
    let started = std::time::Instant::now();
    let held = pump.login(&keypair(83)).await.unwrap_err();
    // (Not a speed check: waiting out the hold would take 10 s.)
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(held.api_error(), Some(ApiError::OverBudget { .. })),
        "{held:?}"
    );
    assert_eq!(
        sb.counters().edge_blocks,
        1,
        "a held request reached the edge"
    );
}
