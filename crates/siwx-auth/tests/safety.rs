//! What the client refuses before signing or sending, and what the backend refuses: a
//! nonce that smuggles text, a domain of another site, a message signed elsewhere for
//! another domain or by another key, a replayed message, an answer without a session;
//! and errors that never show the signature.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::sync::{Arc, Mutex};

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_test_support::keys::{eth_signer, solana_keypair};
use auth_test_support::transport::canned_checking;
use siwx_auth::siwe::SiweMessage;
use siwx_auth::{
    ApiError, Failure, NonceSource, ProviderError, SiweClient, SiwsClient, SiwxError, SiwxFailure,
};

fn provider_failure(error: &SiwxError) -> &SiwxFailure {
    error
        .provider_failure()
        .unwrap_or_else(|| panic!("not a provider failure: {error:?}"))
}

/// A client on a scripted backend answering every request `200 body`; the paths asked.
fn scripted(body: &str) -> (SiweClient, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let client = SiweClient::builder("https://app.example.com")
        .transport(canned_checking(200, body, move |request| {
            log.lock().unwrap().push(request.uri().path().to_owned());
        }))
        .build()
        .unwrap();
    (client, seen)
}

#[tokio::test]
async fn a_nonce_that_smuggles_lines_is_refused_before_signing() {
    for nonce in [
        "abcdefgh\nURI: https://evil.example",
        "short",
        "abcd efgh ijkl",
        "",
    ] {
        let (client, seen) = scripted(nonce);
        let error = client.login(&eth_signer(1)).await.unwrap_err();
        assert!(
            matches!(provider_failure(&error), SiwxFailure::InvalidNonce { .. }),
            "{nonce:?}: {error:?}"
        );
        assert!(!error.may_have_reached_server());
        assert_eq!(
            *seen.lock().unwrap(),
            ["/nonce"],
            "nothing but the nonce was asked"
        );
    }
}

#[tokio::test]
async fn a_json_nonce_in_the_wrong_place_names_the_field() {
    let seen = Arc::new(Mutex::new(0));
    let count = Arc::clone(&seen);
    let client = SiweClient::builder("https://app.example.com")
        .nonce(NonceSource::Json {
            path: "/api/nonce".to_owned(),
            field: "data.nonce".to_owned(),
        })
        .transport(canned_checking(
            200,
            r#"{"nonce":"abcdefgh1"}"#,
            move |_| {
                *count.lock().unwrap() += 1;
            },
        ))
        .build()
        .unwrap();
    let error = client.login(&eth_signer(1)).await.unwrap_err();
    assert!(
        matches!(error, ProviderError::Api(ApiError::Malformed { .. })),
        "{error:?}"
    );
    assert!(error.to_string().contains("data.nonce"), "{error}");
    assert_eq!(*seen.lock().unwrap(), 1);
}

#[tokio::test]
async fn a_caller_nonce_client_needs_login_with_nonce() {
    let (client, seen) = scripted("abcdefgh1");
    let client_caller = SiweClient::builder("https://app.example.com")
        .nonce(NonceSource::Caller)
        .transport(auth_test_support::transport::canned(200, ""))
        .build()
        .unwrap();
    let error = client_caller.login(&eth_signer(1)).await.unwrap_err();
    assert!(matches!(
        provider_failure(&error),
        SiwxFailure::NonceRequired { .. }
    ));
    let error = client
        .login_with_nonce(&eth_signer(1), "no\nnonce")
        .await
        .unwrap_err();
    assert!(matches!(
        provider_failure(&error),
        SiwxFailure::InvalidNonce { .. }
    ));
    assert!(seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn an_accepted_login_without_the_session_cookie_says_where_it_looked() {
    let (client, seen) = scripted("abcdefgh12");
    let error = client.login(&eth_signer(1)).await.unwrap_err();
    assert!(
        matches!(provider_failure(&error), SiwxFailure::NoSession { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("connect.sid"), "{error}");
    assert_eq!(*seen.lock().unwrap(), ["/nonce", "/verify"]);
}

#[test]
fn the_builder_refuses_a_domain_or_uri_of_another_site() {
    for (domain, uri) in [
        (Some("evil.example"), None),
        (Some("example.com.evil.example"), None),
        (None, Some("https://evil.example/login")),
        (Some("app example.com"), None),
    ] {
        let mut builder = SiweClient::builder("https://api.example.com");
        if let Some(domain) = domain {
            builder = builder.domain(domain);
        }
        if let Some(uri) = uri {
            builder = builder.uri(uri);
        }
        let error = builder.build().unwrap_err();
        assert!(
            matches!(error, ProviderError::Api(ApiError::Config { .. })),
            "{error:?}"
        );
    }
    let ok = SiweClient::builder("https://api.example.com")
        .domain("app.example.com")
        .uri("https://app.example.com/login")
        .build()
        .unwrap();
    assert_eq!(ok.domain(), "app.example.com");
    assert!(
        SiweClient::builder("https://api.example.com")
            .chain_id("mainnet")
            .build()
            .is_err()
    );
    assert!(
        SiwsClient::builder("https://api.example.com")
            .chain_id("solana:devnet")
            .build()
            .is_ok()
    );
}

#[tokio::test]
async fn a_replayed_message_is_refused_by_the_backend() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let client = SiweClient::builder(sb.siwe_url()).build().unwrap();
    let wallet = eth_signer(2);
    let nonce = client.nonce().await.unwrap();
    let message = client.message(wallet.address(), &nonce).unwrap();
    let signature = message.sign(&wallet).await.unwrap().to_string();
    let text = message.to_string();
    client.login_signed(&text, &signature).await.unwrap();
    let error = client.login_signed(&text, &signature).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401), "{error:?}");
    assert!(!error.to_string().contains(&signature[2..20]), "{error}");
}

#[tokio::test]
async fn a_message_for_another_domain_or_signed_by_another_key_is_not_sent() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let client = SiweClient::builder(sb.siwe_url()).build().unwrap();
    let wallet = eth_signer(3);
    let nonce = client.nonce().await.unwrap();
    let mine = client.message(wallet.address(), &nonce).unwrap();
    let foreign = mine
        .to_string()
        .replacen(client.domain(), "evil.example", 1);
    let foreign = SiweMessage::parse(&foreign).unwrap();
    let signature = foreign.sign(&wallet).await.unwrap().to_string();
    let error = client
        .login_signed(&foreign.to_string(), &signature)
        .await
        .unwrap_err();
    assert!(
        matches!(
            provider_failure(&error),
            SiwxFailure::ForeignMessage {
                field: "domain",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!error.may_have_reached_server());

    let by_another = mine.signing_hash();
    let other = eth_signer(4).sign_hash(&by_another).unwrap().to_string();
    let error = client
        .login_signed(&mine.to_string(), &other)
        .await
        .unwrap_err();
    assert!(
        matches!(
            provider_failure(&error),
            SiwxFailure::SignatureMismatch { .. }
        ),
        "{error:?}"
    );
    // The nonce was never spent: the right signature still logs in.
    let signature = mine.sign(&wallet).await.unwrap().to_string();
    client
        .login_signed(&mine.to_string(), &signature)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_siws_message_signed_elsewhere_is_checked_then_sent() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let client = SiwsClient::builder(sb.siws_url()).build().unwrap();
    let wallet = solana_keypair(9);
    let nonce = client.nonce().await.unwrap();
    let message = client.message(wallet.pubkey(), &nonce).unwrap();
    let text = message.to_string();
    let forged = solana_keypair(10).sign(text.as_bytes()).to_base58();
    let error = client.login_signed(&text, &forged).await.unwrap_err();
    assert!(
        matches!(
            provider_failure(&error),
            SiwxFailure::SignatureMismatch { .. }
        ),
        "{error:?}"
    );
    let signature = wallet.sign(text.as_bytes()).to_base58();
    let login = client.login_signed(&text, &signature).await.unwrap();
    assert!(!login.token.expose_secret().is_empty());
}

#[tokio::test]
async fn errors_never_show_a_signature_or_refresh_token_the_server_echoes() {
    let client = SiweClient::builder("https://app.example.com")
        .preset(siwx_auth::Preset::TokenApi)
        .transport(auth_test_support::transport::echoing(401))
        .build()
        .unwrap();
    let refresh = auth_types::RefreshToken::new("rt-secret-value-1234567890");
    let error = client.refresh(&refresh).await.unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(matches!(
        provider_failure(&error),
        SiwxFailure::RefreshRejected { .. }
    ));
    assert!(!shown.contains("rt-secret-value"), "{shown}");

    let wallet = eth_signer(11);
    let message = client.message(wallet.address(), "abcdefgh12").unwrap();
    let signature = message.sign(&wallet).await.unwrap().to_string();
    let error = client
        .login_signed(&message.to_string(), &signature)
        .await
        .unwrap_err();
    let shown = format!("{error} {error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert!(!shown.contains(&signature[2..]), "{shown}");
    assert!(
        shown.contains("rejected"),
        "the server's message is kept: {shown}"
    );
}
