//! pump.fun: each login format, the origin, a login signed elsewhere.

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_signing::solana::SolanaKeypair;

use super::stdout_line;
use super::support::{authctl, json, stderr};

fn keypair_env() -> (SolanaKeypair, String) {
    let kp = SolanaKeypair::from_seed_bytes([0x21; 32]);
    let json = kp.to_keypair_json().as_str().to_owned();
    (kp, json)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pump_logs_in_with_each_format() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (kp, secret) = keypair_env();
    for format in ["documented", "cookie", "token"] {
        let login = json(&authctl(
            &[
                "pump",
                "login",
                "--base-url",
                &sb.pump_url(),
                "--keypair-env",
                "KP",
                "--format",
                format,
            ],
            &[("KP", &secret)],
        ));
        let token = login["token"].as_str().unwrap().to_owned();
        let profile = json(&authctl(
            &[
                "pump",
                "profile",
                "--base-url",
                &sb.pump_url(),
                "--token-env",
                "T",
            ],
            &[("T", &token)],
        ));
        assert_eq!(profile["wallet"], kp.pubkey().to_string(), "{format}");
        // Every format's token comes with its lifetime (expiresIn or the JWT's exp).
        assert!(
            login["expiresIn"].as_u64().unwrap() > 86000,
            "{format}: {login}"
        );
    }
    let out = authctl(
        &[
            "pump",
            "login",
            "--base-url",
            &sb.pump_url(),
            "--keypair-env",
            "KP",
            "--format",
            "observed",
        ],
        &[("KP", &secret)],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("documented, cookie, token"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pump_origin_and_a_login_signed_elsewhere_with_the_held_token() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (kp, secret) = keypair_env();
    // Another origin: the server's refusal, with its status.
    let out = authctl(
        &[
            "pump",
            "login",
            "--base-url",
            &sb.pump_url(),
            "--keypair-env",
            "KP",
            "--origin",
            "https://evil.example",
        ],
        &[("KP", &secret)],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("403"), "{}", stderr(&out));

    let first = json(&authctl(
        &[
            "pump",
            "login",
            "--base-url",
            &sb.pump_url(),
            "--keypair-env",
            "KP",
        ],
        &[("KP", &secret)],
    ));
    let held = first["token"].as_str().unwrap().to_owned();

    // The text to sign, signed "elsewhere" by the generic message signer.
    let text = stdout_line(&authctl(&["pump", "message"], &[]));
    assert!(pump_auth::sign_in_millis(&text).is_some(), "{text}");
    let signature = stdout_line(&authctl(
        &["sign", "message", "--keypair-env", "KP", "--", &text],
        &[("KP", &secret)],
    ));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("message.txt");
    std::fs::write(&file, format!("{text}\n")).unwrap();
    let wallet = kp.pubkey().to_string();
    let login = |format: &str| {
        authctl(
            &[
                "pump",
                "login",
                "--base-url",
                &sb.pump_url(),
                "--format",
                format,
                "--message",
                file.to_str().unwrap(),
                "--signature-env",
                "SIG",
                "--wallet",
                &wallet,
                "--token-env",
                "HELD",
            ],
            &[("SIG", &signature), ("HELD", &held)],
        )
    };
    let again = json(&login("cookie"));
    assert_ne!(again["token"], first["token"]);
    assert_eq!(sb.counters().pump_logins_with_bearer, 1);
    // pump.fun takes a signature once.
    let out = login("documented");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("401"), "{}", stderr(&out));
    // Another wallet's claim is refused before sending.
    let other = SolanaKeypair::from_seed_bytes([0x22; 32])
        .pubkey()
        .to_string();
    let before = sb.counters();
    let out = authctl(
        &[
            "pump",
            "login",
            "--base-url",
            &sb.pump_url(),
            "--message",
            file.to_str().unwrap(),
            "--signature-env",
            "SIG",
            "--wallet",
            &other,
        ],
        &[("SIG", &signature)],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("nothing was sent"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        sb.counters().pump_login_refusals,
        before.pump_login_refusals
    );
}
