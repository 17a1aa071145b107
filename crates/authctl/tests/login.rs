//! The login commands against the sandbox, run as a user would.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod support;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use auth_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;
use support::{authctl, json, stderr};

const KEY: &str = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

fn text(v: &Value) -> &str {
    v.as_str().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pear_login_refresh_logout_and_api_keys() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let base = sb.pear_url();
    let login = json(&authctl(
        &[
            "pear",
            "login",
            "--base-url",
            &base,
            "--private-key-env",
            "PK",
        ],
        &[("PK", KEY)],
    ));
    for field in [
        "accessToken",
        "refreshToken",
        "tokenType",
        "expiresIn",
        "address",
        "clientId",
    ] {
        assert!(login.get(field).is_some(), "missing {field}: {login}");
    }
    assert_eq!(login["clientId"], "APITRADER");
    let address = text(&login["address"]).to_owned();

    // API keys, with the access token from an environment variable.
    let created = json(&authctl(
        &[
            "pear",
            "api-key",
            "create",
            "--base-url",
            &base,
            "--name",
            "bot",
            "--access-token-env",
            "AT",
        ],
        &[("AT", text(&login["accessToken"]))],
    ));
    let listed = json(&authctl(
        &[
            "pear",
            "api-key",
            "list",
            "--base-url",
            &base,
            "--access-token-env",
            "AT",
        ],
        &[("AT", text(&login["accessToken"]))],
    ));
    assert_eq!(listed[0]["name"], "bot");
    let by_key = json(&authctl(
        &[
            "pear",
            "login",
            "--api-key-env",
            "KEY",
            "--address",
            &address,
        ],
        &[("KEY", text(&created["apiKey"])), ("PEAR_BASE_URL", &base)],
    ));
    assert!(by_key["accessToken"].is_string());

    // Refresh rotates; logout ends the session.
    let rotated = json(&authctl(
        &[
            "pear",
            "refresh",
            "--base-url",
            &base,
            "--refresh-token-env",
            "RT",
        ],
        &[("RT", text(&login["refreshToken"]))],
    ));
    assert_ne!(rotated["refreshToken"], login["refreshToken"]);
    let out = authctl(
        &[
            "pear",
            "logout",
            "--base-url",
            &base,
            "--refresh-token-env",
            "RT",
        ],
        &[("RT", text(&rotated["refreshToken"]))],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let again = authctl(
        &[
            "pear",
            "refresh",
            "--base-url",
            &base,
            "--refresh-token-env",
            "RT",
        ],
        &[("RT", text(&rotated["refreshToken"]))],
    );
    assert_eq!(again.status.code(), Some(1));
    let err = stderr(&again);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: refresh failed:") && err.contains("401"),
        "{err}"
    );
    // Nothing secret on stderr.
    assert!(!err.contains(text(&rotated["refreshToken"])));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pear_refusals_exit_1_with_status_and_message() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let out = authctl(
        &[
            "pear",
            "login",
            "--base-url",
            &sb.pear_url(),
            "--api-key-env",
            "KEY",
            "--address",
            "0x0000000000000000000000000000000000000001",
        ],
        &[("KEY", "pk_wrong")],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(
        err.trim(),
        "error: login failed: Pear refused the credentials (401 Unauthorized): Invalid API key"
    );
    assert!(!err.contains("pk_wrong"));
    // Plain http to a remote host is refused before anything is sent.
    let out = authctl(
        &["pear", "login", "--private-key-env", "PK"],
        &[("PK", KEY), ("PEAR_BASE_URL", "http://pear.example.com")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("plaintext http"), "{}", stderr(&out));
    // A hostile server gets no signature.
    sb.set_hostile(true);
    let out = authctl(
        &[
            "pear",
            "login",
            "--base-url",
            &sb.pear_url(),
            "--private-key-env",
            "PK",
        ],
        &[("PK", KEY)],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("refusing to sign"),
        "{}",
        stderr(&out)
    );
    assert_eq!(sb.counters().pear_logins, 0);
    // Usage errors exit 2.
    let out = authctl(&["pear", "login", "--api-key-env", "KEY"], &[]);
    assert_eq!(out.status.code(), Some(2));
}

fn keypair_file(dir: &std::path::Path) -> PathBuf {
    let kp = auth_signing::solana::SolanaKeypair::from_seed_bytes([9; 32]);
    let path = dir.join("id.json");
    std::fs::write(&path, kp.to_keypair_json().as_str()).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pump_login_profile_and_logout() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let home = std::env::temp_dir().join(format!("authctl-home-{}", std::process::id()));
    let solana_dir = home.join(".config/solana");
    std::fs::create_dir_all(&solana_dir).unwrap();
    let file = keypair_file(&solana_dir);
    // With --keypair, and with the Solana CLI's default path under $HOME.
    let with_file = json(&authctl(
        &[
            "pump",
            "login",
            "--base-url",
            &sb.pump_url(),
            "--keypair",
            file.to_str().unwrap(),
        ],
        &[],
    ));
    let login = json(&authctl(
        &["pump", "login"],
        &[
            ("HOME", home.to_str().unwrap()),
            ("PUMP_BASE_URL", &sb.pump_url()),
        ],
    ));
    std::fs::remove_dir_all(&home).unwrap();
    assert_eq!(login["user"]["wallet"], with_file["user"]["wallet"]);
    assert_eq!(login["expiresIn"], 86400);
    let token = text(&login["token"]).to_owned();

    let profile = json(&authctl(
        &[
            "pump",
            "profile",
            "--base-url",
            &sb.pump_url(),
            "--token-env",
            "TOKEN",
        ],
        &[("TOKEN", &token)],
    ));
    assert_eq!(profile["wallet"], login["user"]["wallet"]);
    let out = authctl(
        &[
            "pump",
            "logout",
            "--base-url",
            &sb.pump_url(),
            "--token-env",
            "TOKEN",
        ],
        &[("TOKEN", &token)],
    );
    assert!(out.status.success());
    let out = authctl(
        &[
            "pump",
            "profile",
            "--base-url",
            &sb.pump_url(),
            "--token-env",
            "TOKEN",
        ],
        &[("TOKEN", &token)],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("(401 Unauthorized)"), "{err}");
    assert!(!err.contains(&token));
}

/// Kills the child process when dropped, so a failed assertion leaves nothing running.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn sandbox_command_serves_until_stopped() {
    let mut child = KillOnDrop(
        Command::new(env!("CARGO_BIN_EXE_authctl"))
            .args(["sandbox", "--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut lines = BufReader::new(child.0.stdout.take().unwrap()).lines();
    let pear = lines.next().unwrap().unwrap();
    let pump = lines.next().unwrap().unwrap();
    let pear_url = pear.strip_prefix("PEAR_BASE_URL=").unwrap().to_owned();
    assert!(
        pump.starts_with("PUMP_BASE_URL=http://127.0.0.1:"),
        "{pump}"
    );
    let siwe = lines.next().unwrap().unwrap();
    let siwe_url = siwe.strip_prefix("SIWE_BASE_URL=").unwrap().to_owned();
    let siws = lines.next().unwrap().unwrap();
    assert!(
        siws.starts_with("SIWS_BASE_URL=http://127.0.0.1:"),
        "{siws}"
    );
    // The SIWE backend it printed takes a sign-in too.
    let siwe_login = authctl(
        &[
            "siwe",
            "login",
            "--base-url",
            &siwe_url,
            "--private-key-env",
            "PK",
        ],
        &[("PK", KEY)],
    );
    json(&siwe_login);
    // The printed URL serves the Pear API: a wallet login against it works.
    let out = authctl(
        &["pear", "login", "--private-key-env", "PK"],
        &[("PK", KEY), ("PEAR_BASE_URL", &pear_url)],
    );
    drop(child);
    json(&out);
    // Not on a public interface.
    let out = authctl(&["sandbox", "--addr", "0.0.0.0:0"], &[]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn every_new_command_has_help() {
    for args in [
        vec!["pear", "--help"],
        vec!["pear", "login", "--help"],
        vec!["pear", "message", "--help"],
        vec!["pump", "message", "--help"],
        vec!["pear", "refresh", "--help"],
        vec!["pear", "logout", "--help"],
        vec!["pear", "api-key", "create", "--help"],
        vec!["pear", "api-key", "list", "--help"],
        vec!["pump", "login", "--help"],
        vec!["pump", "logout", "--help"],
        vec!["pump", "profile", "--help"],
        vec!["sandbox", "--help"],
    ] {
        let out = authctl(&args, &[]);
        assert!(out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage:"),
            "{args:?}"
        );
    }
}
