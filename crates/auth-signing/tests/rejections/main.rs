//! One test per kind of bad typed data: each must be a specific error naming the path,
//! never a panic and never a hash.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use auth_signing::eip712::{Eip712Error, TypedData};
use serde_json::{Value, json};

mod structure;
mod type_names;
mod values;

/// A valid document with one struct `T` holding `field` of type `ty` set to `value`.
fn doc(ty: &str, value: Value) -> Value {
    json!({
        "types": {"T": [{"name": "field", "type": ty}]},
        "primaryType": "T",
        "domain": {"name": "Test", "chainId": 1},
        "message": {"field": value},
    })
}

fn err(document: Value) -> Eip712Error {
    match TypedData::from_json_value(document) {
        Ok(t) => panic!("accepted: {t:?}"),
        Err(e) => e,
    }
}

fn ok(document: Value) -> TypedData {
    TypedData::from_json_value(document).unwrap()
}

#[test]
fn errors_are_send_sync_static_and_lowercase() {
    fn assert_error<E: std::error::Error + Send + Sync + 'static>(_: &E) {}
    let e = err(doc("uint8", json!(256)));
    assert_error(&e);
    let text = e.to_string();
    assert!(!text.ends_with('.'));
    assert!(text.starts_with("message.field"));
}

/// Typed data often comes from a server: what an error quotes of it (type names, paths,
/// the primary type) never carries a terminal escape or an invisible character.
#[test]
fn errors_escape_control_and_invisible_characters_of_the_document() {
    let hostile = "Mail\u{1b}]0;owned\u{7}\u{1b}[2J\u{1b}[32mOK\u{202e}\u{200b}";
    let unknown_primary = json!({
        "types": { "EIP712Domain": [] },
        "primaryType": hostile,
        "domain": {},
        "message": {}
    });
    let unknown_type = json!({
        "types": { "EIP712Domain": [], "Mail": [{ "name": "to", "type": hostile }] },
        "primaryType": "Mail",
        "domain": {},
        "message": { "to": 1 }
    });
    for document in [unknown_primary, unknown_type] {
        let error = err(document);
        for shown in [error.to_string(), format!("{error:?}")] {
            assert!(
                !shown
                    .chars()
                    .any(|c| c.is_control() || ('\u{200b}'..='\u{202e}').contains(&c)),
                "{shown:?}"
            );
        }
        assert!(error.to_string().contains("\\u{1b}"), "{error}");
    }
}
