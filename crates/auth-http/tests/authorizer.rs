//! The core, `Authorizer`, used directly as another HTTP stack would: only a 401 reports the
//! token to the session, and the former names of that call still work.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod support;

use auth_http::Authorizer;
use auth_sandbox::{Sandbox, SandboxConfig};
use http::{HeaderMap, StatusCode};

use support::pear_session;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_401_reports_the_token_and_asks_for_a_replay() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let authorizer = Authorizer::new(pear_session(&sb, 21));
    let mut headers = HeaderMap::new();
    let token = authorizer
        .authorize::<std::convert::Infallible>(&mut headers)
        .await
        .unwrap();

    for status in [StatusCode::OK, StatusCode::FORBIDDEN, StatusCode::NOT_FOUND] {
        assert!(
            !authorizer.report_if_refused(status, &token).await,
            "{status}"
        );
    }
    assert_eq!(authorizer.session().access_token().await.unwrap(), token);

    assert!(
        authorizer
            .report_if_refused(StatusCode::UNAUTHORIZED, &token)
            .await
    );
    let renewed = authorizer.session().access_token().await.unwrap();
    assert_ne!(renewed, token);
    // A late 401 for the old token still asks for a replay, and costs no second renewal.
    assert!(
        authorizer
            .report_if_refused(StatusCode::UNAUTHORIZED, &token)
            .await
    );
    assert_eq!(authorizer.session().access_token().await.unwrap(), renewed);
    assert_eq!(sb.counters().pear_logins + sb.counters().pear_refreshes, 2);
    let stats = authorizer.session().stats();
    assert_eq!(stats.renewals_for_401, 1, "{stats:?}");
    assert_eq!(stats.refusals_passed_through, 0, "{stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(deprecated)]
async fn the_former_name_refused_does_the_same() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let authorizer = Authorizer::new(pear_session(&sb, 22));
    let token = authorizer.session().access_token().await.unwrap();

    assert!(!authorizer.refused(StatusCode::OK, &token));
    assert_eq!(authorizer.session().access_token().await.unwrap(), token);
    assert!(authorizer.refused(StatusCode::UNAUTHORIZED, &token));
    assert_ne!(authorizer.session().access_token().await.unwrap(), token);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(deprecated)]
async fn the_deprecated_invalidate_if_refused_still_invalidates_without_the_cap() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let session = auth_session::Session::builder(support::pear_authenticator(&sb, 23))
        .renewals_for_401_per_minute(0)
        .build();
    let authorizer = Authorizer::new(session);
    let token = authorizer.session().access_token().await.unwrap();

    // The session's check and cap apply to `report_if_refused` only.
    assert!(
        !authorizer
            .report_if_refused(StatusCode::UNAUTHORIZED, &token)
            .await
    );
    assert_eq!(authorizer.session().access_token().await.unwrap(), token);
    assert!(authorizer.invalidate_if_refused(StatusCode::UNAUTHORIZED, &token));
    assert_ne!(authorizer.session().access_token().await.unwrap(), token);
    let stats = authorizer.session().stats();
    assert_eq!(
        (stats.renewals_for_401, stats.refusals_passed_through),
        (0, 1)
    );
}
