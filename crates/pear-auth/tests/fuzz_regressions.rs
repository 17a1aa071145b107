//! Inputs found by fuzzing (`cargo xtask fuzz`), kept as plain tests against a transport
//! that answers every request the same way. Each test names the fuzz target that found
//! the problem.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod support;

use auth_types::{AccessToken, ApiKey, EvmAddress};
use pear_auth::{ApiError, PearError};
use support::canned_client as answering;

const SECRET: &str = "SECRET-TOKEN-123";

/// Found by `pear_response`: a 2xx answer whose list entry is a string containing
/// `, expected ` was quoted in the `MalformedResponse` error.
#[tokio::test]
async fn malformed_api_key_list_is_not_quoted() {
    let body = b"\t\t\t[\"messag__________daW, expected ]/ssag________daWoeim______e\"]\t\r\r";
    let err = answering(210, body)
        .list_api_keys(&AccessToken::new(SECRET))
        .await
        .unwrap_err();
    assert!(
        matches!(err, PearError::Api(ApiError::Malformed { .. })),
        "{err:?}"
    );
    let text = format!("{err} {err:?}");
    assert!(!text.contains("daW"), "{text}");
}

/// The same path with the secret that was sent echoed inside a mistyped value.
#[tokio::test]
async fn echoed_api_key_in_a_mistyped_value_is_not_shown() {
    let body = br#"{"accessToken": "a", "refreshToken": "b", "expiresIn": "bad key, expected SECRET-TOKEN-123"}"#;
    let address: EvmAddress = "0xad1c2d81e22c7a4edfe1901bc68f97f4c34d297d"
        .parse()
        .unwrap();
    let err = answering(200, body)
        .login_api_key(&address, &ApiKey::new(SECRET))
        .await
        .unwrap_err();
    assert!(
        matches!(err, PearError::Api(ApiError::Malformed { .. })),
        "{err:?}"
    );
    let text = format!("{err} {err:?}");
    assert!(!text.contains(SECRET), "{text}");
}
