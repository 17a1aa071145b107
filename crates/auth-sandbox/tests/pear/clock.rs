//! A sandbox whose clock is off the host's: the message's timestamp, the tokens' times and
//! every answer's `Date` (refusals and injected faults included) are on its clock.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use auth_sandbox::{Faults, Sandbox, SandboxConfig};
use auth_transport::http::Method;

use crate::common::send;

fn host_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The `Date` header's unix seconds.
fn date_secs(reply: &crate::common::Reply) -> i64 {
    let text = reply.headers.get("date").unwrap().to_str().unwrap();
    httpdate::parse_http_date(text)
        .unwrap()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn assert_near(value: i64, expected: i64) {
    assert!((value - expected).abs() <= 5, "{value} vs {expected}");
}

#[tokio::test]
async fn every_time_and_every_date_is_on_the_offset_clock() {
    for offset in [600i64, -600] {
        let config = SandboxConfig::default();
        let config = if offset > 0 {
            config.with_clock_ahead(Duration::from_secs(600))
        } else {
            config.with_clock_behind(Duration::from_secs(600))
        };
        let sb = Sandbox::start(config).await.unwrap();
        let url = format!(
            "{}/auth/eip712-message?address=0x{}&clientId=APITRADER",
            sb.pear_url(),
            "11".repeat(20)
        );
        let message = send(Method::GET, &url, None, &[]).await.unwrap();
        assert_eq!(message.status, 200, "{}", message.text);
        assert_near(date_secs(&message), host_secs() + offset);
        assert_near(
            message.body["timestamp"].as_i64().unwrap(),
            host_secs() + offset,
        );
        // A refusal and an unknown path are dated by the same clock.
        let refused = send(
            Method::GET,
            &format!("{}/auth/eip712-message", sb.pear_url()),
            None,
            &[],
        )
        .await
        .unwrap();
        assert!(refused.status.is_client_error());
        assert_near(date_secs(&refused), host_secs() + offset);
        let missing = send(
            Method::GET,
            &format!("{}/nowhere", sb.pump_url()),
            None,
            &[],
        )
        .await
        .unwrap();
        assert_near(date_secs(&missing), host_secs() + offset);
        // So is an injected fault.
        sb.set_faults(Faults::none().with_rate_limited(1.0));
        let limited = send(Method::GET, &url, None, &[]).await.unwrap();
        assert_eq!(limited.status, 429);
        assert_near(date_secs(&limited), host_secs() + offset);
    }
}

#[tokio::test]
async fn a_sandbox_on_the_hosts_clock_dates_its_answers_by_it() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let reply = send(
        Method::GET,
        &format!("{}/nowhere", sb.siwe_url()),
        None,
        &[],
    )
    .await
    .unwrap();
    assert_near(date_secs(&reply), host_secs());
}
