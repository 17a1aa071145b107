//! Text a server chose (the domain's name and version, the primary type, type names, the
//! token type) reaches an error's `Display` only escaped: a hostile server cannot set the
//! terminal's title, clear the screen, paint a fake "OK logged in" or reorder the line
//! with bidi overrides through the message a refusal prints.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod support;

use std::time::{Duration, UNIX_EPOCH};

use auth_signing::eip712::TypedData;
use auth_test_support::pear::{live_domain, login_message};
use auth_test_support::transport::canned;
use auth_types::{ApiKey, EvmAddress};
use pear_auth::PearFailure;
use pear_auth::{LoginCheck, PearClient, PearDomain, PearError};
use serde_json::{Value, json};

const NOW: u64 = 1_750_000_000;
const ADDRESS: &str = "0xad1c2d81e22c7a4edfe1901bc68f97f4c34d297d";

/// A window-title escape, a screen clear, a green fake success, bidi overrides and
/// isolates, invisible characters and a line separator: what a hostile server would put
/// in a text it expects to see printed.
const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[32mOK logged in\u{1b}[0m\r\n\
     \u{202e}gnp.exe\u{202c}\u{2066}x\u{2069}\u{200b}\u{feff}\u{2028}\u{85}\u{9b}31m\u{7f}";

/// Characters that must never reach a terminal raw: controls (C0, DEL, C1), bidi
/// embeddings, overrides and isolates, zero-width and other invisible format characters,
/// line and paragraph separators.
fn is_dangerous(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// Fails if `shown` holds a dangerous character; else checks the escape is visible.
fn assert_escaped(what: &str, shown: &str) {
    if let Some(c) = shown.chars().find(|c| is_dangerous(*c)) {
        panic!(
            "{what}: U+{:04X} reached the message raw: {shown:?}",
            u32::from(c)
        );
    }
    assert!(
        shown.contains(r"\u{1b}"),
        "{what}: the escape is not shown: {shown}"
    );
}

fn address() -> EvmAddress {
    ADDRESS.parse().unwrap()
}

fn with(field: &str, value: Value) -> Value {
    let mut domain = live_domain();
    domain[field] = value;
    domain
}

/// The check alone, without a client or a server.
fn check(document: &str) -> Result<pear_auth::LoginMessage, PearError> {
    let typed = TypedData::from_json_str(document).unwrap();
    LoginCheck {
        address: &address(),
        client_id: "APITRADER",
        now: NOW,
        window_secs: 300,
        domain: &PearDomain::default(),
    }
    .check(typed, None)
}

/// The whole client path: the message as a server answers it.
async fn fetch(body: String) -> Result<pear_auth::LoginMessage, PearError> {
    PearClient::builder()
        .base_url("http://127.0.0.1:9")
        .transport(canned(200, body.into_bytes()))
        .clock(|| UNIX_EPOCH + Duration::from_secs(NOW))
        .build()
        .unwrap()
        .eip712_message(&address())
        .await
}

#[test]
fn a_hostile_domain_name_is_shown_escaped() {
    let document = login_message(ADDRESS, NOW, with("name", json!(HOSTILE)));
    let err = check(&document).unwrap_err();
    let PearError::Provider(PearFailure::UnexpectedDomain { field, found, .. }) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*field, "name");
    assert_escaped("found", found);
    assert_escaped("Display", &err.to_string());
    // What was sent stays readable: the escapes say which characters were there.
    assert_eq!(
        found,
        r"`\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[32mOK logged in\u{1b}[0m\r\n…`"
    );

    // A short name is shown whole, bidi overrides and invisible characters escaped.
    let name = "\u{202e}gnp.exe\u{202c} \u{2066}Pear\u{2069}\u{200b}\u{2028}";
    let document = login_message(ADDRESS, NOW, with("name", json!(name)));
    let err = check(&document).unwrap_err();
    let PearError::Provider(PearFailure::UnexpectedDomain { found, .. }) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(
        found,
        r"`\u{202e}gnp.exe\u{202c} \u{2066}Pear\u{2069}\u{200b}\u{2028}`"
    );
}

#[test]
fn a_hostile_domain_version_is_shown_escaped() {
    let document = login_message(ADDRESS, NOW, with("version", json!(HOSTILE)));
    let err = check(&document).unwrap_err();
    assert!(
        matches!(
            err,
            PearError::Provider(PearFailure::UnexpectedDomain {
                field: "version",
                ..
            })
        ),
        "{err:?}"
    );
    assert_escaped("Display", &err.to_string());
}

#[test]
fn a_long_hostile_name_is_cut_between_escapes_never_inside_one() {
    // The cut falls where an escape would start, whichever offset the text begins at.
    for pad in 0..12 {
        let name = format!("{}{}", "a".repeat(pad), "\u{1b}".repeat(40));
        let document = login_message(ADDRESS, NOW, with("name", json!(name)));
        let err = check(&document).unwrap_err();
        let PearError::Provider(PearFailure::UnexpectedDomain { found, .. }) = &err else {
            panic!("{err:?}");
        };
        assert!(!found.chars().any(is_dangerous), "{found:?}");
        let body = found
            .strip_prefix('`')
            .and_then(|f| f.strip_suffix("…`"))
            .unwrap_or_else(|| panic!("pad {pad}: not quoted and cut: {found}"))
            .trim_start_matches('a');
        assert!(
            body.split_inclusive('}').all(|piece| piece == r"\u{1b}"),
            "pad {pad}: an escape was split: {found}"
        );
    }
}

#[tokio::test]
async fn a_hostile_domain_from_the_server_is_shown_escaped() {
    let body = login_message(ADDRESS, NOW, with("name", json!(HOSTILE)));
    let err = fetch(body).await.unwrap_err();
    assert!(
        matches!(
            err,
            PearError::Provider(PearFailure::UnexpectedDomain { field: "name", .. })
        ),
        "{err:?}"
    );
    assert_escaped("Display", &err.to_string());
}

#[tokio::test]
async fn a_hostile_primary_type_is_shown_escaped() {
    let mut document: Value =
        serde_json::from_str(&login_message(ADDRESS, NOW, live_domain())).unwrap();
    let fields = document["types"]["Authentication"].clone();
    document["types"][HOSTILE] = fields;
    document["primaryType"] = json!(HOSTILE);
    let err = fetch(document.to_string()).await.unwrap_err();
    assert!(
        matches!(err, PearError::Provider(PearFailure::UnsafeMessage { .. })),
        "{err:?}"
    );
    assert_escaped("Display", &err.to_string());
}

#[tokio::test]
async fn a_hostile_type_name_in_invalid_typed_data_is_shown_escaped() {
    let mut document: Value =
        serde_json::from_str(&login_message(ADDRESS, NOW, live_domain())).unwrap();
    document["types"]["Authentication"][3]["type"] = json!(HOSTILE);
    let err = fetch(document.to_string()).await.unwrap_err();
    assert!(
        matches!(err, PearError::Provider(PearFailure::UnsafeMessage { .. })),
        "{err:?}"
    );
    assert_escaped("Display", &err.to_string());
}

#[tokio::test]
async fn a_hostile_token_type_is_shown_escaped() {
    let body = json!({
        "accessToken": "eyJ.access.token",
        "refreshToken": "refresh-token-1",
        "tokenType": format!("Mac{HOSTILE}"),
        "expiresIn": 900,
    });
    let client = support::canned_client(200, body.to_string());
    let err = client
        .login_api_key(&address(), &ApiKey::new("pk_test_key"))
        .await
        .unwrap_err();
    let PearError::Provider(PearFailure::UnsupportedTokenType { token_type }) = &err else {
        panic!("{err:?}");
    };
    assert!(!token_type.chars().any(is_dangerous), "{token_type:?}");
    assert!(token_type.starts_with(r"Mac\u{1b}]0;pwned"), "{token_type}");
    assert!(!err.to_string().chars().any(is_dangerous), "{err}");
}

#[tokio::test]
async fn a_hostile_refusal_is_shown_escaped() {
    let body = json!({"message": [HOSTILE], "error": HOSTILE, "statusCode": 401});
    let client = support::canned_client(401, body.to_string());
    let err = client
        .login_api_key(&address(), &ApiKey::new("pk_test_key"))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_escaped("Display", &err.to_string());
}

/// The positional checks kept for compatibility say what `LoginCheck` says.
#[test]
#[allow(deprecated)]
fn the_deprecated_positional_checks_agree_with_login_check() {
    let good = login_message(ADDRESS, NOW, live_domain());
    let hostile = login_message(ADDRESS, NOW, with("name", json!(HOSTILE)));
    for document in [&good, &hostile] {
        let typed = || TypedData::from_json_str(document).unwrap();
        let expected = check(document)
            .map(|m| m.timestamp())
            .map_err(|e| e.to_string());
        let positional =
            pear_auth::check_login_message(typed(), None, &address(), "APITRADER", NOW, 300);
        let positional_in = pear_auth::check_login_message_in(
            typed(),
            None,
            &address(),
            "APITRADER",
            NOW,
            300,
            &PearDomain::default(),
        );
        for result in [positional, positional_in] {
            assert_eq!(
                result.map(|m| m.timestamp()).map_err(|e| e.to_string()),
                expected
            );
        }
    }
    assert!(check(&good).is_ok());
    assert!(check(&hostile).is_err());
}
