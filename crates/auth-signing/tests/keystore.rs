//! Web3 Secret Storage keystores: files made by Python's eth-account open to their keys;
//! ours round-trip; wrong passwords, tampering, unknown algorithms and hostile parameters
//! are typed errors, refused before any key derivation runs.

#![cfg(feature = "keystore")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use auth_signing::ethereum::LocalEthSigner;
use auth_signing::ethereum::keystore::{self, Kdf, KeystoreError, KeystorePassword};
use proptest::prelude::*;
use serde_json::{Value, json};

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
fn unknown_algorithms_and_versions_are_named() {
    let (file, password) = light_file();
    let decrypt = |text: String| keystore::decrypt(&text, &password).unwrap_err();
    assert_eq!(
        decrypt(with(&file, "/crypto/kdf", json!("argon2id"))),
        KeystoreError::UnsupportedKdf {
            kdf: "argon2id".into()
        }
    );
    assert_eq!(
        decrypt(with(&file, "/crypto/cipher", json!("aes-128-cbc"))),
        KeystoreError::UnsupportedCipher {
            cipher: "aes-128-cbc".into()
        }
    );
    let pbkdf2 = data("pbkdf2.json");
    assert_eq!(
        keystore::decrypt(
            &with(&pbkdf2, "/crypto/kdfparams/prf", json!("hmac-sha512")),
            &password
        )
        .unwrap_err(),
        KeystoreError::UnsupportedPrf {
            prf: "hmac-sha512".into()
        }
    );
    for version in [json!(1), json!(4)] {
        assert_eq!(
            decrypt(with(&file, "/version", version)),
            KeystoreError::UnsupportedVersion
        );
    }
    // A long name is cut, not echoed whole.
    let long = "x".repeat(10_000);
    let KeystoreError::UnsupportedKdf { kdf } = decrypt(with(&file, "/crypto/kdf", json!(long)))
    else {
        panic!("not an unknown kdf");
    };
    assert_eq!(kdf.len(), 32);
}

#[test]
fn corrupt_files_name_the_field() {
    let (file, password) = light_file();
    let decrypt = |text: &str| keystore::decrypt(text, &password).unwrap_err();
    assert!(matches!(
        decrypt("{\"version\": 3,"),
        KeystoreError::NotJson { .. }
    ));
    assert!(matches!(decrypt(""), KeystoreError::NotJson { .. }));
    assert!(matches!(
        decrypt("[3]"),
        KeystoreError::InvalidField {
            field: "top level",
            ..
        }
    ));
    for (parent, key, field) in [
        ("", "version", "version"),
        ("", "crypto", "crypto"),
        ("/crypto", "mac", "crypto.mac"),
        ("/crypto", "ciphertext", "crypto.ciphertext"),
        ("/crypto/cipherparams", "iv", "crypto.cipherparams.iv"),
        ("/crypto/kdfparams", "salt", "crypto.kdfparams.salt"),
        ("/crypto/kdfparams", "n", "crypto.kdfparams.n"),
        ("/crypto/kdfparams", "dklen", "crypto.kdfparams.dklen"),
    ] {
        assert_eq!(
            decrypt(&without(&file, parent, key)),
            KeystoreError::MissingField { field },
            "{field}"
        );
    }
    for (path, value, field) in [
        ("/crypto/mac", json!("zz"), "crypto.mac"),
        ("/crypto/mac", json!("00".repeat(31)), "crypto.mac"),
        (
            "/crypto/ciphertext",
            json!("00".repeat(64)),
            "crypto.ciphertext",
        ),
        (
            "/crypto/cipherparams/iv",
            json!(16),
            "crypto.cipherparams.iv",
        ),
        ("/crypto/kdfparams/salt", json!(""), "crypto.kdfparams.salt"),
        (
            "/crypto/kdfparams/salt",
            json!("00".repeat(10_000)),
            "crypto.kdfparams.salt",
        ),
        (
            "/crypto/kdfparams/salt",
            json!("0g".repeat(16)),
            "crypto.kdfparams.salt",
        ),
        ("/crypto/kdfparams/n", json!(-4096), "crypto.kdfparams.n"),
        ("/crypto/kdfparams/n", json!(4096.5), "crypto.kdfparams.n"),
        ("/crypto/kdfparams/n", json!("4096"), "crypto.kdfparams.n"),
        ("/address", json!("0x1234"), "address"),
    ] {
        assert!(
            matches!(decrypt(&with(&file, path, value.clone())), KeystoreError::InvalidField { field: f, .. } if f == field),
            "{path} = {value}"
        );
    }
    let huge = format!("{file}{}", " ".repeat(70_000));
    assert!(matches!(
        decrypt(&huge),
        KeystoreError::TooLarge { limit: 65536, .. }
    ));
}

/// Parameters that would take gigabytes or hours are refused before the KDF runs (were
/// the KDF run, n = 2^40 would not finish and would ask for 128 TiB).
#[test]
fn hostile_kdf_parameters_are_refused_before_deriving() {
    let (scrypt, password) = light_file();
    let pbkdf2 = data("pbkdf2.json");
    let refused = |file: &str, path: &str, value: Value| match keystore::decrypt(
        &with(file, path, value.clone()),
        &password,
    ) {
        Err(KeystoreError::KdfParamsRefused { param, .. }) => param,
        other => panic!("{path} = {value}: {other:?}"),
    };
    let n = "/crypto/kdfparams/n";
    assert_eq!(refused(&scrypt, n, json!(1u64 << 40)), "n");
    assert_eq!(refused(&scrypt, n, json!(u64::MAX)), "n");
    assert_eq!(refused(&scrypt, n, json!(1e300)), "n");
    assert_eq!(refused(&scrypt, n, json!(4095)), "n");
    assert_eq!(refused(&scrypt, n, json!(0)), "n");
    assert_eq!(refused(&scrypt, n, json!(1)), "n");
    assert_eq!(refused(&scrypt, n, json!(1u64 << 21)), "n");
    // 2^20 with r = 8 is 1 GiB of memory.
    assert_eq!(refused(&scrypt, n, json!(1u64 << 20)), "r");
    assert_eq!(
        refused(&scrypt, "/crypto/kdfparams/r", json!(1u64 << 40)),
        "r"
    );
    assert_eq!(refused(&scrypt, "/crypto/kdfparams/r", json!(0)), "r");
    assert_eq!(refused(&scrypt, "/crypto/kdfparams/p", json!(1000)), "p");
    assert_eq!(refused(&scrypt, "/crypto/kdfparams/p", json!(0)), "p");
    assert_eq!(
        refused(&scrypt, "/crypto/kdfparams/dklen", json!(64)),
        "dklen"
    );
    let c = "/crypto/kdfparams/c";
    assert_eq!(refused(&pbkdf2, c, json!(u64::from(u32::MAX))), "c");
    assert_eq!(refused(&pbkdf2, c, json!(10_000_001)), "c");
    assert_eq!(refused(&pbkdf2, c, json!(0)), "c");
    // Within the memory limit but too much work in all: 256 MiB times 16.
    let standard = with(&scrypt, n, json!(1u64 << 18));
    assert_eq!(refused(&standard, "/crypto/kdfparams/p", json!(16)), "p");
    // The same limits hold when writing.
    let signer = LocalEthSigner::from_hex(&"44".repeat(32)).unwrap();
    for kdf in [
        Kdf::Scrypt {
            log_n: 40,
            r: 8,
            p: 1,
        },
        Kdf::Scrypt {
            log_n: 200,
            r: 8,
            p: 1,
        },
        Kdf::Scrypt {
            log_n: 12,
            r: 0,
            p: 1,
        },
        Kdf::Pbkdf2 {
            iterations: u32::MAX,
        },
    ] {
        assert!(matches!(
            keystore::encrypt(&signer, &password, kdf),
            Err(KeystoreError::KdfParamsRefused { .. })
        ));
    }
}

/// `Kdf::Scrypt` for `n`, `r`, `p` as a file states them (`n` a power of two).
fn scrypt(n: u64, r: u64, p: u64) -> Kdf {
    Kdf::Scrypt {
        log_n: u8::try_from(n.trailing_zeros()).unwrap(),
        r: u32::try_from(r).unwrap(),
        p: u32::try_from(p).unwrap(),
    }
}

/// scrypt holds three buffers at once: `V` (`128 * r * n` bytes), `B` (`128 * r * p`) and
/// a mix buffer (`128 * r`). Files whose `V` alone is within 512 MiB but whose three
/// buffers are not are refused before any derivation. Issue 21 reported 1.31 GB and 9 s
/// for "n = 2^21, r = 2, p = 2"; that `n` was always refused, and the figures are those of
/// n = 2, r = 2^21, p = 2 (the first case, measured): `V` the 512 MiB the old check
/// counted, `B` and the mix buffer 768 MiB more.
#[test]
fn scrypt_memory_beyond_v_is_refused_before_deriving() {
    let (file, password) = light_file();
    for (n, r, p, param) in [
        // V 512 MiB, B 512 MiB, mix buffer 256 MiB: 1.25 GiB.
        (2, 1 << 21, 2, "r"),
        // V 512 MiB, B 256 MiB, mix buffer 256 MiB: 1 GiB.
        (2, 1 << 21, 1, "r"),
        // V 256 MiB, B 512 MiB, mix buffer 128 MiB.
        (2, 1 << 20, 4, "r"),
        // V exactly 512 MiB, and 1 KiB more.
        (1 << 20, 4, 1, "r"),
        (1 << 19, 8, 1, "r"),
        (1 << 10, 1 << 12, 1, "r"),
        // n = 2^21 (V 512 MiB at r = 2) is above the limit on n itself.
        (1 << 21, 2, 2, "n"),
    ] {
        // The check comes first: were it to pass, decrypting below would run the KDF.
        assert!(
            matches!(
                scrypt(n, r, p).check(),
                Err(KeystoreError::KdfParamsRefused { param: refused, .. }) if refused == param
            ),
            "n = {n}, r = {r}, p = {p}: {:?}",
            scrypt(n, r, p).check()
        );
        let hostile = with(
            &with(
                &with(&file, "/crypto/kdfparams/n", json!(n)),
                "/crypto/kdfparams/r",
                json!(r),
            ),
            "/crypto/kdfparams/p",
            json!(p),
        );
        match keystore::decrypt(&hostile, &password) {
            Err(KeystoreError::KdfParamsRefused {
                param: refused,
                limit,
                ..
            }) => {
                assert_eq!(refused, param, "n = {n}, r = {r}, p = {p}");
                if param == "r" {
                    assert_eq!(
                        limit, "128 * r * (n + p + 1) bytes of scrypt memory is above 512 MiB",
                        "n = {n}, r = {r}, p = {p}"
                    );
                }
            }
            other => panic!("n = {n}, r = {r}, p = {p}: {other:?}"),
        }
    }
}

/// The largest parameters the limits allow pass the check (it is the check that is tested:
/// deriving with them would take 512 MiB and seconds), and one step past each is refused.
#[test]
fn the_largest_scrypt_parameters_within_the_limits_pass_the_check() {
    for (n, r, p) in [
        // Exactly 512 MiB: V 256 MiB, B 128 MiB, mix buffer 128 MiB.
        (2, 1 << 20, 1),
        // Exactly 512 MiB: V 256 MiB, B 192 MiB, mix buffer 64 MiB.
        (4, 1 << 19, 3),
        // The largest r at n = 2^20 and n = 2^18 (480 MiB and 3.75 KiB).
        (1 << 20, 3, 2),
        (1 << 18, 15, 1),
        // Exactly 1 GiB of work (n * r * p * 128), 64 MiB and 34 KiB of memory.
        (1 << 15, 16, 16),
        // The slowest within the limits: 862 MiB of work, B 431 MiB.
        (2, 220_752, 16),
        // geth's standard and light settings.
        (1 << 18, 8, 1),
        (1 << 12, 8, 6),
    ] {
        assert_eq!(scrypt(n, r, p).check(), Ok(()), "n = {n}, r = {r}, p = {p}");
    }
    for (n, r, p, param) in [
        (2, (1 << 20) + 1, 1, "r"),
        (4, (1 << 19) + 1, 3, "r"),
        (2, 1 << 20, 2, "r"),
        (1 << 20, 4, 1, "r"),
        (1 << 18, 16, 1, "r"),
        (2, 220_753, 16, "r"),
        (1 << 15, 16, 17, "p"),
        (1 << 16, 16, 16, "p"),
    ] {
        assert!(
            matches!(
                scrypt(n, r, p).check(),
                Err(KeystoreError::KdfParamsRefused { param: refused, .. }) if refused == param
            ),
            "n = {n}, r = {r}, p = {p}: {:?}",
            scrypt(n, r, p).check()
        );
    }
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
