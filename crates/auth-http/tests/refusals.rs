//! A 401 is evidence, not a verdict (issue 24): through the tower layer against the
//! sandbox, an endpoint that refuses every request with a live token costs at most the
//! session's cap of renewals, never a request without a token; pump.fun's session checks a
//! refused token before it logs in (a login rotates the wallet's token for every holder).

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed
#![cfg(feature = "tower")]

mod support;

use std::sync::Arc;
use std::task::{Context, Poll};

use auth_http::{AuthorizeLayer, AuthorizeRequest};
use auth_sandbox::{Sandbox, SandboxConfig};
use auth_session::Session;
use bytes::Bytes;
use http::{Request, StatusCode};
use http_body_util::Empty;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tower::{Layer, ServiceExt};
use tower_service::Service;

use support::{Revoker, pear_authenticator, pear_session, pump_session};

/// How many requests each test sends.
const REQUESTS: usize = 50;

/// An inner service that counts every request hyper sends (first tries and replays).
#[derive(Clone)]
struct Counting<S> {
    inner: S,
    seen: Revoker,
}

impl<S, B> Service<Request<B>> for Counting<S>
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
        self.seen.see(request.headers());
        self.inner.call(request)
    }
}

type Hyper = Client<hyper_util::client::legacy::connect::HttpConnector, Empty<Bytes>>;

/// A layered hyper client over `session`, and what counts the requests it sends.
fn client<A: AuthorizeRequest>(
    session: &Session<A>,
    sb: &Arc<Sandbox>,
) -> (auth_http::AuthorizeService<Counting<Hyper>, A>, Revoker) {
    // Never revokes: only counts.
    let seen = Revoker::new(sb.clone(), usize::MAX);
    let hyper = Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>();
    let client = AuthorizeLayer::new(session.clone()).layer(Counting {
        inner: hyper,
        seen: seen.clone(),
    });
    (client, seen)
}

/// The status of one GET of `url` through `client`; `None` if the layer had no token to
/// give (or could not send it).
async fn get<A: AuthorizeRequest>(
    client: &auth_http::AuthorizeService<Counting<Hyper>, A>,
    url: &str,
) -> Option<StatusCode> {
    let request = Request::get(url).body(Empty::new()).unwrap();
    client
        .clone()
        .oneshot(request)
        .await
        .ok()
        .map(|r| r.status())
}

/// Pear logins and refreshes so far (a token reported refused is renewed by a refresh
/// while its session lives on the server).
fn renewals(sb: &Sandbox) -> u64 {
    let c = sb.counters();
    c.pear_logins + c.pear_refreshes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_requests_to_an_endpoint_that_always_refuses_cost_the_cap_of_renewals() {
    let sb = Arc::new(Sandbox::start(SandboxConfig::default()).await.unwrap());
    let session = pear_session(&sb, 31);
    session.access_token().await.unwrap();
    let (client, sent) = client(&session, &sb);
    let forbidden = format!("{}/sandbox/forbidden", sb.pear_url());

    let mut statuses = Vec::new();
    for _ in 0..REQUESTS {
        statuses.push(get(&client, &forbidden).await);
    }

    // Every request got a token and its 401 back.
    assert!(
        statuses
            .iter()
            .all(|s| *s == Some(StatusCode::UNAUTHORIZED)),
        "{statuses:?}"
    );
    let stats = session.stats();
    assert_eq!(stats.renewals_for_401, 3, "the default cap: {stats:?}");
    assert_eq!(
        stats.refusals_passed_through,
        REQUESTS as u64 - 3,
        "{stats:?}"
    );
    assert_eq!(
        sent.seen(),
        REQUESTS + 3,
        "one replay per renewal, no other"
    );
    let c = sb.counters();
    assert_eq!(c.pear_logins + c.pear_refreshes, 1 + 3, "{c:?}");
    assert_eq!(c.business_refusals, (REQUESTS + 3) as u64, "{c:?}");

    // The session still hands out a token, and a live endpoint answers.
    let whoami = format!("{}/sandbox/whoami", sb.pear_url());
    assert_eq!(get(&client, &whoami).await, Some(StatusCode::OK));
    assert_eq!(renewals(&sb), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_concurrent_burst_of_refusals_never_leaves_a_request_without_a_token() {
    let sb = Arc::new(Sandbox::start(SandboxConfig::default()).await.unwrap());
    let session = pear_session(&sb, 32);
    session.access_token().await.unwrap();
    let (client, sent) = client(&session, &sb);
    let forbidden = format!("{}/sandbox/forbidden", sb.pear_url());

    let tasks: Vec<_> = (0..REQUESTS)
        .map(|_| {
            let (client, url) = (client.clone(), forbidden.clone());
            tokio::spawn(async move { get(&client, &url).await })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }

    assert!(
        statuses
            .iter()
            .all(|s| *s == Some(StatusCode::UNAUTHORIZED)),
        "{statuses:?}"
    );
    let stats = session.stats();
    assert!(stats.renewals_for_401 <= 3, "{stats:?}");
    assert!(stats.renewals_for_401 >= 1, "{stats:?}");
    // Each request is sent at most twice.
    assert!(sent.seen() <= 2 * REQUESTS, "{}", sent.seen());
    assert_eq!(renewals(&sb), 1 + stats.renewals_for_401);
    let whoami = format!("{}/sandbox/whoami", sb.pear_url());
    assert_eq!(get(&client, &whoami).await, Some(StatusCode::OK));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cap_is_the_sessions_shared_by_every_layer_over_it() {
    let sb = Arc::new(Sandbox::start(SandboxConfig::default()).await.unwrap());
    let session = Session::builder(pear_authenticator(&sb, 33))
        .renewals_for_401_per_minute(1)
        .build();
    let (one, sent_one) = client(&session, &sb);
    let (two, sent_two) = client(&session, &sb);
    let forbidden = format!("{}/sandbox/forbidden", sb.pear_url());

    for _ in 0..5 {
        assert_eq!(get(&one, &forbidden).await, Some(StatusCode::UNAUTHORIZED));
        assert_eq!(get(&two, &forbidden).await, Some(StatusCode::UNAUTHORIZED));
    }

    let stats = session.stats();
    assert_eq!(stats.renewals_for_401, 1, "{stats:?}");
    assert_eq!(stats.refusals_passed_through, 9, "{stats:?}");
    assert_eq!(sent_one.seen() + sent_two.seen(), 10 + 1);
    assert_eq!(renewals(&sb), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revocation_after_refusals_passed_through_still_heals_with_one_renewal() {
    let sb = Arc::new(Sandbox::start(SandboxConfig::default()).await.unwrap());
    let session = Session::builder(pear_authenticator(&sb, 34))
        .renewals_for_401_per_minute(2)
        .build();
    let (client, sent) = client(&session, &sb);
    let forbidden = format!("{}/sandbox/forbidden", sb.pear_url());
    let whoami = format!("{}/sandbox/whoami", sb.pear_url());
    // One business refusal spends one of the two renewals.
    assert_eq!(
        get(&client, &forbidden).await,
        Some(StatusCode::UNAUTHORIZED)
    );
    assert_eq!(session.stats().renewals_for_401, 1);

    let token = session.access_token().await.unwrap();
    assert!(sb.revoke(token.expose_secret()));
    for _ in 0..10 {
        assert_eq!(get(&client, &whoami).await, Some(StatusCode::OK));
    }

    let stats = session.stats();
    assert_eq!(
        stats.renewals_for_401, 2,
        "exactly one for the revocation: {stats:?}"
    );
    assert_eq!(stats.refusals_passed_through, 0, "{stats:?}");
    assert_eq!(sent.seen(), 2 + 10 + 1);
    assert_eq!(renewals(&sb), 3);
    assert_eq!(
        sb.counters().pear_logins,
        2,
        "the revoked session cannot refresh"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn business_refusals_of_a_live_pump_token_cause_no_login() {
    let sb = Arc::new(Sandbox::start(SandboxConfig::default()).await.unwrap());
    let session = pump_session(&sb, 35);
    let token = session.access_token().await.unwrap();
    let (client, sent) = client(&session, &sb);
    let forbidden = format!("{}/coins/forbidden", sb.pump_url());

    let tasks: Vec<_> = (0..REQUESTS)
        .map(|_| {
            let (client, url) = (client.clone(), forbidden.clone());
            tokio::spawn(async move { get(&client, &url).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), Some(StatusCode::UNAUTHORIZED));
    }
    for _ in 0..REQUESTS {
        assert_eq!(
            get(&client, &forbidden).await,
            Some(StatusCode::UNAUTHORIZED)
        );
    }

    let c = sb.counters();
    assert_eq!(c.pump_logins, 1, "no login caused: {c:?}");
    assert_eq!(c.pump_logouts, 0, "{c:?}");
    let stats = session.stats();
    assert_eq!(stats.renewals_for_401, 0, "{stats:?}");
    assert_eq!(
        stats.refusals_passed_through,
        2 * REQUESTS as u64,
        "{stats:?}"
    );
    // One check per token (again only after 10 s), not one per 401.
    assert!((1..=3).contains(&stats.refusals_not_confirmed), "{stats:?}");
    assert_eq!(sent.seen(), 2 * REQUESTS, "no replay");
    assert_eq!(session.access_token().await.unwrap(), token, "kept");
    let profile = format!("{}/auth/my-profile", sb.pump_url());
    assert_eq!(get(&client, &profile).await, Some(StatusCode::OK));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_pump_token_is_confirmed_dead_and_costs_exactly_one_login() {
    let sb = Arc::new(Sandbox::start(SandboxConfig::default()).await.unwrap());
    let session = pump_session(&sb, 36);
    let token = session.access_token().await.unwrap();
    let (client, sent) = client(&session, &sb);
    let profile = format!("{}/auth/my-profile", sb.pump_url());
    assert!(sb.revoke(token.expose_secret()));

    for _ in 0..REQUESTS {
        assert_eq!(get(&client, &profile).await, Some(StatusCode::OK));
    }

    assert_eq!(sb.counters().pump_logins, 2, "one login for the revocation");
    let stats = session.stats();
    assert_eq!(stats.renewals_for_401, 1, "{stats:?}");
    assert_eq!(stats.refusals_not_confirmed, 0, "{stats:?}");
    assert_eq!(stats.refusal_checks_failed, 0, "{stats:?}");
    assert_eq!(
        sent.seen(),
        REQUESTS + 1,
        "the refused request sent once more"
    );
    assert_ne!(session.access_token().await.unwrap(), token);
}
