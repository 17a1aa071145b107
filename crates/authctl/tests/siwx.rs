//! `authctl siwe` and `authctl siws`, run as a user would: spruceid's EIP-4361 vectors
//! through `parse`, `message` and `verify`; `sign` then `verify` for both standards; and
//! `login` / `token` against the sandbox's SIWE and SIWS backends.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod support;

use std::path::{Path, PathBuf};

use auth_sandbox::{Sandbox, SandboxConfig};
use serde_json::{Map, Value};
use support::{authctl, json, stderr};

const KEY: &str = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
/// The seed of the test Solana keypair.
const SOLANA_SEED: [u8; 32] = [7; 32];

fn vectors(name: &str) -> Map<String, Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../auth-signing/tests/data/siwe")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A value without its null fields and empty arrays, for comparing field sets.
fn trimmed(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
                .map(|(k, v)| (k.clone(), trimmed(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("authctl-siwx-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn assert_one_line_failure(out: &std::process::Output, case: &str) {
    assert_eq!(out.status.code(), Some(1), "{case}: {}", stderr(out));
    assert_eq!(
        stderr(out).trim_end().lines().count(),
        1,
        "{case}: {}",
        stderr(out)
    );
    assert!(out.stdout.is_empty(), "{case}");
}

#[test]
fn spruceid_parsing_vectors_through_parse_and_message() {
    let scratch = Scratch::new("parsing");
    for (case, vector) in vectors("parsing_positive.json") {
        let message = vector["message"].as_str().unwrap();
        let file = scratch.write("message.txt", message);
        let fields = json(&authctl(&["siwe", "parse", &file], &[]));
        assert_eq!(trimmed(&fields), trimmed(&vector["fields"]), "{case}");
        let fields_file = scratch.write("fields.json", &vector["fields"].to_string());
        let out = authctl(&["siwe", "message", &fields_file], &[]);
        assert!(out.status.success(), "{case}: {}", stderr(&out));
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!("{message}\n"),
            "{case}"
        );
    }
    for (case, vector) in vectors("parsing_negative.json") {
        let file = scratch.write("bad.txt", vector.as_str().unwrap());
        assert_one_line_failure(&authctl(&["siwe", "parse", &file], &[]), &case);
    }
    for (case, fields) in vectors("parsing_negative_objects.json") {
        let file = scratch.write("bad.json", &fields.to_string());
        assert_one_line_failure(&authctl(&["siwe", "message", &file], &[]), &case);
    }
}

/// Runs `verify` of the vector's fields and signature with its options.
fn verify_vector(scratch: &Scratch, vector: &Value) -> std::process::Output {
    let mut fields = vector.as_object().unwrap().clone();
    let signature = fields.remove("signature").unwrap();
    let time = fields.remove("time");
    let domain = fields.remove("domainBinding");
    let nonce = fields.remove("matchNonce");
    let fields_file = scratch.write("fields.json", &Value::Object(fields).to_string());
    let made = authctl(&["siwe", "message", &fields_file], &[]);
    if !made.status.success() {
        return made;
    }
    let message = scratch.write("message.txt", &String::from_utf8_lossy(&made.stdout));
    let mut args = vec!["siwe", "verify", &message, "--signature-env", "SIG"];
    let owned: Vec<(&str, String)> = [("--time", time), ("--domain", domain), ("--nonce", nonce)]
        .into_iter()
        .filter_map(|(flag, v)| Some((flag, v?.as_str()?.to_owned())))
        .collect();
    for (flag, value) in &owned {
        args.push(flag);
        args.push(value);
    }
    authctl(&args, &[("SIG", signature.as_str().unwrap())])
}

#[test]
fn spruceid_verification_vectors_through_verify() {
    let scratch = Scratch::new("verification");
    for (case, vector) in vectors("verification_positive.json") {
        let out = verify_vector(&scratch, &vector);
        assert!(out.status.success(), "{case}: {}", stderr(&out));
        assert_eq!(String::from_utf8_lossy(&out.stdout), "valid\n", "{case}");
    }
    for (case, vector) in vectors("verification_negative.json") {
        assert_one_line_failure(&verify_vector(&scratch, &vector), &case);
    }
}

#[test]
fn sign_then_verify_both_standards() {
    let scratch = Scratch::new("sign");
    let address = auth_signing::ethereum::LocalEthSigner::from_hex(KEY)
        .unwrap()
        .address()
        .to_checksum();
    let fields = serde_json::json!({
        "domain": "example.com", "address": address, "uri": "https://example.com/login",
        "version": "1", "chainId": 1, "nonce": "abcdefgh12", "issuedAt": "2026-01-01T00:00:00.000Z",
    });
    let fields_file = scratch.write("fields.json", &fields.to_string());
    let out = authctl(&["siwe", "message", &fields_file], &[]);
    let message = scratch.write("message.txt", &String::from_utf8_lossy(&out.stdout));
    let out = authctl(
        &["siwe", "sign", "--private-key-env", "PK", &message],
        &[("PK", KEY)],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let signature = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let verify = |sig: &str, extra: &[&str]| {
        let mut args = vec![
            "siwe",
            "verify",
            &message,
            "--signature-env",
            "SIG",
            "--time",
            "2026-01-01T00:01:00Z",
        ];
        args.extend_from_slice(extra);
        authctl(&args, &[("SIG", sig)])
    };
    assert!(
        verify(
            &signature,
            &["--domain", "example.com", "--nonce", "abcdefgh12"]
        )
        .status
        .success()
    );
    assert_one_line_failure(
        &verify(&signature, &["--domain", "evil.example"]),
        "foreign domain",
    );
    assert_one_line_failure(&verify(&signature, &["--nonce", "other123"]), "other nonce");
    let mut forged = signature.clone();
    forged.replace_range(
        10..12,
        if &signature[10..12] == "00" {
            "11"
        } else {
            "00"
        },
    );
    assert_one_line_failure(&verify(&forged, &[]), "forged");

    let keypair = keypair_json();
    let pubkey = bs58_pubkey();
    let siws_fields = serde_json::json!({
        "domain": "example.com", "address": pubkey, "statement": "Sign in", "nonce": "abcdefgh12",
        "issuedAt": "2026-01-01T00:00:00.000Z", "chainId": "mainnet",
    });
    let fields_file = scratch.write("siws.json", &siws_fields.to_string());
    let out = authctl(&["siws", "message", &fields_file], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let message = scratch.write("siws.txt", &String::from_utf8_lossy(&out.stdout));
    let parsed = json(&authctl(&["siws", "parse", &message], &[]));
    assert_eq!(parsed["address"], pubkey);
    let out = authctl(
        &["siws", "sign", "--keypair-env", "KP", &message],
        &[("KP", &keypair)],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let signature = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let out = authctl(
        &[
            "siws",
            "verify",
            &message,
            "--signature-env",
            "SIG",
            "--domain",
            "example.com",
        ],
        &[("SIG", &signature)],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains(&keypair));
}

/// The test keypair as the Solana CLI writes it (a JSON array of 64 bytes).
fn keypair_json() -> String {
    auth_signing::solana::SolanaKeypair::from_seed_bytes(SOLANA_SEED)
        .to_keypair_json()
        .to_string()
}

fn bs58_pubkey() -> String {
    auth_signing::solana::SolanaKeypair::from_seed_bytes(SOLANA_SEED)
        .pubkey()
        .to_base58()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_and_token_against_the_sandbox() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let scratch = Scratch::new("online");
    // SIWE, cookie mode (the default preset).
    let login = json(&authctl(
        &[
            "siwe",
            "login",
            "--base-url",
            &sb.siwe_url(),
            "--private-key-env",
            "PK",
        ],
        &[("PK", KEY)],
    ));
    assert!(
        login["token"].as_str().is_some_and(|t| !t.is_empty()),
        "{login}"
    );
    assert!(login["refreshToken"].is_null());
    // SIWS, token mode, twice through one store: one sign-in.
    let keypair = keypair_json();
    let store = scratch.0.join("siws-token.json");
    let token = |_: ()| {
        let out = authctl(
            &[
                "siws",
                "token",
                "--base-url",
                &sb.siws_url(),
                "--preset",
                "token-api",
                "--keypair-env",
                "KP",
                "--store",
                store.to_str().unwrap(),
            ],
            &[("KP", &keypair)],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let first = token(());
    let second = token(());
    assert_eq!(first, second, "the second run reads the stored token");
    assert!(!first.is_empty());
    // A backend shape the flags describe: the token API's routes, spelled out.
    let login = json(&authctl(
        &[
            "siwe",
            "login",
            "--base-url",
            &sb.siwe_url(),
            "--private-key-env",
            "PK",
            "--nonce-path",
            "/auth/nonce",
            "--nonce-field",
            "nonce",
            "--login-path",
            "/auth/login",
            "--token-field",
            "accessToken",
            "--refresh-token-field",
            "refreshToken",
            "--expires-in-field",
            "expiresIn",
        ],
        &[("PK", KEY)],
    ));
    assert!(login["refreshToken"].as_str().is_some(), "{login}");
    assert!(login["expiresIn"].as_u64().is_some(), "{login}");
    // A foreign domain is refused before anything is signed.
    let out = authctl(
        &[
            "siwe",
            "login",
            "--base-url",
            &sb.siwe_url(),
            "--private-key-env",
            "PK",
            "--domain",
            "evil.example",
        ],
        &[("PK", KEY)],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("evil.example"), "{}", stderr(&out));
}
