//! Logins signed elsewhere: checked first, then sent as they were signed.

use auth_signing::solana::SolanaKeypair;
use auth_test_support::keys::solana_keypair as keypair;
use auth_types::AccessToken;
use pump_auth::{LoginFormat, PumpError, PumpFailure, SignedLogin};

use super::{NOW_MS, body_of, jwt_for, scripted};

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
