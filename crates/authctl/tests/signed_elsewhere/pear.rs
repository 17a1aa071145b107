//! Pear: a login message signed offline, another domain, Privy.

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_types::EvmAddress;

use super::support::{authctl, json, stderr};
use super::{KEY, OTHER_KEY, address_of, stdout_line};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pear_login_message_is_printed_signed_offline_and_submitted() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let base = sb.pear_url();
    let dir = tempfile::tempdir().unwrap();
    let address = address_of(KEY);

    // 1. Fetch and check the message; it comes out as eth_signTypedData_v4 JSON.
    let message = json(&authctl(
        &[
            "pear",
            "message",
            "--base-url",
            &base,
            "--address",
            &address,
        ],
        &[],
    ));
    assert_eq!(message["primaryType"], "Authentication");
    assert_eq!(
        message["types"]["EIP712Domain"].as_array().unwrap().len(),
        4
    );
    assert_eq!(message["message"]["clientId"], "APITRADER");
    assert_eq!(message["timestamp"], message["message"]["timestamp"]);
    let file = dir.path().join("message.json");
    std::fs::write(&file, message.to_string()).unwrap();
    let file = file.to_str().unwrap();

    // 2. Sign it "offline" with the generic typed-data signer.
    let signature = stdout_line(&authctl(
        &["sign", "typed-data", "--private-key-env", "PK", file],
        &[("PK", KEY)],
    ));

    // A signature by another key is refused before anything is sent.
    let forged = stdout_line(&authctl(
        &["sign", "typed-data", "--private-key-env", "PK", file],
        &[("PK", OTHER_KEY)],
    ));
    let before = sb.counters();
    let out = authctl(
        &[
            "pear",
            "login",
            "--base-url",
            &base,
            "--message",
            file,
            "--signature-env",
            "SIG",
        ],
        &[("SIG", &forged)],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("nothing was sent"), "{err}");
    assert!(!err.contains(&forged[2..20]), "{err}");
    assert_eq!(
        sb.counters().pear_login_refusals,
        before.pear_login_refusals
    );
    assert_eq!(sb.counters().pear_logins, before.pear_logins);

    // --address must match the message's.
    let out = authctl(
        &[
            "pear",
            "login",
            "--base-url",
            &base,
            "--message",
            file,
            "--signature-env",
            "SIG",
            "--address",
            &address_of(OTHER_KEY),
        ],
        &[("SIG", &signature)],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));

    // 3. Submit the login signed elsewhere.
    let tokens = json(&authctl(
        &[
            "pear",
            "login",
            "--base-url",
            &base,
            "--message",
            file,
            "--signature-env",
            "SIG",
            "--address",
            &address,
        ],
        &[("SIG", &signature)],
    ));
    assert_eq!(tokens["address"].as_str().unwrap(), address.to_lowercase());
    assert!(tokens["accessToken"].is_string());
    // Pear's timestamps are single use: the same signed message does not log in twice.
    let again = authctl(
        &[
            "pear",
            "login",
            "--base-url",
            &base,
            "--message",
            file,
            "--signature-env",
            "SIG",
        ],
        &[("SIG", &signature)],
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("Timestamp already used"),
        "{}",
        stderr(&again)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_in_another_domain_is_refused_unless_expected() {
    let mut config = SandboxConfig::default();
    config.chain_id = 421614;
    let sb = Sandbox::start(config).await.unwrap();
    let address = address_of(KEY);
    let out = authctl(
        &[
            "pear",
            "message",
            "--base-url",
            &sb.pear_url(),
            "--address",
            &address,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("chainId") && err.contains("421614"), "{err}");
    // With the staging domain expected, and details.chainId sent, the login works.
    let tokens = json(&authctl(
        &[
            "pear",
            "login",
            "--base-url",
            &sb.pear_url(),
            "--private-key-env",
            "PK",
            "--domain-chain-id",
            "421614",
            "--login-chain-id",
            "421614",
        ],
        &[("PK", KEY)],
    ));
    assert!(tokens["refreshToken"].is_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pear_login_with_a_privy_token() {
    let address: EvmAddress = address_of(KEY).parse().unwrap();
    let sb = Sandbox::start(SandboxConfig::default().with_privy_token(
        "app-1",
        "privy-secret-token",
        address,
    ))
    .await
    .unwrap();
    let args = |app: &'static str| {
        vec![
            "pear".to_owned(),
            "login".to_owned(),
            "--base-url".to_owned(),
            sb.pear_url(),
            "--privy-app-id".to_owned(),
            app.to_owned(),
            "--privy-token-env".to_owned(),
            "PRIVY".to_owned(),
            "--address".to_owned(),
            address.to_string(),
        ]
    };
    let ok = args("app-1");
    let ok: Vec<&str> = ok.iter().map(String::as_str).collect();
    let tokens = json(&authctl(&ok, &[("PRIVY", "privy-secret-token")]));
    assert_eq!(tokens["address"], address.to_lowercase_hex());
    let wrong = args("app-2");
    let wrong: Vec<&str> = wrong.iter().map(String::as_str).collect();
    let out = authctl(&wrong, &[("PRIVY", "privy-secret-token")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!stderr(&out).contains("privy-secret-token"));
    // The app id without the token (or the reverse) is a usage error.
    let out = authctl(
        &[
            "pear",
            "login",
            "--base-url",
            &sb.pear_url(),
            "--privy-app-id",
            "app-1",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
}
