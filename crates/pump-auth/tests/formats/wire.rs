//! What each login format sends and reads: the route, the body, the cookie, the bearer
//! of a relogin, the CLI names, and a new millisecond for every sign-in.

use std::time::Duration;

use auth_test_support::keys::solana_keypair as keypair;
use auth_types::AccessToken;
use pump_auth::{ApiError, LoginFormat, PumpError, PumpFailure};

use super::{NOW_MS, body_of, jwt_for, scripted};

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
