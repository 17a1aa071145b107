//! Pear response decoding: any status, headers and body, answered to every `PearClient`
//! call. Invariants: no panic; success only on 2xx; an error status always surfaces as an
//! error with that status; errors never show the secret that was sent; tokens stay
//! redacted.
#![no_main]

use std::sync::{Arc, OnceLock};
use std::time::{Duration, UNIX_EPOCH};

use auth_signing::ethereum::LocalEthSigner;
use auth_transport::from_fn;
use auth_transport::http::StatusCode;
use auth_types::{AccessToken, ApiKey, EvmAddress, PrivyAccessToken, RefreshToken};
use libfuzzer_sys::fuzz_target;
use pear_auth::{Failure, PearClient, PearError, PearFailure, PearTokens};
use wallet_auth_fuzz::{FuzzResponse, SECRET, check_result, runtime};

/// The signer of the shared test vectors (its login message is in the seeds).
const VECTOR_KEY: &str = "0x6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3";
/// The vectors' login timestamp: the client's clock stands still there.
const VECTOR_TIME: u64 = 1_732_076_598;

fn signer() -> &'static LocalEthSigner {
    static SIGNER: OnceLock<LocalEthSigner> = OnceLock::new();
    SIGNER.get_or_init(|| LocalEthSigner::from_hex(VECTOR_KEY).expect("the vector key"))
}

/// The shared checks ([`check_result`]), plus: an error for a non-2xx answer says the
/// request may have reached Pear. Returns the success value.
fn check<T>(
    what: &str,
    sent_secret: bool,
    status: StatusCode,
    result: Result<T, PearError>,
) -> Option<T> {
    check_result(what, sent_secret, status, &result);
    if let Err(e) = &result {
        if !status.is_success() {
            assert!(e.may_have_reached_server(), "{what}: {e}");
        }
    }
    result.ok()
}

fn check_tokens(what: &str, tokens: &PearTokens) {
    assert_eq!(
        format!("{:?}", tokens.access_token),
        "AccessToken(<redacted>)",
        "{what}"
    );
    assert_eq!(
        format!("{:?}", tokens.refresh_token),
        "RefreshToken(<redacted>)",
        "{what}"
    );
}

fuzz_target!(|data: &[u8]| {
    let Some(answer) = FuzzResponse::parse(data) else {
        return;
    };
    let status = answer.status;
    let answer = Arc::new(answer);
    let transport = from_fn(move |_request| {
        let answer = Arc::clone(&answer);
        async move { Ok(answer.to_response()) }
    });
    let client = PearClient::builder()
        .base_url("http://127.0.0.1:9")
        .transport(transport)
        .clock(|| UNIX_EPOCH + Duration::from_secs(VECTOR_TIME))
        .build()
        .expect("a loopback client builds");
    let address: EvmAddress = signer().address();
    let api_key = ApiKey::new(SECRET);
    let refresh_token = RefreshToken::new(SECRET);
    let access_token = AccessToken::new(SECRET);
    let privy = PrivyAccessToken::new(SECRET);

    runtime().block_on(async {
        if let Some(t) = check(
            "login_api_key",
            true,
            status,
            client.login_api_key(&address, &api_key).await,
        ) {
            check_tokens("login_api_key", &t);
        }
        if let Some(t) = check(
            "login_privy",
            true,
            status,
            client.login_privy(&address, "app-id", &privy).await,
        ) {
            check_tokens("login_privy", &t);
        }
        let refreshed = client.refresh(&refresh_token).await;
        if let Err(e) = &refreshed {
            // A refusal of the token, or anything after which Pear may have spent it,
            // must tell the session to log in again; only a 429 keeps the token.
            match status.as_u16() {
                200..=299 => {}
                400 | 401 | 403 => {
                    assert!(
                        matches!(e, PearError::Provider(PearFailure::RefreshRejected { .. })),
                        "refresh: {e:?}"
                    )
                }
                429 => assert!(
                    matches!(e, PearError::Api(a) if a.status() == Some(status)),
                    "refresh: {e:?}"
                ),
                _ => assert!(
                    matches!(e, PearError::Provider(PearFailure::RefreshUncertain { .. })),
                    "refresh: {e:?}"
                ),
            }
        }
        if let Some(t) = check("refresh", true, status, refreshed) {
            check_tokens("refresh", &t);
        }
        check("logout", true, status, client.logout(&refresh_token).await);
        if let Some(message) = check(
            "eip712_message",
            false,
            status,
            client.eip712_message(&address).await,
        ) {
            assert_eq!(message.typed_data().primary_type(), "Authentication");
            assert!(message.timestamp().abs_diff(VECTOR_TIME) <= 300);
        }
        if let Some(t) = check(
            "login_eip712",
            false,
            status,
            client.login_eip712(signer()).await,
        ) {
            check_tokens("login_eip712", &t);
        }
        if let Some(keys) = check(
            "list_api_keys",
            true,
            status,
            client.list_api_keys(&access_token).await,
        ) {
            let _ = format!("{keys:?}");
        }
        if let Some(created) = check(
            "create_api_key",
            true,
            status,
            client.create_api_key(&access_token, Some("fuzz")).await,
        ) {
            assert_eq!(format!("{:?}", created.api_key), "ApiKey(<redacted>)");
        }
    });
});
