//! Sessions over the sandbox's SIWE and SIWS backends, through `auth_http`'s tower layer
//! (hyper's client inside): the cookie or the bearer token goes on every request, and a
//! session the backend ended heals with one new sign-in.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::sync::Arc;

use auth_http::AuthorizeLayer;
use auth_sandbox::{Sandbox, SandboxConfig};
use auth_session::Session;
use auth_test_support::keys::{eth_signer, solana_keypair};
use auth_transport::HttpTransport;
use auth_transport::http::{Request, StatusCode};
use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use siwx_auth::{Preset, SiweClient, SiwsClient, SiwxAuthenticator, SiwxClient, Standard};
use tower::{Layer, ServiceExt};

/// `GET path` through the layer over `session`; the status and body.
async fn get_through_layer<S: Standard>(
    session: &Session<SiwxAuthenticator<S>>,
    client: &SiwxClient<S>,
    path: &str,
) -> (StatusCode, String)
where
    SiwxAuthenticator<S>: auth_http::AuthorizeRequest,
{
    let service = AuthorizeLayer::new(session.clone())
        .layer(Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>());
    let request = Request::get(format!("{}{path}", client.base_url()))
        .body(Empty::new())
        .unwrap();
    let response = service.oneshot(request).await.unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn a_siwe_cookie_session_through_the_layer_heals_a_revoked_cookie() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let client = SiweClient::builder(sb.siwe_url())
        .logout_path("/logout")
        .build()
        .unwrap();
    let wallet = eth_signer(5);
    let session =
        Session::builder(SiwxAuthenticator::new(client.clone(), Arc::new(wallet))).build();
    let (status, body) = get_through_layer(&session, &client, "/personal_information").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cookie = session.access_token().await.unwrap();
    assert!(
        sb.revoke(cookie.expose_secret()),
        "the sandbox knows the cookie"
    );
    let (status, body) = get_through_layer(&session, &client, "/personal_information").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "one new sign-in heals the 401: {body}"
    );
    let renewed = session.access_token().await.unwrap();
    assert_ne!(renewed.expose_secret(), cookie.expose_secret());
    session.logout().await.unwrap();
    let (status, _) = get_through_layer(&session, &client, "/personal_information").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a logged-out session signs in again on use"
    );
}

#[tokio::test]
async fn a_siws_token_session_through_the_layer_refreshes_and_logs_out() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let client = SiwsClient::builder(sb.siws_url())
        .preset(Preset::TokenApi)
        .build()
        .unwrap();
    let wallet = solana_keypair(6);
    let address = wallet.pubkey().to_base58();
    let session =
        Session::builder(SiwxAuthenticator::new(client.clone(), Arc::new(wallet))).build();
    let (status, body) = get_through_layer(&session, &client, "/me").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains(&address), "{body}");
    let token = session.access_token().await.unwrap();
    assert!(sb.revoke(token.expose_secret()));
    let (status, _) = get_through_layer(&session, &client, "/me").await;
    assert_eq!(status, StatusCode::OK, "healed by a refresh or a sign-in");
    let live = session.access_token().await.unwrap();
    session.logout().await.unwrap();
    let mut request = Request::get(format!("{}/me", client.base_url()))
        .body(Bytes::new())
        .unwrap();
    client.authorize(&mut request, &live).unwrap();
    let answer = auth_test_support::transport::reqwest()
        .send(request)
        .await
        .unwrap();
    assert_eq!(
        answer.status(),
        StatusCode::UNAUTHORIZED,
        "logout ended it at the backend"
    );
}

#[tokio::test]
async fn a_siwe_token_session_through_the_layer() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let client = SiweClient::builder(sb.siwe_url())
        .preset(Preset::TokenApi)
        .build()
        .unwrap();
    let session = Session::builder(SiwxAuthenticator::new(
        client.clone(),
        Arc::new(eth_signer(7)),
    ))
    .build();
    for _ in 0..3 {
        let (status, body) = get_through_layer(&session, &client, "/me").await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    assert_eq!(
        session.stats().logins,
        1,
        "one sign-in serves every request"
    );
}

#[tokio::test]
async fn a_siws_cookie_session_through_the_layer() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let client = SiwsClient::builder(sb.siws_url()).build().unwrap();
    let session = Session::builder(SiwxAuthenticator::new(
        client.clone(),
        Arc::new(solana_keypair(8)),
    ))
    .build();
    let (status, body) = get_through_layer(&session, &client, "/personal_information").await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
