//! Logging in to the sandbox's SIWE and SIWS backends in both session modes (a cookie,
//! and bearer tokens with a rotating refresh token), over both transports, and what the
//! backend then says about the session.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_test_support::keys::{eth_signer, solana_keypair};
use auth_test_support::transport::Make;
use auth_transport::HttpTransport;
use auth_transport::http::{Method, Request, StatusCode};
use auth_types::AccessToken;
use bytes::Bytes;
use siwx_auth::{
    FailureKind, Preset, ProviderError, SiweClient, SiwsClient, SiwxClient, SiwxFailure, Standard,
};

auth_test_support::both_backends!(
    siwe_cookie_session,
    siwe_token_session,
    siws_cookie_session,
    siws_token_session,
);

/// `GET path` at `client`'s backend, authorized with `session`; the status and body.
async fn authorized_get<S: Standard>(
    client: &SiwxClient<S>,
    make: Make,
    path: &str,
    session: &AccessToken,
) -> (StatusCode, String) {
    let mut request = Request::builder()
        .method(Method::GET)
        .uri(format!("{}{path}", client.base_url()))
        .body(Bytes::new())
        .unwrap();
    client.authorize(&mut request, session).unwrap();
    let response = make().send(request).await.unwrap();
    let status = response.status();
    (
        status,
        String::from_utf8_lossy(response.body()).into_owned(),
    )
}

async fn siwe_cookie_session(make: Make) {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let wallet = eth_signer(1);
    let client = SiweClient::builder(sb.siwe_url())
        .shared_transport(make())
        .logout_path("/logout")
        .build()
        .unwrap();
    let login = client.login(&wallet).await.unwrap();
    assert!(login.refresh_token.is_none());
    assert!(
        login.expires_in.is_some(),
        "the cookie's Max-Age is its lifetime"
    );
    let (status, body) = authorized_get(&client, make, "/personal_information", &login.token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body.contains(&wallet.address().to_checksum())
            || body
                .to_lowercase()
                .contains(&wallet.address().to_lowercase_hex()),
        "{body}"
    );
    client.logout(&login.token, None).await.unwrap();
    let (status, _) = authorized_get(&client, make, "/personal_information", &login.token).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the cookie is dead after logout"
    );
}

async fn siwe_token_session(make: Make) {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let wallet = eth_signer(2);
    let client = SiweClient::builder(sb.siwe_url())
        .shared_transport(make())
        .preset(Preset::TokenApi)
        .build()
        .unwrap();
    let login = client.login(&wallet).await.unwrap();
    let (status, body) = authorized_get(&client, make, "/me", &login.token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let refresh = login.refresh_token.clone().expect("a refresh token");
    let fresh = client.refresh(&refresh).await.unwrap();
    let again = client.refresh(&refresh).await.unwrap_err();
    assert!(
        matches!(
            again,
            ProviderError::Provider(SiwxFailure::RefreshRejected { .. })
        ),
        "{again:?}"
    );
    assert_eq!(
        siwx_auth::Failure::kind(&again),
        FailureKind::RefreshRejected
    );
    let (status, _) = authorized_get(&client, make, "/me", &fresh.token).await;
    assert_eq!(status, StatusCode::OK);
    client
        .logout(&fresh.token, fresh.refresh_token.as_ref())
        .await
        .unwrap();
    let (status, _) = authorized_get(&client, make, "/me", &fresh.token).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the token is dead after logout"
    );
    assert!(
        client
            .refresh(fresh.refresh_token.as_ref().unwrap())
            .await
            .is_err()
    );
}

async fn siws_cookie_session(make: Make) {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let wallet = solana_keypair(3);
    let client = SiwsClient::builder(sb.siws_url())
        .shared_transport(make())
        .logout_path("/logout")
        .build()
        .unwrap();
    let login = client.login(&wallet).await.unwrap();
    let (status, body) = authorized_get(&client, make, "/personal_information", &login.token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains(&wallet.pubkey().to_base58()), "{body}");
    client.logout(&login.token, None).await.unwrap();
    let (status, _) = authorized_get(&client, make, "/personal_information", &login.token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn siws_token_session(make: Make) {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let wallet = solana_keypair(4);
    let client = SiwsClient::builder(sb.siws_url())
        .shared_transport(make())
        .preset(Preset::TokenApi)
        .build()
        .unwrap();
    let login = client.login(&wallet).await.unwrap();
    let (status, body) = authorized_get(&client, make, "/me", &login.token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains(&wallet.pubkey().to_base58()), "{body}");
    let fresh = client
        .refresh(login.refresh_token.as_ref().unwrap())
        .await
        .unwrap();
    client
        .logout(&fresh.token, fresh.refresh_token.as_ref())
        .await
        .unwrap();
    let (status, _) = authorized_get(&client, make, "/me", &fresh.token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
