//! Files that are not what they claim: unknown algorithms and versions, corrupt fields.

use auth_signing::ethereum::keystore::{self, KeystoreError};
use serde_json::json;

use super::{data, light_file, with, without};

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
