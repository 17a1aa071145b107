//! The message source: an asynchronous one gives the text signed and sent; one that
//! fails or gives no sign-in text gets nothing signed; formats that send only the time
//! refuse any.

use async_trait::async_trait;
use auth_test_support::keys::solana_keypair as keypair;
use auth_types::SolanaPubkey;
use pump_auth::{
    ApiError, LoginFormat, MessageSource, PumpClient, PumpError, PumpFailure, SourceError,
};

use super::{NOW_MS, body_of, jwt_for, scripted_builder};

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
