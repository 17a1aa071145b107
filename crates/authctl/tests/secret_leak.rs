//! No secret reaches logs, `Debug` output, error messages or the CLI's stderr.
//!
//! Runs both login flows, API keys, a refresh and a logout with `tracing` capturing every
//! event at TRACE, formats every public secret-holding type and every error with `{:?}`
//! and `{}` (including a failed login whose server echoes the request), collects the CLI's
//! stderr for failing commands, and searches all of it for every secret in every form.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod support;

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_session::{Session, StoredTokens};
use auth_signing::ethereum::LocalEthSigner;
use auth_signing::solana::SolanaKeypair;
use auth_test_support::transport::echoing;
use auth_types::{ApiKey, PrivyAccessToken, SecretBytes32};
use pear_auth::{PearAuthenticator, PearClient, PearCredentials, PearSession};
use pump_auth::{PumpAuthenticator, PumpClient, PumpSession};

const ETH_KEY: &str = "8da4ef21b864d2cc526dbdb2a120bd2874c36c9d0a1fb7f8c63d7f7a8b41de8f";
const SOL_SEED: [u8; 32] = [0xa7; 32];
const PRIVY_TOKEN: &str = "privy-SECRET-7f3a9c";

/// A `tracing` subscriber that writes every event and span field into a buffer.
struct Capture {
    out: Arc<Mutex<String>>,
    next_id: AtomicU64,
}

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut line = format!("span {}", span.metadata().name());
        span.record(&mut Fields(&mut line));
        self.out.lock().unwrap().push_str(&(line + "\n"));
        tracing::span::Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut line = String::from("record");
        values.record(&mut Fields(&mut line));
        self.out.lock().unwrap().push_str(&(line + "\n"));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut line = format!("{} {}", event.metadata().level(), event.metadata().target());
        event.record(&mut Fields(&mut line));
        self.out.lock().unwrap().push_str(&(line + "\n"));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

fn authctl_stderr(args: &[&str], env: &[(&str, &str)]) -> String {
    support::stderr(&support::authctl(args, env))
}

#[test]
fn no_secret_appears_anywhere() {
    let logs = Arc::new(Mutex::new(String::new()));
    tracing::subscriber::set_global_default(Capture {
        out: logs.clone(),
        next_id: AtomicU64::new(0),
    })
    .unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut seen = String::new(); // everything printed with {:?} or {}
    let mut secrets: Vec<String> = vec![
        ETH_KEY.to_owned(),
        format!("0x{ETH_KEY}"),
        ETH_KEY.to_uppercase(),
        hex_of(&SOL_SEED),
        PRIVY_TOKEN.to_owned(),
    ];
    let keypair = SolanaKeypair::from_seed_bytes(SOL_SEED);
    secrets.push(keypair.to_keypair_json().to_string());
    let full: Vec<u8> = serde_json::from_str(&keypair.to_keypair_json()).unwrap();
    secrets.push(bs58_of(&full));
    secrets.push(bs58_of(&SOL_SEED));
    let wallet = Arc::new(LocalEthSigner::from_hex(ETH_KEY).unwrap());

    let sb = rt
        .block_on(Sandbox::start(SandboxConfig::default().with_privy_token(
            "app",
            PRIVY_TOKEN,
            wallet.address(),
        )))
        .unwrap();
    rt.block_on(async {
        let pear = PearClient::builder()
            .base_url(sb.pear_url())
            .build()
            .unwrap();
        let tokens = pear.login_eip712(wallet.as_ref()).await.unwrap();
        let key = pear
            .create_api_key(&tokens.access_token, Some("bot"))
            .await
            .unwrap();
        let by_key = pear
            .login_api_key(&wallet.address(), &key.api_key)
            .await
            .unwrap();
        let privy = pear
            .login_privy(
                &wallet.address(),
                "app",
                &PrivyAccessToken::new(PRIVY_TOKEN),
            )
            .await
            .unwrap();
        let rotated = pear.refresh(&by_key.refresh_token).await.unwrap();
        let reuse = pear.refresh(&by_key.refresh_token).await.unwrap_err();
        pear.logout(&rotated.refresh_token).await.unwrap();
        for t in [&tokens, &by_key, &privy, &rotated] {
            secrets.push(t.access_token.expose_secret().to_owned());
            secrets.push(t.refresh_token.expose_secret().to_owned());
        }
        secrets.push(key.api_key.expose_secret().to_owned());
        let _ = writeln!(
            seen,
            "{tokens:?} {key:?} {by_key:?} {privy:?} {rotated:?} {reuse:?} {reuse}"
        );

        // A failed API-key login against a server that echoes the whole request.
        let echo = echoing(401);
        let echoing = PearClient::builder()
            .base_url("http://127.0.0.1:9")
            .transport(echo)
            .build()
            .unwrap();
        let err = echoing
            .login_api_key(&wallet.address(), &key.api_key)
            .await
            .unwrap_err();
        let _ = writeln!(seen, "{err:?} {err}");
        let err = echoing
            .login_privy(
                &wallet.address(),
                "app",
                &PrivyAccessToken::new(PRIVY_TOKEN),
            )
            .await
            .unwrap_err();
        let _ = writeln!(seen, "{err:?} {err}");
        let err = echoing.refresh(&rotated.refresh_token).await.unwrap_err();
        let _ = writeln!(seen, "{err:?} {err}");

        // Sessions, authenticators, credentials.
        let session = PearSession::new(PearAuthenticator::api_key(
            pear.clone(),
            wallet.address(),
            key.api_key.clone(),
        ));
        let token = session.access_token().await.unwrap();
        secrets.push(token.expose_secret().to_owned());
        let creds = PearCredentials::Privy {
            address: wallet.address(),
            app_id: "app".into(),
            token: PrivyAccessToken::new(PRIVY_TOKEN),
        };
        let _ = writeln!(
            seen,
            "{session:?} {:?} {creds:?} {:?}",
            session.authenticator(),
            PearAuthenticator::wallet(pear.clone(), wallet.clone())
        );
        session.logout().await.unwrap();

        // pump.fun.
        let pump = PumpClient::builder()
            .base_url(sb.pump_url())
            .build()
            .unwrap();
        let login = pump.login(&keypair).await.unwrap();
        secrets.push(login.token.expose_secret().to_owned());
        let me = pump.profile(&login.token).await.unwrap();
        pump.logout(&login.token).await.unwrap();
        let dead = pump.profile(&login.token).await.unwrap_err();
        let _ = writeln!(seen, "{login:?} {me:?} {dead:?} {dead}");
        let pump_session = PumpSession::new(PumpAuthenticator::new(
            pump.clone(),
            Arc::new(SolanaKeypair::from_seed_bytes(SOL_SEED)),
        ));
        let t = pump_session.access_token().await.unwrap();
        secrets.push(t.expose_secret().to_owned());
        let _ = writeln!(seen, "{pump_session:?} {:?}", pump_session.authenticator());
        pump_session.logout().await.unwrap();

        // A session error carrying a provider error.
        let failing = Session::new(PearAuthenticator::api_key(
            echoing.clone(),
            wallet.address(),
            ApiKey::new(key.api_key.expose_secret()),
        ));
        let err = failing.access_token().await.unwrap_err();
        let _ = writeln!(seen, "{err:?} {err}");
    });

    // Every public type that holds a secret, formatted.
    let stored = StoredTokens {
        access_token: auth_types::AccessToken::new(PRIVY_TOKEN),
        refresh_token: None,
        expires_at: std::time::SystemTime::now(),
    };
    let _ = writeln!(
        seen,
        "{wallet:?} {keypair:?} {:?} {:?} {:?} {stored:?}",
        SecretBytes32::from_hex(ETH_KEY).unwrap(),
        ApiKey::new(PRIVY_TOKEN),
        PrivyAccessToken::new(PRIVY_TOKEN),
    );

    // The CLI's stderr on failures.
    let refresh = secrets
        .iter()
        .find(|s| s.starts_with("eyJ"))
        .unwrap()
        .clone();
    let stderr = [
        authctl_stderr(
            &[
                "pear",
                "login",
                "--base-url",
                &sb.pear_url(),
                "--private-key-env",
                "PK",
            ],
            &[("PK", &format!("{}zz", &ETH_KEY[..62]))],
        ),
        authctl_stderr(
            &[
                "pear",
                "refresh",
                "--base-url",
                &sb.pear_url(),
                "--refresh-token-env",
                "RT",
            ],
            &[("RT", &refresh)],
        ),
        authctl_stderr(&["pear", "login", "--private-key-env", ETH_KEY], &[]),
        authctl_stderr(
            &["sign", "message", "--keypair-env", "KP", "--", "x"],
            &[("KP", &bs58_of(&full[..63]))],
        ),
        authctl_stderr(
            &[
                "pump",
                "profile",
                "--base-url",
                &sb.pump_url(),
                "--token-env",
                "T",
            ],
            &[("T", PRIVY_TOKEN)],
        ),
    ]
    .join("\n");
    assert!(
        stderr.contains("error:"),
        "the failing commands must have said something: {stderr}"
    );

    // The probes can fail: the formatted text does contain the public parts.
    assert!(
        seen.contains(&wallet.address().to_string()),
        "formatting captured nothing"
    );
    assert!(seen.contains(&keypair.pubkey().to_string()));
    let logs = logs.lock().unwrap().clone();
    assert!(
        logs.contains("pear_auth") && logs.contains("pump_auth"),
        "tracing captured nothing: {logs}"
    );
    for secret in &secrets {
        assert!(secret.len() >= 16, "weak probe");
        for (name, haystack) in [
            ("logs", &logs),
            ("Debug/Display", &seen),
            ("CLI stderr", &stderr),
        ] {
            assert!(
                !haystack.contains(secret.as_str()),
                "a secret ({}…) leaked into {name}",
                &secret[..6]
            );
        }
    }
    println!(
        "checked {} secrets against {} bytes of logs, {} of formatted values, {} of stderr",
        secrets.len(),
        logs.len(),
        seen.len(),
        stderr.len()
    );
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn bs58_of(bytes: &[u8]) -> String {
    // The pubkey type encodes 32 bytes; for other lengths use the signature type's
    // alphabet through a keypair round trip where possible.
    match bytes.len() {
        32 => auth_types::SolanaPubkey::from_bytes(bytes.try_into().unwrap()).to_base58(),
        64 => {
            auth_signing::solana::SolanaSignature::from_bytes(bytes.try_into().unwrap()).to_base58()
        }
        _ => base58_any(bytes),
    }
}

/// Plain base58 for any length (test helper).
fn base58_any(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let mut digits: Vec<u8> = Vec::new();
    for &b in bytes {
        let mut carry = u32::from(b);
        for d in digits.iter_mut() {
            carry += u32::from(*d) << 8;
            *d = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    std::iter::repeat_n('1', zeros)
        .chain(
            digits
                .iter()
                .rev()
                .map(|&d| char::from(ALPHABET[usize::from(d)])),
        )
        .collect()
}
