//! The reqwest middleware against the sandbox: a revocation in the middle of a burst costs
//! one renewal and no failed request, a streaming request gets its 401 back, and pump.fun
//! requests carry the `Origin`.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed
#![cfg(feature = "reqwest-middleware")]

mod support;

use std::sync::Arc;

use auth_http::{AuthorizeMiddleware, AuthorizeRequest, AuthorizedError};
use auth_sandbox::{Sandbox, SandboxConfig};
use auth_session::Session;
use auth_transport::{ReqwestTransport, TransportConfig};
use bytes::Bytes;
use http::{Extensions, StatusCode};
use reqwest_middleware::{ClientBuilder, ClientWithMiddleware, Middleware, Next};

use support::{
    BURST, Revoker, assert_burst_healed, burst_statuses, pear_session,
    pear_session_that_cannot_log_in, pear_tally, pump_session,
};

/// Below the authorizing middleware: lets a [`Revoker`] see each request as sent.
#[async_trait::async_trait]
impl Middleware for Revoker {
    async fn handle(
        &self,
        request: reqwest::Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        self.see(request.headers());
        next.run(request, extensions).await
    }
}

/// A reqwest client with the workspace's TLS set-up (reqwest is built without a default
/// crypto provider).
fn reqwest() -> reqwest::Client {
    ReqwestTransport::client_builder(&TransportConfig::default())
        .unwrap()
        .build()
        .unwrap()
}

/// The session's middleware over reqwest, with `below` (if any) between it and reqwest.
fn client<A: AuthorizeRequest>(
    session: &Session<A>,
    below: Option<Revoker>,
) -> ClientWithMiddleware {
    let builder = ClientBuilder::new(reqwest()).with(AuthorizeMiddleware::new(session.clone()));
    match below {
        Some(revoker) => builder.with(revoker).build(),
        None => builder.build(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_pear_token_revoked_during_a_burst_of_100_costs_one_renewal_and_no_failure() {
    let sb = Arc::new(Sandbox::start(SandboxConfig::default()).await.unwrap());
    let session = pear_session(&sb, 11);
    session.access_token().await.unwrap();
    let revoker = Revoker::new(sb.clone(), BURST / 2);
    let client = client(&session, Some(revoker.clone()));
    let url = format!("{}/sandbox/whoami", sb.pear_url());

    let statuses = burst_statuses(|| {
        let (client, url) = (client.clone(), url.clone());
        async move { client.get(url).send().await.unwrap().status() }
    })
    .await;

    let c = assert_burst_healed(&statuses, &revoker, &sb, 0);
    assert_eq!(c.pear_logins, 2, "the first login and one renewal: {c:?}");
    assert_eq!(c.pear_refreshes, 0);
    assert_eq!(c.refused_reuses, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streaming_request_gets_its_401_back_and_a_buffered_one_is_replayed() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let session = pear_session(&sb, 12);
    let first = session.access_token().await.unwrap();
    let client = client(&session, None);
    let url = format!("{}/sandbox/whoami", sb.pear_url());
    assert!(sb.revoke(first.expose_secret()));

    // A wrapped body is a stream to reqwest: it cannot be cloned, so it is not replayed.
    let streaming = reqwest::Body::wrap(http_body_util::Full::new(Bytes::new()));
    let response = client.get(&url).body(streaming).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(pear_tally(&sb), (1, 0, 1));

    // The session was told; the next token is revoked too, and a buffered request is
    // replayed with the one after it.
    let second = session.access_token().await.unwrap();
    assert_ne!(second, first);
    assert!(sb.revoke(second.expose_secret()));
    let response = client.get(&url).body("").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(pear_tally(&sb), (2, 1, 3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pump_requests_through_the_middleware_carry_the_origin() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let url = format!("{}/auth/my-profile", sb.pump_url());
    let bare = reqwest().get(&url).send().await.unwrap();
    assert_ne!(bare.status(), StatusCode::OK);

    let session = pump_session(&sb, 13);
    let response = client(&session, None).get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(sb.counters().protected_ok, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_that_cannot_log_in_is_a_middleware_error_naming_the_token() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let session = pear_session_that_cannot_log_in(&sb, 14);
    let err = client(&session, None)
        .get(format!("{}/sandbox/whoami", sb.pear_url()))
        .send()
        .await
        .unwrap_err();
    let reqwest_middleware::Error::Middleware(inner) = &err else {
        panic!("{err:?}");
    };
    let inner = inner
        .downcast_ref::<AuthorizedError<pear_auth::PearError, std::convert::Infallible>>()
        .unwrap();
    assert!(matches!(inner, AuthorizedError::Token { .. }), "{inner:?}");
    assert_eq!(sb.counters().protected_refused, 0, "nothing was sent");
}
