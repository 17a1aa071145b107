//! `authctl pear login --browser --create-api-key`, `authctl pear login --browser --save`
//! (then `pear token --address` with no key) and `authctl pump login --browser`, run as a
//! user would: the real binary against the sandbox, the URL it prints opened in a headless
//! Chromium whose test wallet signs.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod support;

use std::process::{Output, Stdio};
use std::time::Duration;

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_test_support::browser::{Browser, TestKey};
use auth_test_support::keys::{eth_signer, solana_keypair};
use support::{authctl, json, stderr as stderr_of};
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

/// `pear login --browser --save` into the file store `store`, as the wallet of `seed`;
/// returns the address that signed.
async fn save_browser_login(sb: &Sandbox, store: &str, name: &str, seed: u8) -> String {
    let signer = eth_signer(seed);
    let base = sb.pear_url();
    let (out, stderr) = browser_login(
        &[
            "pear",
            "login",
            "--browser",
            "--save",
            "--store",
            store,
            "--base-url",
            &base,
        ],
        name,
        &signer.address().to_checksum(),
        TestKey::Eth(&signer),
    )
    .await;
    assert!(out.status.success(), "authctl failed: {stderr}");
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let address = signer.address().to_lowercase_hex();
    assert_eq!(printed["saved"], true, "{printed}");
    assert_eq!(printed["address"], address.as_str(), "{printed}");
    assert_eq!(printed["clientId"], "APITRADER", "{printed}");
    assert!(
        printed.get("accessToken").is_none() && printed.get("refreshToken").is_none(),
        "a saved login prints no token: {printed}"
    );
    assert!(stderr.contains("pear token --address"), "{stderr}");
    address
}

/// `authctl pear token --address ADDRESS --store STORE` (no key) against `sb`.
fn pear_token(sb: &Sandbox, address: &str, store: &str, extra: &[&str]) -> Output {
    let base = sb.pear_url();
    let mut args = vec![
        "pear",
        "token",
        "--address",
        address,
        "--store",
        store,
        "--base-url",
        &base,
    ];
    args.extend_from_slice(extra);
    authctl(&args, &[])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_browser_login_is_served_by_pear_token_with_no_key_and_no_new_login() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("pear.json");
    let store = store.to_str().unwrap();
    let address = save_browser_login(&sb, store, "authctl-pear-save", 53).await;
    assert_eq!(sb.counters().pear_logins, 1);

    let out = pear_token(&sb, &address, store, &[]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let again = pear_token(&sb, &address, store, &[]);
    assert_eq!(String::from_utf8(again.stdout).unwrap().trim(), token);
    let c = sb.counters();
    assert_eq!(
        (c.pear_logins, c.pear_refreshes),
        (1, 0),
        "the stored token, no new login"
    );
    // It is the account's live token: Pear answers with it.
    let keys = json(&authctl(
        &[
            "pear",
            "api-key",
            "list",
            "--base-url",
            &sb.pear_url(),
            "--access-token-env",
            "TOKEN",
        ],
        &[("TOKEN", &token)],
    ));
    assert!(keys.is_array(), "{keys}");

    // Another client id is another entry: nothing stored there, so sign in again.
    let other = pear_token(&sb, &address, store, &["--client-id", "OTHER"]);
    assert_eq!(other.status.code(), Some(1));
    let said = stderr_of(&other);
    assert!(
        said.contains("authctl pear login --browser --save"),
        "{said}"
    );
    // Nothing stored at all: the same.
    let empty = dir.path().join("empty.json");
    let none = pear_token(&sb, &address, empty.to_str().unwrap(), &[]);
    assert_eq!(none.status.code(), Some(1));
    assert!(
        stderr_of(&none).contains("authctl pear login --browser --save"),
        "{}",
        stderr_of(&none)
    );
    assert!(!said.contains(&token), "no token in errors");
    let c = sb.counters();
    assert_eq!((c.pear_logins, c.pear_refreshes), (1, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pear_token_refreshes_a_saved_browser_login_once_it_expires() {
    let sb = Sandbox::start(SandboxConfig::default().with_access_token_ttl(Duration::from_secs(2)))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("pear.json");
    let store = store.to_str().unwrap();
    let address = save_browser_login(&sb, store, "authctl-pear-save-refresh", 54).await;
    // Past the saved access token's life.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let out = pear_token(&sb, &address, store, &[]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let c = sb.counters();
    assert_eq!(c.pear_logins, 1, "the browser's login only");
    assert_eq!(c.pear_refreshes, 1, "{c:?}");
    assert_eq!(c.refused_reuses, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_pump_browser_login_is_served_by_pump_token_with_no_keypair() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("pump.json");
    let store = store.to_str().unwrap();
    let base = sb.pump_url();
    let keypair = solana_keypair(55);
    let wallet = keypair.pubkey().to_base58();
    let (out, stderr) = browser_login(
        &[
            "pump",
            "login",
            "--browser",
            "--save",
            "--store",
            store,
            "--base-url",
            &base,
        ],
        "authctl-pump-save",
        &wallet,
        TestKey::Solana(&keypair),
    )
    .await;
    assert!(out.status.success(), "authctl failed: {stderr}");
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["saved"], true, "{printed}");
    assert_eq!(printed["wallet"], wallet.as_str(), "{printed}");
    assert!(
        printed.get("token").is_none(),
        "no token printed: {printed}"
    );

    let token_args = |store: &str| {
        authctl(
            &[
                "pump",
                "token",
                "--wallet",
                &wallet,
                "--store",
                store,
                "--base-url",
                &base,
            ],
            &[],
        )
    };
    let out = token_args(store);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let profile = json(&authctl(
        &[
            "pump",
            "profile",
            "--base-url",
            &base,
            "--token-env",
            "TOKEN",
        ],
        &[("TOKEN", &token)],
    ));
    assert_eq!(profile["wallet"], wallet.as_str(), "{profile}");
    // Nothing stored for it: sign in again.
    let empty = dir.path().join("empty.json");
    let none = token_args(empty.to_str().unwrap());
    assert_eq!(none.status.code(), Some(1));
    assert!(
        stderr_of(&none).contains("authctl pump login --browser --save"),
        "{}",
        stderr_of(&none)
    );
    assert_eq!(sb.counters().pump_logins, 1, "the browser's sign-in only");
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
