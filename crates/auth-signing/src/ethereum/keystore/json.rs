//! The version 3 JSON: read field by field (so errors name fields, never values) and written.

use serde_json::{Map, Value};

use super::KeystoreError;
use super::kdf::{Kdf, SALT_LENGTHS, check_pbkdf2, check_scrypt};

/// The largest keystore accepted: real ones are under 1 KiB.
pub const MAX_KEYSTORE_BYTES: usize = 64 * 1024;

/// A keystore's fields, checked, nothing derived yet.
pub(crate) struct Parsed {
    pub(crate) kdf: Kdf,
    pub(crate) salt: Vec<u8>,
    pub(crate) iv: [u8; 16],
    pub(crate) ciphertext: [u8; 32],
    pub(crate) mac: [u8; 32],
    pub(crate) address: Option<[u8; 20]>,
}

fn missing(field: &'static str) -> KeystoreError {
    KeystoreError::MissingField { field }
}

fn invalid(field: &'static str, expected: &'static str) -> KeystoreError {
    KeystoreError::InvalidField { field, expected }
}

/// A name from the file, cut to 32 characters, for an error message.
fn name(text: &str) -> String {
    text.chars().take(32).collect()
}

fn field<'a>(
    object: &'a Map<String, Value>,
    key: &str,
    path: &'static str,
) -> Result<&'a Value, KeystoreError> {
    object.get(key).ok_or_else(|| missing(path))
}

fn object<'a>(
    value: &'a Value,
    path: &'static str,
) -> Result<&'a Map<String, Value>, KeystoreError> {
    value.as_object().ok_or_else(|| invalid(path, "an object"))
}

fn string<'a>(value: &'a Value, path: &'static str) -> Result<&'a str, KeystoreError> {
    value.as_str().ok_or_else(|| invalid(path, "a string"))
}

/// A non-negative integer; one too large for u64 saturates (and is then refused by a limit).
fn integer(value: &Value, path: &'static str) -> Result<u64, KeystoreError> {
    if let Some(n) = value.as_u64() {
        return Ok(n);
    }
    match value.as_f64() {
        Some(f) if f.is_finite() && f >= 18_446_744_073_709_551_615.0 => Ok(u64::MAX),
        _ => Err(invalid(path, "a non-negative integer")),
    }
}

/// Hex (an optional `0x`) of exactly `N` bytes.
fn hex_array<const N: usize>(
    value: &Value,
    path: &'static str,
    expected: &'static str,
) -> Result<[u8; N], KeystoreError> {
    let text = string(value, path)?;
    let digits = text.strip_prefix("0x").unwrap_or(text);
    let mut out = [0u8; N];
    if digits.len() != 2 * N {
        return Err(invalid(path, expected));
    }
    hex::decode_to_slice(digits, &mut out).map_err(|_| invalid(path, expected))?;
    Ok(out)
}

/// Reads and checks a keystore's JSON. No key derivation happens here.
pub(crate) fn parse(text: &str) -> Result<Parsed, KeystoreError> {
    if text.len() > MAX_KEYSTORE_BYTES {
        return Err(KeystoreError::TooLarge {
            size: text.len(),
            limit: MAX_KEYSTORE_BYTES,
        });
    }
    let document: Value = serde_json::from_str(text).map_err(|e| KeystoreError::NotJson {
        line: e.line(),
        column: e.column(),
    })?;
    let top = object(&document, "top level")?;
    match top.get("version").map(|v| integer(v, "version")) {
        Some(Ok(3)) => {}
        Some(Ok(_)) => return Err(KeystoreError::UnsupportedVersion),
        Some(Err(e)) => return Err(e),
        None => return Err(missing("version")),
    }
    // geth writes `crypto`; some older wallets wrote `Crypto`.
    let crypto = top
        .get("crypto")
        .or_else(|| top.get("Crypto"))
        .ok_or_else(|| missing("crypto"))?;
    let crypto = object(crypto, "crypto")?;

    let cipher = string(field(crypto, "cipher", "crypto.cipher")?, "crypto.cipher")?;
    if cipher != "aes-128-ctr" {
        return Err(KeystoreError::UnsupportedCipher {
            cipher: name(cipher),
        });
    }
    let cipherparams = object(
        field(crypto, "cipherparams", "crypto.cipherparams")?,
        "crypto.cipherparams",
    )?;
    let iv = hex_array::<16>(
        field(cipherparams, "iv", "crypto.cipherparams.iv")?,
        "crypto.cipherparams.iv",
        "hex of 16 bytes",
    )?;
    let ciphertext = hex_array::<32>(
        field(crypto, "ciphertext", "crypto.ciphertext")?,
        "crypto.ciphertext",
        "hex of 32 bytes (an encrypted private key)",
    )?;
    let mac = hex_array::<32>(
        field(crypto, "mac", "crypto.mac")?,
        "crypto.mac",
        "hex of 32 bytes",
    )?;

    let kdf_name = string(field(crypto, "kdf", "crypto.kdf")?, "crypto.kdf")?;
    let params = object(
        field(crypto, "kdfparams", "crypto.kdfparams")?,
        "crypto.kdfparams",
    )?;
    let number = |key: &str, path: &'static str| integer(field(params, key, path)?, path);
    let kdf = match kdf_name {
        "scrypt" => check_scrypt(
            number("n", "crypto.kdfparams.n")?,
            number("r", "crypto.kdfparams.r")?,
            number("p", "crypto.kdfparams.p")?,
        )?,
        "pbkdf2" => {
            let prf = string(
                field(params, "prf", "crypto.kdfparams.prf")?,
                "crypto.kdfparams.prf",
            )?;
            if prf != "hmac-sha256" {
                return Err(KeystoreError::UnsupportedPrf { prf: name(prf) });
            }
            check_pbkdf2(number("c", "crypto.kdfparams.c")?)?
        }
        other => return Err(KeystoreError::UnsupportedKdf { kdf: name(other) }),
    };
    let dklen = number("dklen", "crypto.kdfparams.dklen")?;
    if dklen != 32 {
        return Err(KeystoreError::KdfParamsRefused {
            param: "dklen",
            value: dklen,
            limit: "must be 32",
        });
    }
    let salt_text = string(
        field(params, "salt", "crypto.kdfparams.salt")?,
        "crypto.kdfparams.salt",
    )?;
    let salt_digits = salt_text.strip_prefix("0x").unwrap_or(salt_text);
    if !SALT_LENGTHS.contains(&(salt_digits.len() / 2)) {
        return Err(invalid("crypto.kdfparams.salt", "hex of 8 to 256 bytes"));
    }
    let salt = hex::decode(salt_digits)
        .map_err(|_| invalid("crypto.kdfparams.salt", "hex of 8 to 256 bytes"))?;

    let address = match top.get("address") {
        None | Some(Value::Null) => None,
        Some(value) => Some(hex_array::<20>(value, "address", "hex of 20 bytes")?),
    };
    Ok(Parsed {
        kdf,
        salt,
        iv,
        ciphertext,
        mac,
        address,
    })
}

/// Writes a keystore's JSON the way geth does (hex without `0x`, lowercase address).
pub(crate) fn write(
    kdf: &Kdf,
    salt: &[u8],
    iv: &[u8; 16],
    ciphertext: &[u8; 32],
    mac: &[u8; 32],
    address: &[u8; 20],
    id: &[u8; 16],
) -> String {
    let kdfparams = match *kdf {
        Kdf::Scrypt { log_n, r, p } => serde_json::json!({
            "dklen": 32, "n": 1u64 << log_n, "p": p, "r": r, "salt": hex::encode(salt),
        }),
        Kdf::Pbkdf2 { iterations } => serde_json::json!({
            "c": iterations, "dklen": 32, "prf": "hmac-sha256", "salt": hex::encode(salt),
        }),
    };
    let kdf_name = match kdf {
        Kdf::Scrypt { .. } => "scrypt",
        Kdf::Pbkdf2 { .. } => "pbkdf2",
    };
    serde_json::json!({
        "address": hex::encode(address),
        "crypto": {
            "cipher": "aes-128-ctr",
            "cipherparams": {"iv": hex::encode(iv)},
            "ciphertext": hex::encode(ciphertext),
            "kdf": kdf_name,
            "kdfparams": kdfparams,
            "mac": hex::encode(mac),
        },
        "id": uuid(id),
        "version": 3,
    })
    .to_string()
}

/// A version 4 (random) UUID from 16 random bytes.
fn uuid(random: &[u8; 16]) -> String {
    let mut b = *random;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}
