//! Inputs found by fuzzing (`cargo xtask fuzz`), kept as plain tests. Each test names the
//! fuzz target that found the problem.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use auth_provider::{DecodeError, decode_json};

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Tokens {
    #[serde(rename = "accessToken")]
    access_token: String,
    #[serde(rename = "expiresIn")]
    expires_in: u64,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct KeyInfo {
    id: Option<String>,
}

/// Found by `pear_response`: a string value of the wrong type that itself contains
/// `, expected ` made the decode error keep the rest of the value (serde quotes the value
/// before its own `, expected <type>`).
#[test]
fn decode_error_does_not_quote_a_value_containing_expected() {
    let body = br#"{"accessToken": "a", "expiresIn": "x, expected SECRET-TOKEN-123"}"#;
    let err = decode_json::<Tokens>(body).unwrap_err();
    assert_eq!(
        err,
        DecodeError::Field {
            path: "expiresIn".into(),
            problem: "wrong type or value, expected u64".into(),
        }
    );
    assert!(!format!("{err} {err:?}").contains("SECRET"));
}

/// The fuzzer's own input: a list entry that is a string instead of an object.
#[test]
fn decode_error_does_not_quote_a_list_entry_containing_expected() {
    let body = b"\t\t\t[\"messag__________daW, expected ]/ssag________daWoeim______e\"]\t\r\r";
    let err = decode_json::<Vec<KeyInfo>>(body).unwrap_err();
    assert_eq!(
        err,
        DecodeError::Field {
            path: "[0]".into(),
            problem: "wrong type or value, expected struct KeyInfo".into(),
        }
    );
    assert!(!err.to_string().contains("daW"));
}

/// The same with the words of serde_json's position suffix inside the value, which made
/// the old parser cut the message inside the value.
#[test]
fn decode_error_does_not_quote_a_value_containing_a_position() {
    let body = br#"{"accessToken": "a", "expiresIn": "x, expected SECRET-TOKEN-123 at line 9"}"#;
    let err = decode_json::<Tokens>(body).unwrap_err();
    assert_eq!(
        err,
        DecodeError::Field {
            path: "expiresIn".into(),
            problem: "wrong type or value, expected u64".into(),
        }
    );
    assert!(!format!("{err} {err:?}").contains("SECRET"));
}
