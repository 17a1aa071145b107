//! The tower layer against the sandbox, with hyper's client as the inner service: a
//! revocation in the middle of a burst costs one renewal and no failed request, a
//! streaming request gets its 401 back, and pump.fun requests carry the `Origin`.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed
#![cfg(feature = "tower")]

mod support;

use std::convert::Infallible;
use std::sync::Arc;
use std::task::{Context, Poll};

use auth_http::{AuthorizeLayer, AuthorizeRequest, AuthorizedError};
use auth_sandbox::{Sandbox, SandboxConfig};
use auth_session::Session;
use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Empty, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tower::{Layer, ServiceExt};
use tower_service::Service;

use support::{
    BURST, Revoker, assert_burst_healed, burst_statuses, pear_session,
    pear_session_that_cannot_log_in, pear_tally, pump_session,
};

/// An inner service that lets a [`Revoker`] see each request before hyper sends it.
#[derive(Clone)]
struct Revoking<S> {
    inner: S,
    revoker: Revoker,
}

impl<S, B> Service<Request<B>> for Revoking<S>
where
    S: Service<Request<B>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> S::Future {
        self.revoker.see(request.headers());
        self.inner.call(request)
    }
}

/// hyper's client for bodies of type `$body`.
macro_rules! hyper {
    ($body:ty) => {
        Client::builder(TokioExecutor::new()).build_http::<$body>()
    };
}

/// Sends `BURST` concurrent GETs of `url` through the layer, the server revoking the token
/// at the 50th; returns their statuses and what the revoker saw.
async fn burst<A>(session: &Session<A>, sb: Arc<Sandbox>, url: &str) -> (Vec<StatusCode>, Revoker)
where
    A: AuthorizeRequest,
{
    let revoker = Revoker::new(sb, BURST / 2);
    let client = AuthorizeLayer::new(session.clone()).layer(Revoking {
        inner: hyper!(Empty<Bytes>),
        revoker: revoker.clone(),
    });
    let statuses = burst_statuses(|| {
        let client = client.clone();
        let request = Request::get(url).body(Empty::new()).unwrap();
        async move { client.oneshot(request).await.unwrap().status() }
    })
    .await;
    (statuses, revoker)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_pear_token_revoked_during_a_burst_of_100_costs_one_renewal_and_no_failure() {
    let sb = Arc::new(Sandbox::start(SandboxConfig::default()).await.unwrap());
    let session = pear_session(&sb, 1);
    session.access_token().await.unwrap();
    let url = format!("{}/sandbox/whoami", sb.pear_url());

    let (statuses, revoker) = burst(&session, sb.clone(), &url).await;

    let c = assert_burst_healed(&statuses, &revoker, &sb, 0);
    assert_eq!(c.pear_logins, 2, "the first login and one renewal: {c:?}");
    assert_eq!(session.stats().renewals_for_401, 1);
    assert_eq!(
        c.pear_refreshes, 0,
        "the revoked session's refresh token is dead too"
    );
    assert_eq!(c.refused_reuses, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_pump_token_revoked_during_a_burst_of_100_costs_one_renewal_and_no_failure() {
    let sb = Arc::new(Sandbox::start(SandboxConfig::default()).await.unwrap());
    let session = pump_session(&sb, 1);
    session.access_token().await.unwrap();
    let url = format!("{}/auth/my-profile", sb.pump_url());

    let (statuses, revoker) = burst(&session, sb.clone(), &url).await;

    // pump.fun's session checks the refused token once (my-profile, refused: dead).
    let c = assert_burst_healed(&statuses, &revoker, &sb, 1);
    assert_eq!(c.pump_logins, 2, "the first login and one renewal: {c:?}");
    let stats = session.stats();
    assert_eq!(stats.renewals_for_401, 1, "{stats:?}");
    assert_eq!(stats.refusals_not_confirmed, 0, "{stats:?}");
    assert_eq!(stats.refusal_checks_failed, 0, "{stats:?}");
    assert_eq!(stats.refusals_passed_through, 0, "{stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pump_requests_through_the_layer_carry_the_origin_and_a_sensitive_bearer() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let session = pump_session(&sb, 2);
    let url = format!("{}/auth/my-profile", sb.pump_url());

    // Without the layer, pump.fun's API refuses the request: no Origin, no token.
    let bare = hyper!(Empty<Bytes>)
        .request(Request::get(&url).body(Empty::new()).unwrap())
        .await
        .unwrap();
    assert_ne!(bare.status(), StatusCode::OK);

    // Through the layer, the server sees both; a probe below the layer sees them too.
    let seen = Arc::new(std::sync::Mutex::new(None));
    let probe = {
        let seen = seen.clone();
        tower::service_fn(move |request: Request<Empty<Bytes>>| {
            *seen.lock().unwrap() = Some(request.headers().clone());
            hyper!(Empty<Bytes>).request(request)
        })
    };
    let client = AuthorizeLayer::new(session.clone()).layer(probe);
    let response = client
        .oneshot(Request::get(&url).body(Empty::new()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert!(!body.is_empty());

    let headers = seen.lock().unwrap().take().unwrap();
    assert_eq!(headers[http::header::ORIGIN], "https://pump.fun");
    let token = session.access_token().await.unwrap();
    assert_eq!(
        headers[http::header::AUTHORIZATION],
        format!("Bearer {}", token.expose_secret()).as_str()
    );
    assert!(headers[http::header::AUTHORIZATION].is_sensitive());
    assert_eq!(
        headers[http::header::COOKIE],
        format!("auth_token={}", token.expose_secret()).as_str()
    );
    assert!(headers[http::header::COOKIE].is_sensitive());
    assert!(!format!("{headers:?}").contains(token.expose_secret()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streaming_request_gets_its_401_back_and_the_next_request_a_renewed_token() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let session = pear_session(&sb, 3);
    let old = session.access_token().await.unwrap();
    let url = format!("{}/sandbox/whoami", sb.pear_url());
    assert!(sb.revoke(old.expose_secret()));

    // A boxed body may stream: it is not replayed.
    let client = AuthorizeLayer::new(session.clone()).layer(hyper!(BoxBody<Bytes, Infallible>));
    let streaming = Request::get(&url)
        .body(Full::new(Bytes::new()).boxed())
        .unwrap();
    let response = client.clone().oneshot(streaming).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(pear_tally(&sb), (1, 0, 1));

    // The session was told: the next request carries a new token, and succeeds.
    let next = Request::get(&url)
        .body(Full::new(Bytes::new()).boxed())
        .unwrap();
    assert!(!format!("{client:?}").contains(old.expose_secret()));
    assert_eq!(client.oneshot(next).await.unwrap().status(), StatusCode::OK);
    let new = session.access_token().await.unwrap();
    assert_ne!(new, old);
    assert!(!format!("{session:?}").contains(new.expose_secret()));
    assert_eq!(pear_tally(&sb), (1, 1, 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_that_cannot_log_in_is_a_token_error_and_nothing_is_sent() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let session = pear_session_that_cannot_log_in(&sb, 4);
    let sent = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let inner = {
        let sent = sent.clone();
        tower::service_fn(move |_: Request<Empty<Bytes>>| {
            sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            std::future::ready(Ok::<_, Infallible>(Response::new(Empty::<Bytes>::new())))
        })
    };
    let url = format!("{}/sandbox/whoami", sb.pear_url());
    let err = AuthorizeLayer::new(session)
        .layer(inner)
        .oneshot(Request::get(&url).body(Empty::new()).unwrap())
        .await
        .unwrap_err();
    assert!(matches!(err, AuthorizedError::Token { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("no access token for the request")
    );
    assert_eq!(sent.load(std::sync::atomic::Ordering::SeqCst), 0);
}

#[test]
fn the_layer_and_its_service_are_send_sync_and_errors_are_errors() {
    fn send_sync<T: Send + Sync>() {}
    fn error<T: std::error::Error + Send + Sync + 'static>() {}
    send_sync::<AuthorizeLayer<pear_auth::PearAuthenticator>>();
    send_sync::<AuthorizeLayer<pump_auth::PumpAuthenticator>>();
    send_sync::<
        auth_http::AuthorizeService<
            Client<hyper_util::client::legacy::connect::HttpConnector, Empty<Bytes>>,
            pear_auth::PearAuthenticator,
        >,
    >();
    error::<AuthorizedError<pear_auth::PearError, hyper_util::client::legacy::Error>>();
    error::<AuthorizedError<pump_auth::PumpError, Infallible>>();
}
