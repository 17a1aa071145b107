//! One test per row of `../shared/spec/WIRE.md` (Pear Protocol) that the client touches,
//! through the client, against the sandbox serving what that page says. Each test is
//! named after its row.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_test_support::keys::eth_signer;
use auth_test_support::sandbox::whoami;
use auth_types::PrivyAccessToken;
use pear_auth::PearFailure;
use pear_auth::{
    ApiError, DEFAULT_CHAIN_ID, DEFAULT_VERIFYING_CONTRACT, Failure, PearClient, PearError,
};

async fn sandbox(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config).await.unwrap()
}

fn client(sb: &Sandbox) -> pear_auth::PearClientBuilder {
    PearClient::builder().base_url(sb.pear_url())
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test]
async fn row_get_eip712_message() {
    let sb = sandbox(SandboxConfig::default()).await;
    let pear = client(&sb).build().unwrap();
    let signer = eth_signer(1);
    let message = pear.eip712_message(&signer.address()).await.unwrap();
    let document = message.to_json();
    assert_eq!(document["domain"]["name"], "Pear Protocol");
    assert_eq!(document["domain"]["version"], "1");
    assert_eq!(document["domain"]["chainId"], DEFAULT_CHAIN_ID);
    assert_eq!(
        document["domain"]["verifyingContract"],
        DEFAULT_VERIFYING_CONTRACT
    );
    assert_eq!(
        document["message"]["address"],
        signer.address().to_lowercase_hex()
    );
    // Unix seconds, not milliseconds.
    assert!(unix_now().abs_diff(message.timestamp()) <= 5);
}

#[tokio::test]
async fn row_message_request_without_client_id() {
    // Pear serves a message without clientId when none is asked for, and no login can use
    // it: the client never asks without one.
    let sb = sandbox(SandboxConfig::default()).await;
    let err = client(&sb).client_id("").build().unwrap_err();
    assert!(
        matches!(
            err,
            PearError::Api(ApiError::Config {
                setting: "client_id",
                ..
            })
        ),
        "{err:?}"
    );
    assert_eq!(sb.counters().pear_messages, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row_login_timestamps_are_single_use() {
    let sb = sandbox(SandboxConfig::default()).await;
    let signer = Arc::new(eth_signer(2));
    // Two processes of one wallet at the same moment: both log in.
    let logins: Vec<_> = (0..2)
        .map(|_| {
            let pear = client(&sb).build().unwrap();
            let signer = signer.clone();
            tokio::spawn(async move { pear.login_eip712(signer.as_ref()).await })
        })
        .collect();
    for login in logins {
        login.await.unwrap().unwrap();
    }
    let c = sb.counters();
    assert_eq!(c.pear_logins, 2, "{c:?}");
    // Replaying a signed login by hand is refused with Pear's words (another wallet,
    // whose timestamps are still unused).
    let signer = eth_signer(12);
    let pear = client(&sb).build().unwrap();
    let message = pear.eip712_message(&signer.address()).await.unwrap();
    let signature = signer
        .sign_hash(&message.typed_data().signing_hash())
        .unwrap();
    pear.login_eip712_signed(&signer.address(), &message, &signature)
        .await
        .unwrap();
    let err = pear
        .login_eip712_signed(&signer.address(), &message, &signature)
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert!(err.to_string().contains("Timestamp already used"), "{err}");
}

#[tokio::test]
async fn row_login_body_with_optional_chain_id() {
    let sb = sandbox(SandboxConfig::default()).await;
    let pear = client(&sb).login_chain_id(42161).build().unwrap();
    let tokens = pear.login_eip712(&eth_signer(3)).await.unwrap();
    assert_eq!(whoami(&sb, &tokens.access_token).await, 200);
}

#[tokio::test]
async fn row_api_key_login() {
    let sb = sandbox(SandboxConfig::default()).await;
    let signer = eth_signer(4);
    let key = sb.issue_api_key(signer.address());
    let pear = client(&sb).build().unwrap();
    let tokens = pear.login_api_key(&signer.address(), &key).await.unwrap();
    assert_eq!(tokens.address, Some(signer.address()));
    assert_eq!(whoami(&sb, &tokens.access_token).await, 200);
}

#[tokio::test]
async fn row_privy_access_token_login() {
    let signer = eth_signer(5);
    let sb = sandbox(SandboxConfig::default().with_privy_token(
        "app-9",
        "privy-token",
        signer.address(),
    ))
    .await;
    let pear = client(&sb).build().unwrap();
    let tokens = pear
        .login_privy(
            &signer.address(),
            "app-9",
            &PrivyAccessToken::new("privy-token"),
        )
        .await
        .unwrap();
    assert_eq!(whoami(&sb, &tokens.access_token).await, 200);
    let err = pear
        .login_privy(
            &signer.address(),
            "app-9",
            &PrivyAccessToken::new("someone-elses"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
}

#[tokio::test]
async fn row_token_answers() {
    // expiresIn has been 900 and 3600: it is read, never assumed.
    let sb =
        sandbox(SandboxConfig::default().with_access_token_ttl(Duration::from_secs(3600))).await;
    let pear = client(&sb).client_id("HLHackathon1").build().unwrap();
    let signer = eth_signer(6);
    let login = pear.login_eip712(&signer).await.unwrap();
    assert_eq!(login.token_type, "Bearer");
    assert_eq!(login.expires_in, Duration::from_secs(3600));
    assert_eq!(login.address, Some(signer.address()));
    assert_eq!(login.client_id.as_deref(), Some("HLHackathon1"));
    // The refresh answer has no address or clientId, and rotates the refresh token.
    let refreshed = pear.refresh(&login.refresh_token).await.unwrap();
    assert_eq!(refreshed.expires_in, Duration::from_secs(3600));
    assert_eq!(refreshed.address, None);
    assert_ne!(
        refreshed.refresh_token.expose_secret(),
        login.refresh_token.expose_secret()
    );
    let err = pear.refresh(&login.refresh_token).await.unwrap_err();
    assert!(
        matches!(
            err,
            PearError::Provider(PearFailure::RefreshRejected { .. })
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn row_logout() {
    let sb = sandbox(SandboxConfig::default()).await;
    let pear = client(&sb).build().unwrap();
    let tokens = pear.login_eip712(&eth_signer(7)).await.unwrap();
    pear.logout(&tokens.refresh_token).await.unwrap();
    assert_eq!(sb.counters().pear_logouts, 1);
    assert_eq!(whoami(&sb, &tokens.access_token).await, 401);
}

#[tokio::test]
async fn row_post_api_keys() {
    let sb = sandbox(SandboxConfig::default()).await;
    let pear = client(&sb).build().unwrap();
    let signer = eth_signer(8);
    let tokens = pear.login_eip712(&signer).await.unwrap();
    let created = pear
        .create_api_key(&tokens.access_token, Some("bot"))
        .await
        .unwrap();
    assert_eq!(created.name.as_deref(), Some("bot"));
    // The key is shown once, and it logs in.
    pear.login_api_key(&signer.address(), &created.api_key)
        .await
        .unwrap();
}

#[tokio::test]
async fn row_get_api_keys() {
    let sb = sandbox(SandboxConfig::default()).await;
    let pear = client(&sb).build().unwrap();
    let signer = eth_signer(9);
    let tokens = pear.login_eip712(&signer).await.unwrap();
    let used = pear
        .create_api_key(&tokens.access_token, Some("used"))
        .await
        .unwrap();
    pear.create_api_key(&tokens.access_token, None)
        .await
        .unwrap();
    pear.login_api_key(&signer.address(), &used.api_key)
        .await
        .unwrap();
    let mut keys = pear.list_api_keys(&tokens.access_token).await.unwrap();
    keys.sort_by_key(|k| k.name.is_none());
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0].name.as_deref(), Some("used"));
    assert_eq!(keys[0].is_active, Some(true));
    assert!(keys[0].last_used_at.as_ref().is_some_and(|v| v.is_string()));
    assert_eq!(keys[1].name, None);
    assert_eq!(keys[1].last_used_at, None);
    assert!(
        keys.iter()
            .all(|k| k.id.is_some() && k.created_at.is_some())
    );
}

#[tokio::test]
async fn row_errors_are_nest_bodies() {
    let sb = sandbox(SandboxConfig::default()).await;
    let pear = client(&sb).build().unwrap();
    let err = pear
        .create_api_key(&auth_types::AccessToken::new("eyJ.not.live"), None)
        .await
        .unwrap_err();
    match &err {
        PearError::Api(ApiError::Refused {
            status, message, ..
        }) => {
            assert_eq!(status.as_u16(), 401);
            assert_eq!(message, "Unauthorized");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn row_limits() {
    let sb = sandbox(SandboxConfig::default().with_rate_limit(1, Duration::from_secs(60))).await;
    let pear = client(&sb).build().unwrap();
    let address = eth_signer(10).address();
    pear.eip712_message(&address).await.unwrap();
    let err = pear.eip712_message(&address).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert!(err.is_transient());
    assert!(err.retry_after().is_some_and(|d| d > Duration::ZERO));
}

#[tokio::test]
async fn row_client_ids() {
    let sb = sandbox(SandboxConfig::default()).await;
    for id in [
        "APITRADER",
        "HLHackathon7",
        "PEARPROTOCOLUI",
        "phantom-exchange",
    ] {
        let pear = client(&sb).client_id(id).build().unwrap();
        let tokens = pear.login_eip712(&eth_signer(11)).await.unwrap();
        assert_eq!(tokens.client_id.as_deref(), Some(id));
    }
    // Every JSON POST carried Accept.
    assert_eq!(sb.counters().json_posts_without_accept, 0);
}
