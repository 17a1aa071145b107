//! `authctl pear token --keystore` opens the keystore only when a login must sign (issue
//! 21, L4): a good stored token is printed without the password and without scrypt. The
//! account comes from the keystore's clear `address` field; a key that is not that
//! address's is refused before any request.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod support;

use std::path::Path;
use std::process::Output;

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_signing::ethereum::LocalEthSigner;
use auth_signing::ethereum::keystore::{Kdf, KeystorePassword};
use support::{authctl, stderr};

const KEY: &str = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
const OTHER_KEY: &str = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const PASSWORD: &str = "a keystore password";

/// A keystore of `key` (light KDF) in `dir`, its clear `address` field replaced by
/// `address` when given (`Some(None)`: removed).
fn keystore(dir: &Path, key: &str, address: Option<Option<&str>>) -> String {
    let signer = LocalEthSigner::from_hex(key).unwrap();
    let json = signer
        .to_keystore(&KeystorePassword::new(PASSWORD), Kdf::SCRYPT_LIGHT)
        .unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&json).unwrap();
    match address {
        None => {}
        Some(Some(address)) => json["address"] = address.into(),
        Some(None) => {
            json.as_object_mut().unwrap().remove("address");
        }
    }
    let path = dir.join("key.json");
    std::fs::write(&path, json.to_string()).unwrap();
    path.to_str().unwrap().to_owned()
}

/// `authctl pear token --keystore file` with the store `store`, the password from the
/// variable `KP` (set to `password`, or not set).
fn token(sb: &Sandbox, file: &str, store: &str, password: Option<&str>) -> Output {
    let env: Vec<(&str, &str)> = password.map(|p| ("KP", p)).into_iter().collect();
    authctl(
        &[
            "pear",
            "token",
            "--base-url",
            &sb.pear_url(),
            "--keystore",
            file,
            "--password-env",
            "KP",
            "--store",
            store,
        ],
        &env,
    )
}

fn printed(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        stderr(out)
    );
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .trim_end()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_good_stored_token_is_printed_without_opening_the_keystore() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = keystore(dir.path(), KEY, None);
    let store = dir.path().join("tokens.json");
    let store = store.to_str().unwrap();

    // Nothing stored: the login opens the keystore with the password and signs.
    let first = printed(&token(&sb, &file, store, Some(PASSWORD)));
    let c = sb.counters();
    assert_eq!((c.pear_messages, c.pear_logins), (1, 1), "{c:?}");

    // Stored and good: no password needed (the variable is not set, or wrong), because the
    // keystore is not opened.
    assert_eq!(printed(&token(&sb, &file, store, None)), first);
    assert_eq!(
        printed(&token(&sb, &file, store, Some("not the password"))),
        first
    );
    let missing = dir.path().join("no-such-password-file");
    let by_file = authctl(
        &[
            "pear",
            "token",
            "--base-url",
            &sb.pear_url(),
            "--keystore",
            &file,
            "--password-file",
            missing.to_str().unwrap(),
            "--store",
            store,
        ],
        &[],
    );
    assert_eq!(printed(&by_file), first);
    let c = sb.counters();
    assert_eq!((c.pear_messages, c.pear_logins), (1, 1), "{c:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_opens_the_keystore_and_a_wrong_password_sends_nothing() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = keystore(dir.path(), KEY, None);
    let store = dir.path().join("tokens.json");
    let store = store.to_str().unwrap();

    for password in [None, Some("not the password")] {
        let out = token(&sb, &file, store, password);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.starts_with("error: ") && err.lines().count() == 1,
            "{err}"
        );
        assert!(!err.contains("not the password"), "{err}");
    }
    let c = sb.counters();
    assert_eq!((c.pear_messages, c.pear_logins), (0, 0), "{c:?}");

    let token = printed(&token(&sb, &file, store, Some(PASSWORD)));
    assert!(sb.pear_access_token_valid_at(&token, std::time::SystemTime::now()));
    assert_eq!(sb.counters().pear_logins, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_keystore_whose_address_field_names_another_account_is_refused_before_any_request() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let other = LocalEthSigner::from_hex(OTHER_KEY).unwrap().address();
    let lying = other.to_lowercase_hex();
    let file = keystore(dir.path(), KEY, Some(Some(lying.trim_start_matches("0x"))));
    let store = dir.path().join("tokens.json");
    let out = token(&sb, &file, store.to_str().unwrap(), Some(PASSWORD));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("address"), "{err}");
    assert!(err.contains(&file), "{err}");
    let c = sb.counters();
    assert_eq!((c.pear_messages, c.pear_logins), (0, 0), "{c:?}");
    assert!(!store.exists());
}

/// Without a clear address the account is known only by decrypting: done up front, so the
/// password is needed on every call (the documented cost of such a file).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_keystore_without_an_address_is_opened_up_front() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = keystore(dir.path(), KEY, Some(None));
    let store = dir.path().join("tokens.json");
    let store = store.to_str().unwrap();
    let first = printed(&token(&sb, &file, store, Some(PASSWORD)));
    assert_eq!(printed(&token(&sb, &file, store, Some(PASSWORD))), first);
    let out = token(&sb, &file, store, None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(sb.counters().pear_logins, 1);
}
