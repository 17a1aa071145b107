//! PumpClient against the sandbox, through both transport backends.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::time::Duration;

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_test_support::both_backends;
use auth_test_support::keys::solana_keypair as keypair;
use auth_test_support::transport::{Make, canned_checking};
use auth_types::AccessToken;
use pump_auth::PumpFailure;
use pump_auth::{ApiError, Failure, LoginFormat, PumpClient, PumpError, ServerClock};

fn client(sb: &Sandbox, make: Make) -> pump_auth::PumpClientBuilder {
    PumpClient::builder()
        .base_url(sb.pump_url())
        .shared_transport(make())
}

both_backends!(documented_login_profile_and_logout);
async fn documented_login_profile_and_logout(make: Make) {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let pump = client(&sb, make).build().unwrap();
    let kp = keypair(1);
    let login = pump.login(&kp).await.unwrap();
    assert_eq!(login.expires_in, Some(Duration::from_secs(86400)));
    assert_eq!(login.user.as_ref().unwrap().wallet, kp.pubkey().to_string());
    let me = pump.profile(&login.token).await.unwrap();
    assert_eq!(me.wallet, kp.pubkey().to_string());
    pump.logout(&login.token).await.unwrap();
    match pump.profile(&login.token).await {
        Err(PumpError::Api(ApiError::Refused { status, .. })) => assert_eq!(status, 401),
        other => panic!("the token must be dead after logout: {other:?}"),
    }
}

both_backends!(cookie_login_takes_the_cookie_and_the_jwt_expiry);
async fn cookie_login_takes_the_cookie_and_the_jwt_expiry(make: Make) {
    let sb = Sandbox::start(SandboxConfig::default().with_pump_token_ttl(Duration::from_secs(120)))
        .await
        .unwrap();
    let pump = client(&sb, make)
        .login_format(LoginFormat::Cookie)
        .build()
        .unwrap();
    let login = pump.login(&keypair(2)).await.unwrap();
    // No expiresIn in this format: the expiry comes from the JWT's exp.
    let left = login.expires_in.unwrap();
    assert!(
        left <= Duration::from_secs(120) && left >= Duration::from_secs(110),
        "{left:?}"
    );
    pump.profile(&login.token).await.unwrap();
}

both_backends!(a_wrong_message_is_a_typed_401);
async fn a_wrong_message_is_a_typed_401(make: Make) {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let pump = client(&sb, make)
        .message_source(|ms| format!("Sign in to elsewhere: {ms}"))
        .build()
        .unwrap();
    let err = pump.login(&keypair(3)).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(
        err.to_string(),
        "pump.fun refused the credentials (401 Unauthorized): Invalid credentials"
    );
    // pump.fun answers a reused signature the same way, so the client tried a later
    // message once more before giving up: two refusals, no more.
    assert_eq!(sb.counters().pump_login_refusals, 2);
    // A clock ten minutes behind, told not to learn the server's: stale. With a wallet of
    // its own: a wallet that has signed at the right time in this process keeps getting
    // later times than that, whatever a later client's clock says.
    let behind = || std::time::SystemTime::now() - Duration::from_millis(600_000);
    let pump = client(&sb, make)
        .server_clock(ServerClock::fixed(behind))
        .build()
        .unwrap();
    assert!(matches!(
        pump.login(&keypair(30)).await,
        Err(PumpError::Api(ApiError::Refused { status, .. })) if status == 401
    ));
    assert_eq!(sb.counters().pump_login_refusals, 4);
    assert_eq!(pump.server_clock().stats().accepted, 0);
    // The same clock learning the server's (the default): the first refusal's `Date`
    // corrects it, and the second message is on the server's time.
    let pump = client(&sb, make).clock(behind).build().unwrap();
    pump.login(&keypair(31)).await.unwrap();
    assert_eq!(sb.counters().pump_login_refusals, 5);
    let offset = pump.server_clock().offset_millis();
    assert!((598_000..=602_000).contains(&offset), "{offset}");
}

both_backends!(a_wrong_origin_is_refused);
async fn a_wrong_origin_is_refused(make: Make) {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let pump = client(&sb, make)
        .origin("https://evil.example")
        .build()
        .unwrap();
    let err = pump.login(&keypair(4)).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
}

both_backends!(rate_limit_is_a_typed_error);
async fn rate_limit_is_a_typed_error(make: Make) {
    let sb = Sandbox::start(SandboxConfig::default().with_rate_limit(1, Duration::from_secs(30)))
        .await
        .unwrap();
    let pump = client(&sb, make).build().unwrap();
    pump.login(&keypair(5)).await.unwrap();
    let err = pump.login(&keypair(5)).await.unwrap_err();
    assert!(err.is_transient());
    assert!(
        matches!(
            err,
            PumpError::Api(ApiError::Refused {
                status,
                retry_after: Some(_),
                ..
            }) if status == 429
        ),
        "{err:?}"
    );
}

fn canned(status: u16, body: &'static str) -> PumpClient {
    let transport = canned_checking(status, body, |request| {
        // Every request carries Accept and Origin.
        assert_eq!(request.headers()["origin"], "https://pump.fun");
        assert_eq!(request.headers()["accept"], "application/json");
    });
    PumpClient::builder()
        .base_url("http://127.0.0.1:9")
        .transport(transport)
        .build()
        .unwrap()
}

#[tokio::test]
async fn malformed_answers_and_missing_tokens_are_typed() {
    let err = canned(201, "not json")
        .login(&keypair(6))
        .await
        .unwrap_err();
    assert!(
        matches!(err, PumpError::Api(ApiError::Malformed { .. })),
        "{err:?}"
    );
    let err = canned(201, r#"{"user": {"wallet": "w"}}"#)
        .login(&keypair(6))
        .await
        .unwrap_err();
    assert!(
        matches!(err, PumpError::Provider(PumpFailure::NoToken { .. })),
        "{err:?}"
    );
    let err = canned(201, r#"{"token": 12}"#)
        .login(&keypair(6))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("token"), "{err}");
    let err = canned(
        400,
        r#"{"statusCode":400,"message":"Invalid signature or wallet address"}"#,
    )
    .login(&keypair(6))
    .await
    .unwrap_err();
    assert!(
        matches!(err, PumpError::Api(ApiError::Refused { status, ref message, .. }) if status == 400 && message == "Invalid signature or wallet address")
    );
    // A server that echoes the token in its error does not leak it.
    let err = canned(
        401,
        r#"{"statusCode":401,"message":"token eyJsecret-token is revoked"}"#,
    )
    .profile(&AccessToken::new("eyJsecret-token"))
    .await
    .unwrap_err();
    assert!(!format!("{err} {err:?}").contains("eyJsecret-token"));
}

#[test]
fn sign_in_message_uses_the_clock() {
    let pump = PumpClient::builder()
        .clock(|| std::time::UNIX_EPOCH + Duration::from_millis(1_732_076_598_000))
        .build()
        .unwrap();
    assert_eq!(pump.sign_in_message(), "Sign in to pump.fun: 1732076598000");
    assert!(
        PumpClient::builder()
            .base_url("http://pump.example.com")
            .build()
            .is_err()
    );
}

#[test]
fn a_base_url_with_a_query_is_refused() {
    let err = PumpClient::builder()
        .base_url("https://frontend-api-v3.pump.fun/?x=1")
        .build()
        .unwrap_err();
    assert!(
        matches!(err, PumpError::Api(ApiError::Config { .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("query"), "{err}");
}

#[test]
fn clients_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<PumpClient>();
    assert_send_sync::<PumpError>();
}
