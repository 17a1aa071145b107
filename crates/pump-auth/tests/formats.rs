//! The three login formats, the message source, logins signed elsewhere and lenient
//! answers, against scripted answers that record what was sent.
//!
//! Every client here reads one clock that stands still. The client never signs one
//! wallet's millisecond twice in a process, whichever client signs: so a test that checks
//! the exact time sent has a wallet no other test in this file signs with.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use async_trait::async_trait;
use auth_signing::solana::SolanaKeypair;
use auth_test_support::keys::solana_keypair as keypair;
use auth_test_support::tokens::jwt_with_exp;
use auth_transport::from_fn;
use auth_transport::http::{Request, Response};
use auth_types::{AccessToken, SolanaPubkey};
use bytes::Bytes;
use pump_auth::PumpFailure;
use pump_auth::{
    ApiError, LoginFormat, MessageSource, PumpClient, PumpError, SignedLogin, SourceError,
};
use serde_json::Value;

/// The clock every client here reads: 2024-11-20, in milliseconds.
const NOW_MS: u64 = 1_732_076_598_123;

/// What a scripted server saw: method, path, headers and body of every request.
type Seen = Arc<Mutex<Vec<Request<Bytes>>>>;

/// A client whose server answers every request with `status`, the extra `headers` and
/// `body`, recording the requests.
fn scripted(
    format: LoginFormat,
    status: u16,
    headers: &[(&'static str, String)],
    body: &str,
) -> (PumpClient, Seen) {
    scripted_builder(format, status, headers, body, |b| b)
}

fn scripted_builder(
    format: LoginFormat,
    status: u16,
    headers: &[(&'static str, String)],
    body: &str,
    customize: impl FnOnce(pump_auth::PumpClientBuilder) -> pump_auth::PumpClientBuilder,
) -> (PumpClient, Seen) {
    let seen: Seen = Arc::default();
    let record = seen.clone();
    let headers = headers.to_vec();
    let body = Bytes::copy_from_slice(body.as_bytes());
    let transport = from_fn(move |request: Request<Bytes>| {
        record.lock().unwrap().push(request);
        let mut response = Response::builder().status(status);
        for (name, value) in &headers {
            response = response.header(*name, value);
        }
        let response = response.body(body.clone()).unwrap();
        async move { Ok(response) }
    });
    let builder = PumpClient::builder()
        .base_url("http://127.0.0.1:9")
        .transport(transport)
        .clock(|| UNIX_EPOCH + Duration::from_millis(NOW_MS))
        .login_format(format);
    (customize(builder).build().unwrap(), seen)
}

fn body_of(request: &Request<Bytes>) -> Value {
    serde_json::from_slice(request.body()).unwrap()
}

/// A JWT that expires `secs` after the scripted clock's time.
fn jwt_for(secs: u64) -> String {
    jwt_with_exp(NOW_MS / 1000 + secs)
}

#[tokio::test]
async fn the_cookie_alone_is_enough_whatever_the_body() {
    let token = jwt_for(3600);
    let kp = keypair(9);
    for (n, body) in [
        "",
        "OK",
        "<html>welcome</html>",
        r#"{"user":{"address":"w"}}"#,
    ]
    .into_iter()
    .enumerate()
    {
        let cookie = format!("auth_token={token}; Path=/; HttpOnly; Secure");
        let (client, seen) = scripted(LoginFormat::Cookie, 201, &[("set-cookie", cookie)], body);
        // A new client each time, one wallet, one clock standing still: each sign-in is
        // one millisecond after the one before.
        let now = NOW_MS + n as u64;
        let login = client.login(&kp).await.unwrap();
        assert_eq!(login.token.expose_secret(), token, "body {body:?}");
        assert_eq!(login.expires_in, Some(Duration::from_secs(3600)));
        let seen = seen.lock().unwrap();
        assert_eq!(seen[0].uri().path(), "/auth/login");
        let sent = body_of(&seen[0]);
        assert_eq!(sent["address"], kp.pubkey().to_string());
        assert_eq!(sent["timestamp"], now);
        assert!(sent.get("message").is_none() && sent.get("authType").is_none());
        // The signature is over the standard text of that time.
        let signature: auth_signing::solana::SolanaSignature =
            sent["signature"].as_str().unwrap().parse().unwrap();
        let text = format!("Sign in to pump.fun: {now}");
        auth_signing::solana::verify(&kp.pubkey(), text.as_bytes(), &signature).unwrap();
    }
}

#[tokio::test]
async fn a_cookie_answer_without_the_cookie_is_no_token() {
    let (client, _) = scripted(LoginFormat::Cookie, 201, &[], "");
    let err = client.login(&keypair(1)).await.unwrap_err();
    // An empty body is not JSON: malformed, since there is no cookie to go by.
    assert!(
        matches!(err, PumpError::Api(ApiError::Malformed { .. })),
        "{err:?}"
    );
    let (client, _) = scripted(LoginFormat::Cookie, 201, &[], "{}");
    let err = client.login(&keypair(1)).await.unwrap_err();
    assert!(
        matches!(err, PumpError::Provider(PumpFailure::NoToken { .. })),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_token_route_sends_auth_type_and_reads_access_token() {
    let token = jwt_for(1_209_600);
    let (client, seen) = scripted(
        LoginFormat::Token,
        201,
        &[],
        &format!(r#"{{"access_token":"{token}"}}"#),
    );
    let kp = keypair(2);
    let login = client.login(&kp).await.unwrap();
    assert_eq!(login.token.expose_secret(), token);
    assert_eq!(login.expires_in, Some(Duration::from_secs(1_209_600)));
    assert!(login.user.is_none());
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].uri().path(), "/auth/login/token");
    let sent = body_of(&seen[0]);
    assert_eq!(sent["authType"], "non_custodial");
    assert_eq!(sent["address"], kp.pubkey().to_string());
    assert_eq!(sent["timestamp"], NOW_MS);
    assert!(sent["signature"].is_string());
}

#[tokio::test]
async fn odd_expires_in_and_user_never_fail_an_accepted_login() {
    let token = jwt_for(7200);
    let cases = [
        // A fraction is rounded down.
        (r#""expiresIn": 899.9"#, Some(899)),
        (r#""expiresIn": 900"#, Some(900)),
        // Not a number, negative: ignored, the JWT's exp decides.
        (r#""expiresIn": "soon""#, Some(7200)),
        (r#""expiresIn": -5"#, Some(7200)),
        (r#""expiresIn": null"#, Some(7200)),
        // Longer than the JWT: the JWT wins.
        (r#""expiresIn": 1e9"#, Some(7200)),
    ];
    for (field, want) in cases {
        let body =
            format!(r#"{{"token":"{token}", {field}, "user": {{"id": 7, "address": "addr1"}}}}"#);
        let (client, _) = scripted(LoginFormat::Documented, 201, &[], &body);
        let login = client.login(&keypair(3)).await.unwrap();
        assert_eq!(login.expires_in, want.map(Duration::from_secs), "{field}");
        let user = login.user.unwrap();
        assert_eq!(user.wallet, "addr1");
        assert_eq!(user.id.as_deref(), Some("7"));
    }
    // A user without any wallet field is left out, the login stands.
    let body = format!(r#"{{"token":"{token}","user":{{"username":"x"}}}}"#);
    let (client, _) = scripted(LoginFormat::Documented, 201, &[], &body);
    assert!(client.login(&keypair(3)).await.unwrap().user.is_none());
}

#[tokio::test]
async fn the_profile_reads_address_or_wallet() {
    for (body, wallet) in [
        (
            r#"{"address":"A1","username":"bob","followers":3,"bio":null}"#,
            "A1",
        ),
        (r#"{"wallet":"W1","username":null}"#, "W1"),
        (r#"{"address":"A2","wallet":"W2"}"#, "A2"),
    ] {
        let (client, _) = scripted(LoginFormat::Documented, 200, &[], body);
        let me = client.profile(&AccessToken::new("t")).await.unwrap();
        assert_eq!(me.wallet, wallet, "{body}");
    }
    let (client, _) = scripted(LoginFormat::Documented, 200, &[], r#"{"username":"bob"}"#);
    let err = client.profile(&AccessToken::new("t")).await.unwrap_err();
    assert!(err.to_string().contains("address"), "{err}");
}

#[tokio::test]
async fn a_relogin_carries_the_held_token_as_bearer_and_a_login_none() {
    for format in LoginFormat::ALL {
        let token = jwt_for(60);
        let cookie = format!("auth_token={token}");
        let body = format!(r#"{{"token":"{token}","access_token":"{token}"}}"#);
        let (client, seen) = scripted(format, 201, &[("set-cookie", cookie)], &body);
        client.login(&keypair(4)).await.unwrap();
        client
            .relogin(&keypair(4), &AccessToken::new("old-token"))
            .await
            .unwrap();
        let seen = seen.lock().unwrap();
        assert!(seen[0].headers().get("authorization").is_none(), "{format}");
        assert_eq!(
            seen[1].headers()["authorization"],
            "Bearer old-token",
            "{format}"
        );
        for request in seen.iter() {
            assert_eq!(request.headers()["origin"], "https://pump.fun");
            assert_eq!(request.headers()["accept"], "application/json");
            assert_eq!(request.headers()["content-type"], "application/json");
        }
    }
}

/// A source that "fetches" the text, asynchronously, for the wallet it is asked about.
struct Fetching;

#[async_trait]
impl MessageSource for Fetching {
    async fn message(&self, wallet: &SolanaPubkey, millis: u64) -> Result<String, SourceError> {
        tokio::task::yield_now().await;
        Ok(format!("Sign in to pump.fun as {wallet}\nnonce: {millis}"))
    }
}

struct Failing;

#[async_trait]
impl MessageSource for Failing {
    async fn message(&self, _: &SolanaPubkey, _: u64) -> Result<String, SourceError> {
        Err("the platform is down".into())
    }
}

#[tokio::test]
async fn an_asynchronous_source_gives_the_text_that_is_signed_and_sent() {
    let token = jwt_for(60);
    let (client, seen) = scripted_builder(
        LoginFormat::Documented,
        201,
        &[],
        &format!(r#"{{"token":"{token}"}}"#),
        |b| b.message_source(Fetching),
    );
    let kp = keypair(10);
    client.login(&kp).await.unwrap();
    let sent = body_of(&seen.lock().unwrap()[0]);
    let want = format!("Sign in to pump.fun as {}\nnonce: {NOW_MS}", kp.pubkey());
    assert_eq!(sent["message"], want);
    let signature = sent["signature"].as_str().unwrap().parse().unwrap();
    auth_signing::solana::verify(&kp.pubkey(), want.as_bytes(), &signature).unwrap();
}

#[tokio::test]
async fn a_source_that_fails_or_hands_out_a_transaction_gets_nothing_signed() {
    let (client, seen) = scripted_builder(LoginFormat::Documented, 201, &[], "{}", |b| {
        b.message_source(Failing)
    });
    let err = client.login(&keypair(5)).await.unwrap_err();
    assert!(
        matches!(err, PumpError::Provider(PumpFailure::MessageSource { .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("the platform is down"), "{err}");
    // A legacy transaction message starts with its signature counts: 1, 0, 1.
    type Source = fn(u64) -> String;
    let sources: [(&str, Source); 3] = [
        ("transaction", |_| {
            "\u{1}\u{0}\u{1}\u{3}transfer everything".to_owned()
        }),
        ("too long", |_| "x".repeat(2000)),
        ("empty", |_| String::new()),
    ];
    for (what, source) in sources {
        let (client, sent) = scripted_builder(LoginFormat::Documented, 201, &[], "{}", |b| {
            b.message_source(source)
        });
        let err = client.login(&keypair(5)).await.unwrap_err();
        assert!(
            matches!(err, PumpError::Provider(PumpFailure::InvalidMessage { .. })),
            "{what}: {err:?}"
        );
        assert!(sent.lock().unwrap().is_empty(), "{what}: nothing is sent");
    }
    assert!(seen.lock().unwrap().is_empty());
}

#[test]
fn a_custom_source_is_refused_with_formats_that_send_only_the_time() {
    for format in [LoginFormat::Cookie, LoginFormat::Token] {
        let err = PumpClient::builder()
            .login_format(format)
            .message_source(|ms| format!("hello {ms}"))
            .build()
            .unwrap_err();
        assert!(
            matches!(
                err,
                PumpError::Api(ApiError::Config {
                    setting: "message_source",
                    ..
                })
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("documented"), "{err}");
    }
}

#[tokio::test]
async fn a_login_signed_elsewhere_is_checked_then_sent_as_it_was_signed() {
    let token = jwt_for(60);
    let kp = keypair(6);
    let text = format!("Sign in to pump.fun: {}", NOW_MS - 5_000);
    let signed = SignedLogin::new(kp.pubkey(), text.clone(), kp.sign(text.as_bytes()));
    assert!(!format!("{signed:?}").contains(&kp.sign(text.as_bytes()).to_base58()));

    // Documented: sent byte for byte, with the held token as bearer.
    let (client, seen) = scripted(
        LoginFormat::Documented,
        201,
        &[],
        &format!(r#"{{"token":"{token}"}}"#),
    );
    client
        .login_signed(&signed, Some(&AccessToken::new("held")))
        .await
        .unwrap();
    {
        let seen = seen.lock().unwrap();
        let sent = body_of(&seen[0]);
        assert_eq!(sent["message"], text);
        assert_eq!(sent["signature"], signed.signature.to_base58());
        assert_eq!(seen[0].headers()["authorization"], "Bearer held");
    }

    // Cookie: the time of the signed text, not the clock's.
    let (client, seen) = scripted(
        LoginFormat::Cookie,
        201,
        &[("set-cookie", format!("auth_token={token}"))],
        "",
    );
    client.login_signed(&signed, None).await.unwrap();
    assert_eq!(
        body_of(&seen.lock().unwrap()[0])["timestamp"],
        NOW_MS - 5_000
    );

    // Signed by another key, or over other text: refused before sending.
    let other: SolanaKeypair = keypair(7);
    let forged = SignedLogin::new(kp.pubkey(), text.clone(), other.sign(text.as_bytes()));
    let (client, seen) = scripted(LoginFormat::Documented, 201, &[], "{}");
    let err = client.login_signed(&forged, None).await.unwrap_err();
    assert!(
        matches!(err, PumpError::Provider(PumpFailure::SignatureMismatch)),
        "{err:?}"
    );
    assert!(seen.lock().unwrap().is_empty());

    // A custom text cannot go out in a format that sends only the time.
    let custom = "Welcome to pump.fun";
    let signed = SignedLogin::new(kp.pubkey(), custom, kp.sign(custom.as_bytes()));
    let (client, seen) = scripted(LoginFormat::Token, 201, &[], "{}");
    let err = client.login_signed(&signed, None).await.unwrap_err();
    assert!(
        matches!(err, PumpError::Provider(PumpFailure::InvalidMessage { .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("token format"), "{err}");
    assert!(seen.lock().unwrap().is_empty());
}

#[test]
fn formats_have_the_cli_names() {
    for format in LoginFormat::ALL {
        assert_eq!(format.to_string().parse::<LoginFormat>().unwrap(), format);
    }
    assert_eq!(
        "cookie".parse::<LoginFormat>().unwrap(),
        LoginFormat::Cookie
    );
    assert!("observed".parse::<LoginFormat>().is_err());
    assert_eq!(LoginFormat::default(), LoginFormat::Documented);
}

#[tokio::test]
async fn two_sign_ins_in_one_millisecond_sign_different_texts() {
    // The scripted clock stands still: ed25519 would give the same signature twice, and
    // pump.fun takes each signature once.
    let token = jwt_for(60);
    let (client, seen) = scripted(
        LoginFormat::Cookie,
        201,
        &[("set-cookie", format!("auth_token={token}"))],
        "",
    );
    let kp = keypair(8);
    client.login(&kp).await.unwrap();
    client.login(&kp).await.unwrap();
    let seen = seen.lock().unwrap();
    let (first, second) = (body_of(&seen[0]), body_of(&seen[1]));
    assert_eq!(first["timestamp"], NOW_MS);
    assert_eq!(second["timestamp"], NOW_MS + 1);
    assert_ne!(first["signature"], second["signature"]);
}
