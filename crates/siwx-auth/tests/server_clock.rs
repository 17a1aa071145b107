//! SIWE and SIWS logins against a sandbox whose clock is 10 minutes ahead of or behind the
//! host's: the nonce's answer teaches the client the server's clock, so `Issued At` and
//! `Expiration Time` are on it and no login is refused.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::time::Duration;

use auth_sandbox::{Sandbox, SandboxConfig, SiweApi, SiwsApi};
use auth_test_support::keys::{eth_signer, solana_keypair};
use siwx_auth::{Preset, ServerClock, SiweClient, SiwsClient};

const TEN_MINUTES: Duration = Duration::from_secs(600);

async fn sandbox(ahead: bool) -> Sandbox {
    let config = SandboxConfig::default();
    Sandbox::start(if ahead {
        config.with_clock_ahead(TEN_MINUTES)
    } else {
        config.with_clock_behind(TEN_MINUTES)
    })
    .await
    .unwrap()
}

/// A count of the sandbox's API `name`.
fn count(sb: &Sandbox, name: &str, counter: &str) -> u64 {
    sb.api_counts(name)
        .into_iter()
        .find(|(n, _)| *n == counter)
        .map(|(_, v)| v)
        .unwrap()
}

fn assert_learned(offset: i64, ahead: bool) {
    let expected: i64 = if ahead { 600_000 } else { -600_000 };
    assert!(
        offset.abs_diff(expected) <= 1_500,
        "learned {offset} ms, the sandbox is {expected} ms off"
    );
}

#[tokio::test]
async fn siwe_and_siws_logins_on_the_servers_clock() {
    for ahead in [true, false] {
        let sb = sandbox(ahead).await;
        let siwe = SiweClient::builder(sb.siwe_url())
            .preset(Preset::TokenApi)
            .build()
            .unwrap();
        let login = siwe.login(&eth_signer(50)).await.unwrap();
        assert_learned(siwe.server_clock().offset_millis(), ahead);
        // The token's lifetime is read on the server's clock.
        let left = login.expires_in.unwrap();
        assert!(left <= Duration::from_secs(900), "{left:?}");
        siwe.refresh(login.refresh_token.as_ref().unwrap())
            .await
            .unwrap();
        let siws = SiwsClient::builder(sb.siws_url()).build().unwrap();
        siws.login(&solana_keypair(51)).await.unwrap();
        assert_learned(siws.server_clock().offset_millis(), ahead);
        for api in [SiweApi::NAME, SiwsApi::NAME] {
            assert_eq!(count(&sb, api, "logins"), 1, "{api}");
            assert_eq!(count(&sb, api, "refused"), 0, "{api}");
        }
    }
}

/// The control: with the local clock kept as it is, the sandbox refuses the message.
#[tokio::test]
async fn a_client_that_keeps_its_own_clock_is_refused() {
    let sb = sandbox(false).await;
    let siwe = SiweClient::builder(sb.siwe_url())
        .server_clock(ServerClock::fixed(auth_types::SystemClock))
        .build()
        .unwrap();
    siwe.login(&eth_signer(52)).await.unwrap_err();
    assert_eq!(count(&sb, SiweApi::NAME, "refused"), 1);
}
