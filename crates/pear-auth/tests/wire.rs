//! The wire as live Pear speaks it (`../shared/spec/WIRE.md`), against canned answers.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod support;

use auth_types::AccessToken;
use support::canned_client as answering;

const TOKEN: &str = "access-token";

#[tokio::test]
async fn api_keys_are_listed_from_the_live_object_shape() {
    let body = br#"{"apiKeys":[
        {"id":"k1","name":"bot","isActive":true,"lastUsedAt":null,"createdAt":"2025-01-02T03:04:05.000Z"},
        {"id":2,"name":null,"isActive":false,"lastUsedAt":"2025-02-01T00:00:00.000Z","createdAt":"2025-01-01T00:00:00.000Z"}
    ]}"#;
    let keys = answering(200, body)
        .list_api_keys(&AccessToken::new(TOKEN))
        .await
        .unwrap();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0].id.as_deref(), Some("k1"));
    assert_eq!(keys[0].name.as_deref(), Some("bot"));
    assert_eq!(keys[0].is_active, Some(true));
    assert_eq!(keys[0].last_used_at, None);
    assert_eq!(
        keys[0].created_at,
        Some(serde_json::json!("2025-01-02T03:04:05.000Z"))
    );
    assert_eq!(keys[1].id.as_deref(), Some("2"));
    assert_eq!(keys[1].name, None);
    assert_eq!(keys[1].is_active, Some(false));
    assert_eq!(
        keys[1].last_used_at,
        Some(serde_json::json!("2025-02-01T00:00:00.000Z"))
    );
}

#[tokio::test]
async fn api_keys_are_listed_from_a_bare_array_too() {
    let body = br#" [{"id":"k1","name":"bot","createdAt":1700000000}]"#;
    let keys = answering(200, body)
        .list_api_keys(&AccessToken::new(TOKEN))
        .await
        .unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].name.as_deref(), Some("bot"));
    assert_eq!(keys[0].is_active, None);
}

#[tokio::test]
async fn a_created_api_key_is_read_from_the_201_answer() {
    let body =
        br#"{"id":"k9","apiKey":"pk_secret","name":"bot","createdAt":"2025-01-02T03:04:05.000Z"}"#;
    let created = answering(201, body)
        .create_api_key(&AccessToken::new(TOKEN), Some("bot"))
        .await
        .unwrap();
    assert_eq!(created.api_key.expose_secret(), "pk_secret");
    assert_eq!(created.id.as_deref(), Some("k9"));
    assert_eq!(created.name.as_deref(), Some("bot"));
    assert_eq!(
        created.created_at,
        Some(serde_json::json!("2025-01-02T03:04:05.000Z"))
    );
}

fn refresh_token() -> auth_types::RefreshToken {
    auth_types::RefreshToken::new("refresh-token")
}

#[tokio::test]
async fn logout_accepts_the_message_an_empty_body_and_204() {
    answering(200, br#"{"message":"Logged out successfully"}"#)
        .logout(&refresh_token())
        .await
        .unwrap();
    answering(200, b"").logout(&refresh_token()).await.unwrap();
    answering(201, b" \n")
        .logout(&refresh_token())
        .await
        .unwrap();
    answering(204, b"").logout(&refresh_token()).await.unwrap();
}

#[tokio::test]
async fn a_refused_logout_is_still_an_error() {
    let err = answering(
        401,
        br#"{"message":"Invalid or expired token","error":"Unauthorized","statusCode":401}"#,
    )
    .logout(&refresh_token())
    .await
    .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{err:?}");
}

fn tokens_with(token_type: Option<&str>) -> String {
    let kind = token_type.map_or(String::new(), |t| format!(r#","tokenType":"{t}""#));
    format!(r#"{{"accessToken":"a","refreshToken":"r","expiresIn":900{kind}}}"#)
}

fn account() -> auth_types::EvmAddress {
    "0xad1c2d81e22c7a4edfe1901bc68f97f4c34d297d"
        .parse()
        .unwrap()
}

#[tokio::test]
async fn a_token_type_other_than_bearer_is_refused_on_login_and_refresh() {
    let key = auth_types::ApiKey::new("pk_key");
    let err = answering(200, tokens_with(Some("DPoP")))
        .login_api_key(&account(), &key)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, pear_auth::PearError::Provider(pear_auth::PearFailure::UnsupportedTokenType { token_type }) if token_type == "DPoP"),
        "{err:?}"
    );
    assert!(err.to_string().contains("`DPoP`"), "{err}");
    assert!(err.to_string().contains("`Bearer`"), "{err}");
    let err = answering(200, tokens_with(Some("MAC")))
        .refresh(&refresh_token())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            pear_auth::PearError::Provider(pear_auth::PearFailure::UnsupportedTokenType { .. })
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn bearer_in_any_case_or_absent_is_accepted() {
    let key = auth_types::ApiKey::new("pk_key");
    for (sent, kept) in [
        (Some("Bearer"), "Bearer"),
        (Some("bearer"), "bearer"),
        (None, "Bearer"),
    ] {
        let tokens = answering(200, tokens_with(sent))
            .login_api_key(&account(), &key)
            .await
            .unwrap();
        assert_eq!(tokens.token_type, kept);
        let tokens = answering(200, tokens_with(sent))
            .refresh(&refresh_token())
            .await
            .unwrap();
        assert_eq!(tokens.token_type, kept);
    }
}
