//! KDF parameters checked against the limits before any derivation runs.

use auth_signing::ethereum::LocalEthSigner;
use auth_signing::ethereum::keystore::{self, Kdf, KeystoreError};
use serde_json::{Value, json};

use super::{data, light_file, with};

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
