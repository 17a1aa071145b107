//! What pump.fun's authorized calls carry (WIRE.md, "authenticated calls"): the sandbox
//! takes the token as the `auth_token` cookie or as the bearer header, and counts which;
//! the layer sends both, the cookie beside the caller's own cookies.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed
#![cfg(feature = "tower")]

mod support;

use std::sync::Arc;

use auth_http::AuthorizeLayer;
use auth_sandbox::{Counters, Sandbox, SandboxConfig};
use bytes::Bytes;
use http::header::{AUTHORIZATION, COOKIE, ORIGIN};
use http::{Request, StatusCode};
use http_body_util::Empty;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tower::{Layer, ServiceExt};

use support::pump_session;

/// The `(bearer, cookie)` counts of pump.fun's protected requests.
fn carriers(c: &Counters) -> (u64, u64) {
    (c.pump_protected_with_bearer, c.pump_protected_with_cookie)
}

/// GETs `url` with pump.fun's `Origin` and the given headers, without the layer.
async fn get_with(url: &str, headers: &[(http::HeaderName, String)]) -> StatusCode {
    let mut request = Request::get(url).header(ORIGIN, "https://pump.fun");
    for (name, value) in headers {
        request = request.header(name, value);
    }
    Client::builder(TokioExecutor::new())
        .build_http::<Empty<Bytes>>()
        .request(request.body(Empty::new()).unwrap())
        .await
        .unwrap()
        .status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cookie_only_and_a_bearer_only_request_both_work_and_are_counted() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let session = pump_session(&sb, 41);
    let token = session.access_token().await.unwrap();
    let secret = token.expose_secret();
    let profile = format!("{}/auth/my-profile", sb.pump_url());
    assert_eq!(carriers(&sb.counters()), (0, 0));

    let cookie = vec![(COOKIE, format!("theme=dark; auth_token={secret}"))];
    assert_eq!(get_with(&profile, &cookie).await, StatusCode::OK);
    assert_eq!(carriers(&sb.counters()), (0, 1));

    let bearer = vec![(AUTHORIZATION, format!("Bearer {secret}"))];
    assert_eq!(get_with(&profile, &bearer).await, StatusCode::OK);
    assert_eq!(carriers(&sb.counters()), (1, 1));

    // A dead token is refused whichever way it comes.
    assert!(sb.revoke(secret));
    assert_eq!(get_with(&profile, &cookie).await, StatusCode::UNAUTHORIZED);
    assert_eq!(get_with(&profile, &bearer).await, StatusCode::UNAUTHORIZED);
    let c = sb.counters();
    assert_eq!(carriers(&c), (2, 2));
    assert_eq!((c.protected_ok, c.protected_refused), (2, 2), "{c:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_layer_sends_both_and_keeps_the_callers_cookies() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let session = pump_session(&sb, 42);
    let profile = format!("{}/auth/my-profile", sb.pump_url());

    let seen = Arc::new(std::sync::Mutex::new(None));
    let probe = {
        let seen = seen.clone();
        tower::service_fn(move |request: Request<Empty<Bytes>>| {
            *seen.lock().unwrap() = Some(request.headers().clone());
            Client::builder(TokioExecutor::new())
                .build_http::<Empty<Bytes>>()
                .request(request)
        })
    };
    let client = AuthorizeLayer::new(session.clone()).layer(probe);
    let request = Request::get(&profile)
        .header(COOKIE, "theme=dark; auth_token=stale")
        .body(Empty::new())
        .unwrap();
    let response = client.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(carriers(&sb.counters()), (1, 1));

    let headers = seen.lock().unwrap().take().unwrap();
    let token = session.access_token().await.unwrap();
    let secret = token.expose_secret();
    let cookies: Vec<_> = headers.get_all(COOKIE).iter().collect();
    assert_eq!(
        cookies,
        [format!("theme=dark; auth_token={secret}").as_str()]
    );
    assert!(cookies[0].is_sensitive());
    assert!(headers[AUTHORIZATION].is_sensitive());
    assert!(!format!("{headers:?}").contains(secret));
}
