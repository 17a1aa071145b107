//! Redaction by construction: a server that echoes the whole request back in its error
//! (body, and the `Authorization` header) never gets a secret the request carried into
//! `Display` or `Debug` of the error. Covers every call of both providers that sends a
//! secret: API keys, Privy tokens, refresh tokens, access tokens, and the login signatures
//! (Pear's EIP-712 one, pump.fun's ed25519 one, in both login formats).
//!
//! No provider lists secrets by hand: the requests record them as they are built.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use auth_signing::ethereum::LocalEthSigner;
use auth_signing::solana::SolanaKeypair;
use auth_transport::bytes::Bytes;
use auth_transport::from_fn;
use auth_transport::http::{Request, Response};
use auth_types::{AccessToken, ApiKey, EvmAddress, PrivyAccessToken, RefreshToken};
use pear_auth::PearClient;
use pump_auth::{LoginFormat, PumpClient};

/// How the echoing server shapes its error answer.
#[derive(Debug, Clone, Copy)]
enum Echo {
    /// NestJS: `{"message": [<request>], "error": <request>}`.
    NestList(u16),
    /// NestJS: `{"message": <request>}`.
    NestString(u16),
    /// Plain text: `echo: <request>`.
    Text(u16),
    /// A 2xx whose fields have the wrong types, holding the request.
    MistypedSuccess,
}

const SHAPES: [Echo; 7] = [
    Echo::NestList(400),
    Echo::NestString(401),
    Echo::NestString(403),
    Echo::NestList(429),
    Echo::NestString(500),
    Echo::Text(502),
    Echo::MistypedSuccess,
];

/// Everything the request carried: the body, a newline, the `Authorization` value.
fn request_text(request: &Request<Bytes>) -> String {
    let auth = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // Compact JSON bodies hold no raw newline: it separates the body from the header.
    format!(
        "{}\n{}",
        String::from_utf8_lossy(request.body()),
        auth.replace('"', "'")
    )
}

fn echo_response(shape: Echo, echoed: &str) -> Response<Bytes> {
    let (status, body) = match shape {
        Echo::NestList(status) => (
            status,
            serde_json::json!({"message": [format!("bad: {echoed}")], "error": echoed, "statusCode": status})
                .to_string(),
        ),
        Echo::NestString(status) => (
            status,
            serde_json::json!({"message": format!("bad: {echoed}"), "statusCode": status})
                .to_string(),
        ),
        Echo::Text(status) => (status, format!("echo: {echoed}")),
        Echo::MistypedSuccess => (
            200,
            serde_json::json!({
                "accessToken": 5, "refreshToken": [echoed], "expiresIn": echoed,
                "token": {"echo": echoed}, "wallet": 7, "id": [echoed], "apiKey": 9,
                "apiKeys": echoed,
            })
            .to_string(),
        ),
    };
    Response::builder()
        .status(status)
        .body(Bytes::from(body))
        .unwrap()
}

/// The unix time now, in seconds.
fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A valid Pear login message for `address`, so that the wallet login signs and sends.
fn login_message(address: &EvmAddress) -> String {
    auth_test_support::pear::login_message(
        &address.to_lowercase_hex(),
        now(),
        auth_test_support::pear::live_domain(),
    )
}

/// A transport that answers Pear's login message when asked (for `message_for`) and
/// echoes every other request in `shape`, keeping what each request carried.
fn echoing(
    shape: Echo,
    message_for: Option<EvmAddress>,
) -> (impl auth_transport::HttpTransport, Arc<Mutex<Vec<String>>>) {
    let sent = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&sent);
    let transport = from_fn(move |request: Request<Bytes>| {
        let log = Arc::clone(&log);
        async move {
            if request.uri().path() == "/auth/eip712-message" {
                let address = message_for.unwrap();
                return Ok(Response::new(Bytes::from(login_message(&address))));
            }
            let text = request_text(&request);
            log.lock().unwrap().push(text.clone());
            Ok(echo_response(shape, &text))
        }
    });
    (transport, sent)
}

/// The values of the given JSON fields (at any depth) of every request body sent.
fn sent_fields(sent: &[String], names: &[&str]) -> Vec<String> {
    fn walk(value: &serde_json::Value, names: &[&str], out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, inner) in map {
                    if let (true, Some(text)) = (names.contains(&key.as_str()), inner.as_str()) {
                        out.push(text.to_owned());
                    }
                    walk(inner, names, out);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|i| walk(i, names, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for line in sent {
        let body = line.split_once('\n').map_or(line.as_str(), |(b, _)| b);
        if let Ok(json) = serde_json::from_str::<serde_json::Value>(body) {
            walk(&json, names, &mut out);
        }
    }
    out
}

/// Fails if the error shows any of `secrets`, or if nothing was sent (the test would
/// prove nothing).
fn assert_hidden<E: std::fmt::Display + std::fmt::Debug>(
    what: &str,
    shape: Echo,
    sent: &Arc<Mutex<Vec<String>>>,
    result: Result<impl std::fmt::Debug, E>,
    secrets: &[String],
) {
    let sent = sent.lock().unwrap();
    assert!(!sent.is_empty(), "{what} {shape:?}: nothing was sent");
    assert!(
        !secrets.is_empty(),
        "{what} {shape:?}: no secret to look for"
    );
    for secret in secrets {
        assert!(
            sent.iter().any(|s| s.contains(secret.as_str())),
            "{what} {shape:?}: the request did not carry the secret"
        );
    }
    let err = match result {
        Ok(value) => panic!("{what} {shape:?}: an echo is not a success: {value:?}"),
        Err(err) => err,
    };
    let shown = format!("{err} {err:?} {err:#?}");
    for secret in secrets {
        assert!(
            !shown.contains(secret.as_str()),
            "{what} {shape:?}: the error shows a secret the request carried: {shown}"
        );
    }
}

fn pear(transport: impl auth_transport::HttpTransport + 'static) -> PearClient {
    PearClient::builder()
        .base_url("http://127.0.0.1:9")
        .transport(transport)
        .build()
        .unwrap()
}

fn pump(
    transport: impl auth_transport::HttpTransport + 'static,
    format: LoginFormat,
) -> PumpClient {
    PumpClient::builder()
        .base_url("http://127.0.0.1:9")
        .transport(transport)
        .login_format(format)
        .build()
        .unwrap()
}

#[tokio::test]
async fn pear_errors_never_show_what_the_request_carried() {
    let wallet = LocalEthSigner::from_hex(&"5a".repeat(32)).unwrap();
    let address = wallet.address();
    let api_key = ApiKey::new("pk_live_SECRET_api_key_42");
    let privy = PrivyAccessToken::new("privy-SECRET-token-77");
    let refresh = RefreshToken::new("refresh-SECRET-token-13");
    let access = AccessToken::new("eyJaccess.SECRET.token-21");
    for shape in SHAPES {
        let (t, sent) = echoing(shape, Some(address));
        let result = pear(t).login_eip712(&wallet).await;
        let signatures = sent_fields(&sent.lock().unwrap(), &["signature"]);
        assert_eq!(signatures.len(), 1, "{shape:?}: one signature sent");
        assert_hidden("login_eip712", shape, &sent, result, &signatures);

        let (t, sent) = echoing(shape, None);
        let result = pear(t).login_api_key(&address, &api_key).await;
        let secret = vec![api_key.expose_secret().to_owned()];
        assert_hidden("login_api_key", shape, &sent, result, &secret);

        let (t, sent) = echoing(shape, None);
        let result = pear(t).login_privy(&address, "app-1", &privy).await;
        let secret = vec![privy.expose_secret().to_owned()];
        assert_hidden("login_privy", shape, &sent, result, &secret);

        let secret = vec![refresh.expose_secret().to_owned()];
        let (t, sent) = echoing(shape, None);
        let result = pear(t).refresh(&refresh).await;
        assert_hidden("refresh", shape, &sent, result, &secret);
        if !matches!(shape, Echo::MistypedSuccess) {
            let (t, sent) = echoing(shape, None);
            let result = pear(t).logout(&refresh).await;
            assert_hidden("logout", shape, &sent, result, &secret);
        }

        let secret = vec![access.expose_secret().to_owned()];
        let (t, sent) = echoing(shape, None);
        let result = pear(t).create_api_key(&access, Some("bot")).await;
        assert_hidden("create_api_key", shape, &sent, result, &secret);
        let (t, sent) = echoing(shape, None);
        let result = pear(t).list_api_keys(&access).await;
        assert_hidden("list_api_keys", shape, &sent, result, &secret);
    }
}

#[tokio::test]
async fn pump_errors_never_show_what_the_request_carried() {
    let keypair = SolanaKeypair::from_seed_bytes([0x3c; 32]);
    let access = AccessToken::new("eyJpump.SECRET.token-55");
    for shape in SHAPES {
        for format in LoginFormat::ALL {
            let (t, sent) = echoing(shape, None);
            let result = pump(t, format).login(&keypair).await;
            let signatures = sent_fields(&sent.lock().unwrap(), &["signature"]);
            assert_eq!(
                signatures.len(),
                1,
                "{shape:?} {format:?}: one signature sent"
            );
            assert_hidden("login", shape, &sent, result, &signatures);
        }
        let secret = vec![access.expose_secret().to_owned()];
        let (t, sent) = echoing(shape, None);
        let result = pump(t, LoginFormat::Documented).profile(&access).await;
        assert_hidden("profile", shape, &sent, result, &secret);
        if !matches!(shape, Echo::MistypedSuccess) {
            let (t, sent) = echoing(shape, None);
            let result = pump(t, LoginFormat::Documented).logout(&access).await;
            assert_hidden("logout", shape, &sent, result, &secret);
        }
    }
}
