//! spruceid's vectors, in `tests/data/siwe/` (see its NOTICE). Each case is named in the
//! failure message.

use std::collections::BTreeMap;

use auth_signing::ethereum::EthSignature;
use auth_signing::siwe::{SiweError, SiweFields, SiweMessage, Timestamp, VerifyOptions};
use serde::Deserialize;

fn load<T: for<'de> Deserialize<'de>>(text: &str) -> BTreeMap<String, T> {
    serde_json::from_str(text).unwrap()
}

#[derive(Deserialize)]
struct Positive {
    message: String,
    fields: SiweFields,
}

#[test]
fn parsing_positive() {
    let cases: BTreeMap<String, Positive> =
        load(include_str!("../data/siwe/parsing_positive.json"));
    assert_eq!(cases.len(), 19);
    for (name, case) in cases {
        let message =
            SiweMessage::parse(&case.message).unwrap_or_else(|e| panic!("{name}: refused: {e}"));
        assert_eq!(message.fields(), case.fields, "{name}: fields");
        assert_eq!(message.to_string(), case.message, "{name}: formatted text");
        let built = SiweMessage::from_fields(case.fields.clone())
            .unwrap_or_else(|e| panic!("{name}: from_fields refused: {e}"));
        assert_eq!(built.to_string(), case.message, "{name}: from_fields text");
        assert_eq!(built, message, "{name}: same message");
    }
}

#[test]
fn parsing_negative() {
    let cases: BTreeMap<String, String> = load(include_str!("../data/siwe/parsing_negative.json"));
    assert_eq!(cases.len(), 29);
    for (name, text) in cases {
        match SiweMessage::parse(&text) {
            Ok(m) => panic!("{name}: accepted as {:?}", m.fields()),
            Err(SiweError::Syntax { .. } | SiweError::InvalidField { .. }) => {}
            Err(other) => panic!("{name}: refused with an unexpected error: {other}"),
        }
    }
}

#[test]
fn parsing_negative_names_the_field() {
    let cases: BTreeMap<String, String> = load(include_str!("../data/siwe/parsing_negative.json"));
    let expect = [
        (
            "domain not RFC4501 authority",
            "line 1: \"domain\": must be an RFC 3986 authority ([userinfo@]host[:port])",
        ),
        (
            "address not EIP-55",
            "line 2: \"address\": must be written with its EIP-55 checksum (mixed case)",
        ),
        (
            "nonce with less then 8 chars",
            "line 9: \"nonce\": must be at least 8 ASCII letters or digits",
        ),
        ("version not 1", "line 7: \"version\": must be 1"),
        ("out of order uri", "line 6: expected \"URI: \""),
        ("missing domain", "line 1: \"domain\": must not be empty"),
    ];
    for (name, message) in expect {
        let err = SiweMessage::parse(&cases[name]).unwrap_err();
        assert_eq!(err.to_string(), message, "{name}");
    }
}

#[test]
fn parsing_negative_objects() {
    let cases: BTreeMap<String, serde_json::Value> =
        load(include_str!("../data/siwe/parsing_negative_objects.json"));
    assert_eq!(cases.len(), 18);
    for (name, value) in cases {
        match serde_json::from_value::<SiweFields>(value) {
            // Missing required fields and a string chainId: serde names the field.
            Err(e) => assert!(
                e.to_string().contains("missing field") || e.to_string().contains("invalid type"),
                "{name}: {e}"
            ),
            Ok(fields) => match SiweMessage::from_fields(fields) {
                Ok(m) => panic!("{name}: accepted as {m}"),
                Err(SiweError::InvalidField { line: None, .. }) => {}
                Err(other) => panic!("{name}: refused with an unexpected error: {other}"),
            },
        }
    }
}

/// A verification case: the fields, the signature and the verifier's options.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Verification {
    #[serde(flatten)]
    fields: SiweFields,
    signature: String,
    time: Option<String>,
    domain_binding: Option<String>,
    match_nonce: Option<String>,
}

/// Builds, then verifies; the first error wherever it comes from.
fn run(case: Verification) -> Result<(), Box<dyn std::error::Error>> {
    let message = SiweMessage::from_fields(case.fields)?;
    // The text a wallet signed reads back to the same message.
    assert_eq!(SiweMessage::parse(&message.to_string())?, message);
    let signature: EthSignature = case.signature.parse()?;
    let mut options = match case.time {
        Some(t) => VerifyOptions::at(Timestamp::parse(&t)?.to_system_time()),
        None => VerifyOptions::default(),
    };
    options.domain = case.domain_binding;
    options.nonce = case.match_nonce;
    message.verify(&signature, &options)?;
    Ok(())
}

#[test]
fn verification_positive() {
    let cases: BTreeMap<String, Verification> =
        load(include_str!("../data/siwe/verification_positive.json"));
    assert_eq!(cases.len(), 4);
    for (name, case) in cases {
        run(case).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn verification_negative() {
    let cases: BTreeMap<String, Verification> =
        load(include_str!("../data/siwe/verification_negative.json"));
    assert_eq!(cases.len(), 10);
    let mut reasons = BTreeMap::new();
    for (name, case) in cases {
        let err = run(case)
            .err()
            .unwrap_or_else(|| panic!("{name}: verified"));
        reasons.insert(name, err.to_string());
    }
    let expect = [
        (
            "custom nonce",
            "the message carries nonce bTyXgcQxn2htgkjJn, expected 6548asdgf",
        ),
        (
            "domain binding",
            "the message is for domain login.xyz, expected example.com",
        ),
        (
            "custom time",
            "the message expired at 2100-01-07T14:31:43.952Z",
        ),
        (
            "expired message",
            "the message expired at 2021-01-05T00:00:00Z",
        ),
        (
            "not yet valid",
            "the message is not valid before 2100-01-07T14:31:43.952Z",
        ),
        (
            "invalid issuedAt",
            "\"issuedAt\": must be an RFC 3339 date-time such as 2021-09-30T16:25:24.000Z",
        ),
    ];
    for (name, reason) in expect {
        assert_eq!(reasons[name], reason, "{name}");
    }
    assert!(
        reasons["wrong signature"].starts_with("the signature is by 0x"),
        "{reasons:?}"
    );
}

// eip1271.json: the two cases (Argent, Loopring) are contract wallets whose check is an
// `isValidSignature` call on mainnet; they need a chain, so they are not run here.
// `signing.rs` shows the `Eip1271Verifier` path with a stand-in contract.
