//! `authctl pear login --browser --create-api-key` and `authctl pump login --browser`, run
//! as a user would: the real binary against the sandbox, the URL it prints opened in a
//! headless Chromium whose test wallet signs.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod support;

use std::process::{Output, Stdio};

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_test_support::browser::{Browser, TestKey};
use auth_test_support::keys::{eth_signer, solana_keypair};
use support::{authctl, json};
use tokio::io::{AsyncBufReadExt, BufReader};

fn text(v: &serde_json::Value) -> &str {
    v.as_str().unwrap()
}

/// Runs `authctl args`, opens the URL it prints in a browser named `name` whose wallet
/// claims `account` and signs with `key`, and returns what the command printed and wrote
/// to standard error once it exits.
async fn browser_login(
    args: &[&str],
    name: &str,
    account: &str,
    key: TestKey<'_>,
) -> (Output, String) {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_authctl"))
        .args(args)
        // No desktop: the command only prints the URL.
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("PEAR_BASE_URL")
        .env_remove("PUMP_BASE_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let url = loop {
        let line = lines
            .next_line()
            .await
            .unwrap()
            .expect("authctl ended before it printed a URL");
        if let Some(rest) = line.trim().strip_prefix("http://127.0.0.1:") {
            break format!("http://127.0.0.1:{rest}");
        }
    };
    let browser = Browser::start(name).await;
    browser.open(&url, 42161, account, "ok").await;
    let (state, said) = browser.sign_in_with(key).await;
    browser
        .check(state == "done", &format!("the page says {state}: {said}"))
        .await;
    let out = child.wait_with_output().await.unwrap();
    let mut rest = String::new();
    while let Ok(Some(line)) = lines.next_line().await {
        rest.push_str(&line);
        rest.push('\n');
    }
    (out, rest)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pear_login_in_the_browser_creates_an_api_key_that_logs_the_bot_in() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let base = sb.pear_url();
    let signer = eth_signer(51);
    let (out, stderr) = browser_login(
        &[
            "pear",
            "login",
            "--browser",
            "--create-api-key",
            "bot-1",
            "--base-url",
            &base,
        ],
        "authctl-pear-api-key",
        &signer.address().to_checksum(),
        TestKey::Eth(&signer),
    )
    .await;
    assert!(out.status.success(), "authctl failed: {stderr}");
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["name"], "bot-1", "{printed}");
    assert_eq!(
        printed["address"],
        signer.address().to_lowercase_hex(),
        "{printed}"
    );
    assert!(
        printed.get("accessToken").is_none(),
        "only the key is printed: {printed}"
    );
    assert_eq!(sb.counters().pear_logins, 1);

    // The sandbox created that key: the bot logs in with it.
    let address = text(&printed["address"]).to_owned();
    let by_key = json(&authctl(
        &[
            "pear",
            "login",
            "--base-url",
            &base,
            "--api-key-env",
            "KEY",
            "--address",
            &address,
        ],
        &[("KEY", text(&printed["apiKey"]))],
    ));
    assert!(by_key["accessToken"].is_string(), "{by_key}");
    assert_eq!(by_key["address"], printed["address"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pump_login_in_the_browser_logs_in_the_wallet_that_signed_in_phantom() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let keypair = solana_keypair(52);
    let wallet = keypair.pubkey().to_base58();
    let (out, stderr) = browser_login(
        &["pump", "login", "--browser", "--base-url", &sb.pump_url()],
        "authctl-pump",
        &wallet,
        TestKey::Solana(&keypair),
    )
    .await;
    assert!(out.status.success(), "authctl failed: {stderr}");
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["user"]["wallet"], wallet.as_str(), "{printed}");
    assert!(printed["token"].is_string(), "{printed}");
    assert_eq!(sb.counters().pump_logins, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn siwe_login_in_the_browser_signs_the_backends_message_with_personal_sign() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let signer = eth_signer(53);
    let (out, stderr) = browser_login(
        &["siwe", "login", "--browser", "--base-url", &sb.siwe_url()],
        "authctl-siwe",
        &signer.address().to_checksum(),
        TestKey::Eth(&signer),
    )
    .await;
    assert!(out.status.success(), "authctl failed: {stderr}");
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(printed["token"].is_string(), "{printed}");
    let logins = sb.api_counts(auth_sandbox::SiweApi::NAME);
    assert!(logins.contains(&("logins", 1)), "{logins:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn siws_login_in_the_browser_signs_the_backends_message_in_phantom() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let keypair = solana_keypair(54);
    let (out, stderr) = browser_login(
        &[
            "siws",
            "login",
            "--browser",
            "--base-url",
            &sb.siws_url(),
            "--preset",
            "token-api",
        ],
        "authctl-siws",
        &keypair.pubkey().to_base58(),
        TestKey::Solana(&keypair),
    )
    .await;
    assert!(out.status.success(), "authctl failed: {stderr}");
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(printed["refreshToken"].is_string(), "{printed}");
    let logins = sb.api_counts(auth_sandbox::SiwsApi::NAME);
    assert!(logins.contains(&("logins", 1)), "{logins:?}");
}
