//! PearClient against the sandbox, through both transport backends.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use auth_sandbox::{Sandbox, SandboxConfig};
use auth_signing::ethereum::{EthSignature, LocalEthSigner};
use auth_signing::{EthSigner, SignerError};
use auth_test_support::both_backends;
use auth_test_support::keys::eth_signer;
use auth_test_support::sandbox::whoami;
use auth_test_support::transport::Make;
use auth_transport::{
    HttpTransport, HyperTransport, ReqwestTransport, TransportConfig, TransportError,
};
use auth_types::{AccessToken, ApiKey, EvmAddress, PrivyAccessToken};
use bytes::Bytes;
use pear_auth::PearFailure;
use pear_auth::{ApiError, Failure, PearClient, PearError, authorize};
use support::canned_client;

/// A signer that counts what it signs, to prove when nothing was.
#[derive(Debug)]
struct CountingSigner {
    inner: LocalEthSigner,
    signed: AtomicUsize,
}

impl CountingSigner {
    fn new(seed: u8) -> Self {
        CountingSigner {
            inner: eth_signer(seed),
            signed: AtomicUsize::new(0),
        }
    }
}

#[async_trait]
impl EthSigner for CountingSigner {
    fn address(&self) -> EvmAddress {
        self.inner.address()
    }

    async fn sign_hash(&self, hash: &[u8; 32]) -> Result<EthSignature, SignerError> {
        self.signed.fetch_add(1, Ordering::SeqCst);
        EthSigner::sign_hash(&self.inner, hash).await
    }
}

fn client(sb: &Sandbox, make: Make) -> PearClient {
    PearClient::builder()
        .base_url(sb.pear_url())
        .shared_transport(make())
        .build()
        .unwrap()
}

both_backends!(wallet_login_refresh_rotation_and_logout);
async fn wallet_login_refresh_rotation_and_logout(make: Make) {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let pear = client(&sb, make);
    let signer = CountingSigner::new(1);
    let tokens = pear.login_eip712(&signer).await.unwrap();
    assert_eq!(signer.signed.load(Ordering::SeqCst), 1);
    assert_eq!(tokens.expires_in, Duration::from_secs(900));
    assert_eq!(tokens.address, Some(signer.address()));
    assert_eq!(tokens.client_id.as_deref(), Some("APITRADER"));
    assert_eq!(whoami(&sb, &tokens.access_token).await, 200);

    let rotated = pear.refresh(&tokens.refresh_token).await.unwrap();
    assert_ne!(rotated.refresh_token, tokens.refresh_token);
    assert_eq!(whoami(&sb, &rotated.access_token).await, 200);
    // The spent refresh token is refused, as a typed 401.
    match pear.refresh(&tokens.refresh_token).await {
        Err(PearError::Provider(PearFailure::RefreshRejected { status, message })) => {
            assert_eq!(status, 401);
            assert_eq!(message, "Refresh token has already been used");
        }
        other => panic!("{other:?}"),
    }

    pear.logout(&rotated.refresh_token).await.unwrap();
    assert_eq!(whoami(&sb, &rotated.access_token).await, 401);
    let c = sb.counters();
    assert_eq!(
        (
            c.pear_logins,
            c.pear_refreshes,
            c.pear_logouts,
            c.refused_reuses
        ),
        (1, 1, 1, 1)
    );
}

both_backends!(api_key_created_listed_and_used);
async fn api_key_created_listed_and_used(make: Make) {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let pear = client(&sb, make);
    let signer = CountingSigner::new(2);
    let tokens = pear.login_eip712(&signer).await.unwrap();
    let created = pear
        .create_api_key(&tokens.access_token, Some("bot"))
        .await
        .unwrap();
    assert_eq!(created.name.as_deref(), Some("bot"));
    let listed = pear.list_api_keys(&tokens.access_token).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name.as_deref(), Some("bot"));
    let by_key = pear
        .login_api_key(&signer.address(), &created.api_key)
        .await
        .unwrap();
    assert_eq!(whoami(&sb, &by_key.access_token).await, 200);
    // The wallet signed exactly once; the key did the rest.
    assert_eq!(signer.signed.load(Ordering::SeqCst), 1);
}

both_backends!(privy_login);
async fn privy_login(make: Make) {
    let signer = CountingSigner::new(3);
    let sb = Sandbox::start(SandboxConfig::default().with_privy_token(
        "app",
        "privy-token",
        signer.address(),
    ))
    .await
    .unwrap();
    let pear = client(&sb, make);
    let tokens = pear
        .login_privy(
            &signer.address(),
            "app",
            &PrivyAccessToken::new("privy-token"),
        )
        .await
        .unwrap();
    assert_eq!(whoami(&sb, &tokens.access_token).await, 200);
    let refused = pear
        .login_privy(
            &signer.address(),
            "app",
            &PrivyAccessToken::new("wrong-token"),
        )
        .await;
    assert!(matches!(refused, Err(PearError::Api(ref e)) if e.is_unauthorized()));
}

both_backends!(wrong_api_key_is_a_typed_401);
async fn wrong_api_key_is_a_typed_401(make: Make) {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let pear = client(&sb, make);
    let key = ApiKey::new("pk_not-a-real-key");
    let err = pear
        .login_api_key(&CountingSigner::new(4).address(), &key)
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert!(!err.is_transient());
    assert_eq!(
        err.to_string(),
        "Pear refused the credentials (401 Unauthorized): Invalid API key"
    );
}

both_backends!(hostile_typed_data_is_refused_with_nothing_signed);
async fn hostile_typed_data_is_refused_with_nothing_signed(make: Make) {
    let sb = Sandbox::start(SandboxConfig::default().with_hostile(true))
        .await
        .unwrap();
    let pear = client(&sb, make);
    let signer = CountingSigner::new(5);
    let err = pear.login_eip712(&signer).await.unwrap_err();
    assert!(
        matches!(err, PearError::Provider(PearFailure::UnsafeMessage { .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("Permit"), "{err}");
    assert_eq!(
        signer.signed.load(Ordering::SeqCst),
        0,
        "nothing may be signed"
    );
    assert_eq!(sb.counters().pear_logins, 0);
}

both_backends!(a_skewed_clock_refuses_the_message);
async fn a_skewed_clock_refuses_the_message(make: Make) {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let pear = PearClient::builder()
        .base_url(sb.pear_url())
        .shared_transport(make())
        .clock(|| std::time::UNIX_EPOCH + Duration::from_secs(4_000_000_000))
        .build()
        .unwrap();
    let signer = CountingSigner::new(6);
    assert!(matches!(
        pear.login_eip712(&signer).await,
        Err(PearError::Provider(PearFailure::UnsafeMessage { .. }))
    ));
    assert_eq!(signer.signed.load(Ordering::SeqCst), 0);
}

both_backends!(rate_limit_is_a_typed_error_with_the_delay);
async fn rate_limit_is_a_typed_error_with_the_delay(make: Make) {
    let sb = Sandbox::start(SandboxConfig::default().with_rate_limit(1, Duration::from_secs(30)))
        .await
        .unwrap();
    let pear = client(&sb, make);
    let key = ApiKey::new("pk_x");
    let address = CountingSigner::new(7).address();
    let _first = pear.login_api_key(&address, &key).await;
    match pear.login_api_key(&address, &key).await {
        Err(e) if e.status().map(|s| s.as_u16()) == Some(429) => {
            assert!(e.is_transient());
            let wait = e.retry_after().unwrap();
            assert!(wait >= Duration::from_secs(1) && wait <= Duration::from_secs(30));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn oversized_responses_are_refused_by_both_backends() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let tiny = TransportConfig::default().with_max_body_bytes(64);
    for transport in [
        Arc::new(ReqwestTransport::with_config(tiny.clone()).unwrap()) as Arc<dyn HttpTransport>,
        Arc::new(HyperTransport::with_config(tiny.clone()).unwrap()),
    ] {
        let pear = PearClient::builder()
            .base_url(sb.pear_url())
            .shared_transport(transport)
            .build()
            .unwrap();
        let err = pear
            .login_eip712(&CountingSigner::new(8))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                PearError::Api(ApiError::Transport {
                    source: TransportError::BodyTooLarge { limit: 64 },
                    ..
                })
            ),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn malformed_success_bodies_are_typed_errors_naming_the_field() {
    let pear = canned_client(
        200,
        r#"{"accessToken": "eyJ-leak", "refreshToken": 5, "expiresIn": 900}"#,
    );
    let err = pear
        .login_api_key(&EvmAddress::ZERO, &ApiKey::new("pk_secret"))
        .await
        .unwrap_err();
    match &err {
        PearError::Api(ApiError::Malformed { status, source, .. }) => {
            assert_eq!(*status, 200);
            assert!(source.to_string().contains("refreshToken"), "{source}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!err.to_string().contains("eyJ-leak"));
    // An unreadable answer to a refresh: Pear may have spent the token.
    let pear = canned_client(200, "<html>maintenance</html>");
    match pear.refresh(&auth_types::RefreshToken::new("r")).await {
        Err(PearError::Provider(PearFailure::RefreshUncertain { source })) => {
            assert!(matches!(
                *source,
                PearError::Api(ApiError::Malformed { .. })
            ))
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn bad_requests_carry_every_message_and_echoed_secrets_are_hidden() {
    let pear = canned_client(
        400,
        r#"{"message":["apiKey pk_secret-123 is malformed","clientId should not be empty"],"error":"Bad Request","statusCode":400}"#,
    );
    let err = pear
        .login_api_key(&EvmAddress::ZERO, &ApiKey::new("pk_secret-123"))
        .await
        .unwrap_err();
    match &err {
        PearError::Api(ApiError::Refused {
            status, messages, ..
        }) if *status == 400 => assert_eq!(messages.len(), 2),
        other => panic!("{other:?}"),
    }
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("pk_secret-123"), "{shown}");
    assert!(shown.contains("<redacted>"));
    let pear = canned_client(503, "");
    let err = pear
        .logout(&auth_types::RefreshToken::new("r"))
        .await
        .unwrap_err();
    assert!(err.is_transient());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    // A 503 to a refresh: Pear may have spent the token.
    let err = pear
        .refresh(&auth_types::RefreshToken::new("r"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            PearError::Provider(PearFailure::RefreshUncertain { .. })
        ),
        "{err:?}"
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    // A 429 to a refresh: refused before processing, the token is still good.
    let err = canned_client(429, "{}")
        .refresh(&auth_types::RefreshToken::new("r"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, PearError::Api(ApiError::Refused { status, .. }) if status == 429),
        "{err:?}"
    );
}

#[test]
fn plaintext_http_to_remote_hosts_is_refused() {
    let err = PearClient::builder()
        .base_url("http://pear.example.com")
        .build()
        .unwrap_err();
    assert!(matches!(
        err,
        PearError::Api(ApiError::Config {
            setting: "base URL",
            ..
        })
    ));
    assert!(err.to_string().contains("plaintext http"));
    PearClient::builder()
        .base_url("http://127.0.0.1:1")
        .build()
        .unwrap();
    PearClient::builder()
        .base_url("http://pear.internal")
        .allow_insecure_http(true)
        .build()
        .unwrap();
    assert!(PearClient::builder().base_url("not a url").build().is_err());
}

/// `authorize` writes the bearer header the sandbox and Pear read, and refuses a token a
/// header cannot carry without quoting it.
#[test]
fn authorize_sets_a_sensitive_bearer_header() {
    let mut request = http::Request::get("http://127.0.0.1:9/sandbox/whoami")
        .body(Bytes::new())
        .unwrap();
    authorize(&mut request, &AccessToken::new("eyJ.a.b")).unwrap();
    let value = &request.headers()[http::header::AUTHORIZATION];
    assert_eq!(value, "Bearer eyJ.a.b");
    assert!(value.is_sensitive());
    let err = authorize(&mut request, &AccessToken::new("bad\ntoken")).unwrap_err();
    assert!(!format!("{err} {err:?}").contains("bad\ntoken"), "{err:?}");
    assert_eq!(
        request.headers()[http::header::AUTHORIZATION],
        "Bearer eyJ.a.b"
    );
}

#[test]
fn clients_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<PearClient>();
    assert_send_sync::<PearError>();
    assert_send_sync::<pear_auth::PearTokens>();
}
