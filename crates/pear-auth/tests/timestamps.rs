//! Pear's login timestamps are single use (WIRE.md): a login refused with "Timestamp
//! already used" is retried once with a new message whose timestamp has moved on, and a
//! signature is never sent twice.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use auth_signing::ethereum::LocalEthSigner;
use auth_test_support::pear::{live_domain, login_message};
use auth_transport::bytes::Bytes;
use auth_transport::from_fn;
use auth_transport::http::{Request, Response};
use pear_auth::{ApiError, PearClient, PearError};

const T: u64 = 1_750_000_000;

const TOKENS: &str = r#"{"accessToken":"eyJ.access","refreshToken":"eyJ.refresh","tokenType":"Bearer","expiresIn":900}"#;

const USED: &str = "Timestamp already used";

/// A Pear that serves login messages stamped with `stamps` in turn (the last one again
/// once they run out), refuses the first `refusals` logins with 401 `refusal`, and
/// records every login body.
fn pear(
    stamps: Vec<u64>,
    refusals: usize,
    refusal: &'static str,
    wallet: &LocalEthSigner,
) -> (PearClient, Arc<Mutex<Vec<serde_json::Value>>>) {
    let logins = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&logins);
    let served = Arc::new(Mutex::new(0usize));
    let address = wallet.address().to_lowercase_hex();
    let transport = from_fn(move |request: Request<Bytes>| {
        let body = if request.uri().path() == "/auth/eip712-message" {
            let mut n = served.lock().unwrap();
            let stamp = stamps[(*n).min(stamps.len() - 1)];
            *n += 1;
            (200, login_message(&address, stamp, live_domain()))
        } else {
            let mut logins = seen.lock().unwrap();
            logins.push(serde_json::from_slice(request.body()).unwrap());
            if logins.len() <= refusals {
                (
                    401,
                    serde_json::json!({"message": refusal, "error": "Unauthorized", "statusCode": 401})
                        .to_string(),
                )
            } else {
                (200, TOKENS.to_owned())
            }
        };
        async move {
            Ok(Response::builder()
                .status(body.0)
                .body(Bytes::from(body.1))
                .unwrap())
        }
    });
    let client = PearClient::builder()
        .base_url("http://127.0.0.1:9")
        .transport(transport)
        .clock(|| UNIX_EPOCH + Duration::from_secs(T))
        .build()
        .unwrap();
    (client, logins)
}

fn signature(login: &serde_json::Value) -> String {
    login["details"]["signature"].as_str().unwrap().to_owned()
}

#[tokio::test(start_paused = true)]
async fn a_used_timestamp_is_retried_once_with_a_new_message_and_a_new_signature() {
    let wallet = LocalEthSigner::from_hex(&"31".repeat(32)).unwrap();
    // The second message still carries the used second; the third has moved on.
    let (client, logins) = pear(vec![T, T, T + 1], 1, USED, &wallet);
    let tokens = client.login_eip712(&wallet).await.unwrap();
    assert_eq!(tokens.access_token.expose_secret(), "eyJ.access");
    let logins = logins.lock().unwrap();
    assert_eq!(logins.len(), 2, "one refused login, one retry");
    assert_eq!(logins[0]["details"]["timestamp"], T);
    assert_eq!(logins[1]["details"]["timestamp"], T + 1);
    assert_ne!(signature(&logins[0]), signature(&logins[1]));
}

#[tokio::test(start_paused = true)]
async fn a_timestamp_that_never_moves_on_is_not_signed_again() {
    let wallet = LocalEthSigner::from_hex(&"32".repeat(32)).unwrap();
    let (client, logins) = pear(vec![T], 1, USED, &wallet);
    let err = client.login_eip712(&wallet).await.unwrap_err();
    assert!(
        matches!(err, PearError::Api(ApiError::Refused { ref message, .. }) if message == "Timestamp already used"),
        "{err:?}"
    );
    assert_eq!(logins.lock().unwrap().len(), 1, "nothing is sent twice");
}

#[tokio::test(start_paused = true)]
async fn a_second_refusal_is_returned_and_other_refusals_are_not_retried() {
    let wallet = LocalEthSigner::from_hex(&"33".repeat(32)).unwrap();
    let (client, logins) = pear(vec![T, T + 1, T + 2], 2, USED, &wallet);
    assert!(client.login_eip712(&wallet).await.is_err());
    assert_eq!(logins.lock().unwrap().len(), 2, "one retry at most");

    let (client, logins) = pear(vec![T, T + 1], 1, "Invalid signature", &wallet);
    let err = client.login_eip712(&wallet).await.unwrap_err();
    assert!(err.to_string().contains("Invalid signature"), "{err}");
    assert_eq!(
        logins.lock().unwrap().len(),
        1,
        "only a used timestamp is retried"
    );
}
