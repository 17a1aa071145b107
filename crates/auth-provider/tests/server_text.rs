//! What a server writes in an error answer reaches `ApiError`'s `Display` with every
//! control and invisible format character escaped, and still redacted of the request's
//! secrets.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::collections::BTreeMap;
use std::sync::Arc;

use auth_provider::{ApiClient, ApiError, ClientConfig, JsonBody};
use auth_transport::bytes::Bytes;
use auth_transport::from_fn;
use auth_transport::http::{Request, Response};

/// A window-title escape, a screen clear, a green fake success, a forged log line, bidi
/// overrides and isolates, zero-width characters, a line separator and C1 controls.
const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[32mOK logged in\u{1b}[0m\r\n\
     INFO forged\u{202e}gnp.exe\u{202c}\u{2066}x\u{2069}\u{200b}\u{feff}\u{2028}\u{85}\u{9b}31m\u{7f}";

const SECRET: &str = "eyJ-refresh-SECRET-0123456789";

fn is_dangerous(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// A client whose every request is answered `status` with `body`.
fn answering(status: u16, body: String) -> ApiClient {
    let transport = from_fn(move |_: Request<Bytes>| {
        let response = Response::builder()
            .status(status)
            .body(Bytes::from(body.clone()))
            .unwrap();
        async move { Ok(response) }
    });
    let mut config = ClientConfig::new("Example", "http://127.0.0.1:9");
    config.set_transport(Arc::new(transport));
    config.build().unwrap()
}

/// Posts a body carrying [`SECRET`] and returns the error.
async fn refused(status: u16, body: String) -> ApiError {
    answering(status, body)
        .post("/login")
        .json(JsonBody::new().secret("refreshToken", SECRET))
        .send()
        .await
        .err()
        .unwrap()
}

fn assert_safe(what: &str, err: &ApiError) {
    for shown in [err.to_string(), format!("{err:?}")] {
        if let Some(c) = shown.chars().find(|c| is_dangerous(*c)) {
            panic!(
                "{what}: U+{:04X} reached the error raw: {shown:?}",
                u32::from(c)
            );
        }
        assert!(!shown.contains("refresh-SECRET"), "{what}: {shown}");
    }
}

#[tokio::test]
async fn a_nestjs_refusal_is_escaped_and_redacted() {
    let text = format!("{HOSTILE} token {SECRET} {HOSTILE}");
    for (status, body) in [
        (401, serde_json::json!({"message": text, "statusCode": 401})),
        (
            400,
            serde_json::json!({"message": [text, HOSTILE], "error": "Bad Request"}),
        ),
        (403, serde_json::json!({"error": text})),
        (429, serde_json::json!({"message": text})),
    ] {
        let err = refused(status, body.to_string()).await;
        assert_safe(&format!("{status}"), &err);
        let shown = err.to_string();
        assert!(
            shown.contains(r"\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[32mOK logged in\u{1b}[0m\r\nINFO forged\u{202e}gnp.exe\u{202c}"),
            "{status}: the escapes are not shown: {shown}"
        );
        assert!(shown.contains("token <redacted> "), "{status}: {shown}");
        let ApiError::Refused { messages, .. } = &err else {
            panic!("{err:?}");
        };
        assert!(
            messages.iter().all(|m| !m.chars().any(is_dangerous)),
            "{messages:?}"
        );
    }
}

#[tokio::test]
async fn a_plain_text_refusal_is_escaped_redacted_and_cut_between_escapes() {
    let body = format!("<html>\n  <title>{HOSTILE}</title> {SECRET}\n</html>");
    let err = refused(502, body).await;
    assert_safe("plain text", &err);
    let shown = err.to_string();
    assert!(shown.contains(r"<title>\u{1b}]0;pwned\u{7}"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");

    // A body of escapes only is cut after a whole escape, never inside one.
    for pad in 0..8 {
        let body = format!("{}{}", "a".repeat(pad), "\u{1b}".repeat(100));
        let err = refused(500, body).await;
        assert_safe("long", &err);
        let ApiError::Refused { message, .. } = &err else {
            panic!("{err:?}");
        };
        let escapes = message.trim_start_matches('a').trim_end_matches('…');
        assert!(
            escapes.split_inclusive('}').all(|piece| piece == r"\u{1b}"),
            "pad {pad}: an escape was split: {message}"
        );
        assert!(message.ends_with('…'), "{message}");
    }
}

#[tokio::test]
async fn a_field_name_chosen_by_the_server_is_escaped_in_a_decode_error() {
    let body = serde_json::json!({ HOSTILE: "not a number" }).to_string();
    let err = answering(200, body)
        .get("/x")
        .send_json::<BTreeMap<String, u64>>()
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Malformed { .. }), "{err:?}");
    assert_safe("decode", &err);
    assert!(
        std::error::Error::source(&err)
            .unwrap()
            .to_string()
            .contains(r"\u{1b}[2J"),
        "{err}"
    );
}
