//! Web3 Secret Storage keystores: files made by Python's eth-account open to their keys;
//! ours round-trip; wrong passwords, tampering, unknown algorithms and hostile parameters
//! are typed errors, refused before any key derivation runs.

#![cfg(feature = "keystore")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use auth_signing::ethereum::LocalEthSigner;
use auth_signing::ethereum::keystore::{self, Kdf, KeystoreError, KeystorePassword};
use proptest::prelude::*;
use serde_json::{Value, json};

mod corrupt;
mod limits;

fn data(file: &str) -> String {
    let path = format!("{}/tests/data/keystores/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap()
}

/// The files made by eth-account (see tests/data/keystores/README.md), and ours that
/// eth-account opened: file, private key, password.
const FILES: &[(&str, &str, &str)] = &[
    (
        "scrypt-light.json",
        "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318",
        "foo",
    ),
    (
        "scrypt-light-unicode.json",
        "1111111111111111111111111111111111111111111111111111111111111111",
        "p\u{e4}ssw\u{f6}rd \u{1f511}",
    ),
    (
        "pbkdf2.json",
        "6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3",
        "correct horse battery staple",
    ),
    (
        "pbkdf2-empty-password.json",
        "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f",
        "",
    ),
    (
        "ours-scrypt-light.json",
        "0101010101010101010101010101010101010101010101010101010101010101",
        "ours",
    ),
    (
        "ours-pbkdf2.json",
        "0202020202020202020202020202020202020202020202020202020202020202",
        "ours too",
    ),
];

fn light_file() -> (String, KeystorePassword) {
    (data("scrypt-light.json"), KeystorePassword::new("foo"))
}

/// `file` with the value at JSON pointer `path` replaced by `value`.
fn with(file: &str, path: &str, value: Value) -> String {
    let mut doc: Value = serde_json::from_str(file).unwrap();
    *doc.pointer_mut(path).unwrap() = value;
    doc.to_string()
}

/// `file` without the field at `path` (parent pointer, key).
fn without(file: &str, parent: &str, key: &str) -> String {
    let mut doc: Value = serde_json::from_str(file).unwrap();
    doc.pointer_mut(parent)
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove(key);
    doc.to_string()
}

#[test]
fn files_made_by_eth_account_open_to_their_keys() {
    for (file, key, password) in FILES {
        let signer = keystore::decrypt(&data(file), &KeystorePassword::new(*password))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(
            signer.address(),
            LocalEthSigner::from_hex(key).unwrap().address(),
            "{file}"
        );
        let wrong = keystore::decrypt(&data(file), &KeystorePassword::new("not it"));
        assert_eq!(wrong.unwrap_err(), KeystoreError::WrongPassword, "{file}");
    }
}

#[test]
fn our_files_round_trip_with_both_kdfs() {
    let signer = LocalEthSigner::from_hex(&"42".repeat(32)).unwrap();
    let password = KeystorePassword::new("round trip");
    for kdf in [Kdf::SCRYPT_LIGHT, Kdf::Pbkdf2 { iterations: 1000 }] {
        let first = signer.to_keystore(&password, kdf).unwrap();
        let second = keystore::encrypt(&signer, &password, kdf).unwrap();
        // Fresh salt, IV and id each time.
        let (a, b): (Value, Value) = (
            serde_json::from_str(&first).unwrap(),
            serde_json::from_str(&second).unwrap(),
        );
        for field in ["/crypto/kdfparams/salt", "/crypto/cipherparams/iv", "/id"] {
            assert_ne!(a.pointer(field), b.pointer(field), "{field}");
        }
        assert_eq!(a["version"], 3);
        assert_eq!(a["address"], hex::encode(signer.address().as_bytes()));
        let id = a["id"].as_str().unwrap();
        assert_eq!((id.len(), &id[14..15]), (36, "4"), "a v4 uuid: {id}");
        for json in [first, second] {
            let opened = LocalEthSigner::from_keystore(&json, &password).unwrap();
            assert_eq!(opened.address(), signer.address());
            assert_eq!(
                keystore::decrypt(&json, &KeystorePassword::new("Round trip")).unwrap_err(),
                KeystoreError::WrongPassword
            );
        }
    }
}

#[test]
fn the_standard_setting_is_within_the_limits() {
    let signer = LocalEthSigner::from_hex(&"43".repeat(32)).unwrap();
    let password = KeystorePassword::new("standard");
    let json = keystore::encrypt(&signer, &password, Kdf::SCRYPT_STANDARD).unwrap();
    let doc: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["crypto"]["kdfparams"]["n"], 1 << 18);
    assert_eq!(
        doc["crypto"]["kdfparams"]["salt"].as_str().unwrap().len(),
        64
    );
    assert_eq!(
        keystore::decrypt(&json, &password).unwrap().address(),
        signer.address()
    );
}

#[test]
fn a_changed_mac_or_ciphertext_is_a_wrong_password() {
    let (file, password) = light_file();
    let doc: Value = serde_json::from_str(&file).unwrap();
    for path in ["/crypto/mac", "/crypto/ciphertext"] {
        let mut text = doc.pointer(path).unwrap().as_str().unwrap().to_owned();
        let flipped = if text.ends_with('0') { '1' } else { '0' };
        text.pop();
        text.push(flipped);
        assert_eq!(
            keystore::decrypt(&with(&file, path, json!(text)), &password).unwrap_err(),
            KeystoreError::WrongPassword,
            "{path}"
        );
    }
}

#[test]
fn an_address_field_of_another_key_is_refused() {
    let (file, password) = light_file();
    let other = with(&file, "/address", json!("00".repeat(20)));
    assert_eq!(
        keystore::decrypt(&other, &password).unwrap_err(),
        KeystoreError::AddressMismatch
    );
    // No address field at all is fine (eth-account can write files without one).
    let none = without(&file, "", "address");
    assert!(keystore::decrypt(&none, &password).is_ok());
    // Capitalised `Crypto`, as some older wallets wrote it.
    let old = file.replace("\"crypto\"", "\"Crypto\"");
    assert!(keystore::decrypt(&old, &password).is_ok());
}

#[test]
fn passwords_and_keys_show_nowhere() {
    let password = KeystorePassword::new("hunter2-secret");
    assert!(!format!("{password:?}").contains("hunter2"));
    let (file, _) = light_file();
    let error = keystore::decrypt(&file, &password).unwrap_err();
    let text = format!("{error} {error:?}");
    assert!(!text.contains("hunter2"), "{text}");
    let signer = keystore::decrypt(&file, &KeystorePassword::new("foo")).unwrap();
    assert!(!format!("{signer:?}").contains("4c0883a6"));
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x6b65_7973),
        ..ProptestConfig::default()
    })]

    /// Any text, and a real file with any field replaced by any JSON scalar: an error or a
    /// key, never a panic.
    #[test]
    fn nothing_panics(
        text in any::<String>(),
        field in prop::sample::select(vec![
            "/version", "/address", "/crypto/cipher", "/crypto/ciphertext", "/crypto/mac",
            "/crypto/kdf", "/crypto/cipherparams/iv", "/crypto/kdfparams/n",
            "/crypto/kdfparams/r", "/crypto/kdfparams/p", "/crypto/kdfparams/salt",
            "/crypto/kdfparams/dklen", "/crypto/cipherparams", "/crypto/kdfparams", "/crypto",
        ]),
        value in prop_oneof![
            any::<u64>().prop_map(|n| json!(n)),
            any::<i64>().prop_map(|n| json!(n)),
            any::<f64>().prop_map(|n| json!(n)),
            "[0-9a-f]{0,80}".prop_map(|s| json!(s)),
            any::<String>().prop_map(|s| json!(s)),
            Just(Value::Null),
            Just(json!([])),
            Just(json!({})),
        ],
    ) {
        let (file, password) = light_file();
        let _ = keystore::decrypt(&text, &password);
        let _ = keystore::decrypt(&with(&file, field, value), &password);
    }
}
