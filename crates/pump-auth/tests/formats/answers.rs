//! Lenient answers: odd `expiresIn` and `user` fields never fail an accepted login, and
//! the profile reads `address` or `wallet`.

use std::time::Duration;

use auth_test_support::keys::solana_keypair as keypair;
use auth_types::AccessToken;
use pump_auth::LoginFormat;

use super::{jwt_for, scripted};

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
