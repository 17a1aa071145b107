//! The refusals every backend gives, and what it answers to malformed input.

use auth_transport::http::Method;
use bytes::Bytes;
use serde_json::{Value, json};

use super::{
    Wallet, authority, cookie_nonce, iso, message, message_at, now_ms, signed, token_nonce,
};
use crate::common::{post, send_bytes};

/// The refusals every backend gives: replay, foreign domain, wrong signature, a nonce of
/// the other mode or never issued, a stale or future `Issued At`, an expired message.
pub async fn refusals(base: &str, wallet: &dyn Wallet, stranger: &dyn Wallet) {
    let domain = authority(base);
    let verify = format!("{base}/verify");
    // A replayed good message: its nonce is used.
    let nonce = cookie_nonce(base).await;
    let good = signed(wallet, &message(wallet, domain, &nonce));
    assert_eq!(post(&verify, &good, &[]).await.status, 200);
    let replay = post(&verify, &good, &[]).await;
    assert_eq!(replay.status, 401);
    assert_eq!(replay.body["message"], "Nonce has already been used");
    let cases: Vec<(Value, &str)> = vec![
        (
            signed(
                wallet,
                &message(wallet, "evil.example", &cookie_nonce(base).await),
            ),
            "domain",
        ),
        (
            {
                let text = message(wallet, domain, &cookie_nonce(base).await);
                json!({"message": text, "signature": stranger.sign(&text)})
            },
            "Signature does not match",
        ),
        (
            signed(wallet, &message(wallet, domain, &token_nonce(base).await)),
            "other session mode",
        ),
        (
            signed(wallet, &message(wallet, domain, "NeverIssued12345")),
            "not issued",
        ),
        (
            signed(
                wallet,
                &message_at(
                    wallet,
                    domain,
                    &cookie_nonce(base).await,
                    now_ms() - 3_600_000,
                    "",
                ),
            ),
            "older",
        ),
        (
            signed(
                wallet,
                &message_at(
                    wallet,
                    domain,
                    &cookie_nonce(base).await,
                    now_ms() + 3_600_000,
                    "",
                ),
            ),
            "future",
        ),
        (
            signed(
                wallet,
                &message_at(
                    wallet,
                    domain,
                    &cookie_nonce(base).await,
                    now_ms(),
                    &format!("\nExpiration Time: {}", iso(now_ms() - 1000)),
                ),
            ),
            "Expired",
        ),
        (
            signed(
                wallet,
                &message_at(
                    wallet,
                    domain,
                    &cookie_nonce(base).await,
                    now_ms(),
                    &format!(
                        "\nExpiration Time: {}\nNot Before: {}",
                        iso(now_ms() + 7_200_000),
                        iso(now_ms() + 3_600_000)
                    ),
                ),
            ),
            "not yet valid",
        ),
    ];
    for (body, expected) in cases {
        let reply = post(&verify, &body, &[]).await;
        assert_eq!(reply.status, 401, "{expected}: {}", reply.text);
        let why = reply.body["message"].as_str().unwrap();
        assert!(why.contains(expected), "{expected}: {why}");
    }
    // A refused signature leaves the nonce usable: the genuine login still works.
    let nonce = token_nonce(base).await;
    let text = message(wallet, domain, &nonce);
    let forged = json!({"message": text, "signature": stranger.sign(&text)});
    let login = format!("{base}/auth/login");
    assert_eq!(post(&login, &forged, &[]).await.status, 401);
    assert_eq!(post(&login, &signed(wallet, &text), &[]).await.status, 200);
    assert_eq!(post(&login, &signed(wallet, &text), &[]).await.status, 401);
}

/// Malformed bodies and texts: 422 with a message naming what is wrong; garbage never
/// a 500.
pub async fn malformed(base: &str, wallet: &dyn Wallet) {
    let domain = authority(base);
    let nonce = cookie_nonce(base).await;
    let good = message(wallet, domain, &nonce);
    let cases: Vec<(Value, &str)> = vec![
        (json!({}), "Expected a JSON body"),
        (json!({"message": good}), "Expected a JSON body"),
        (
            json!({"message": 7, "signature": "x"}),
            "Expected a JSON body",
        ),
        (json!([1, 2]), "Expected a JSON body"),
        (
            json!({"message": good.replace(" wants you", " would like you"), "signature": wallet.sign(&good)}),
            "first line",
        ),
        (
            json!({"message": good.replace("Version: 1", "Version: 2"), "signature": wallet.sign(&good)}),
            "Version must be 1",
        ),
        (
            json!({"message": good.replace("Nonce: ", "Nonse: "), "signature": wallet.sign(&good)}),
            "unknown field",
        ),
        (
            json!({"message": good.replace("Issued At: 20", "Issued At: 19"), "signature": wallet.sign(&good)}),
            "Issued At must be",
        ),
        (
            json!({"message": good.replace(&wallet.address(), "0xnot-an-address"), "signature": wallet.sign(&good)}),
            "address must be",
        ),
    ];
    for (body, expected) in cases {
        for path in ["/verify", "/auth/login"] {
            let reply = post(&format!("{base}{path}"), &body, &[]).await;
            assert_eq!(reply.status, 422, "{path} {expected}: {}", reply.text);
            let why = reply.body["message"].as_str().unwrap();
            assert!(why.contains(expected), "{expected}: {why}");
        }
    }
    // The nonce was not spent by any of those.
    let ok = post(&format!("{base}/verify"), &signed(wallet, &good), &[]).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    for garbage in [
        &b""[..],
        b"{",
        b"null",
        b"\xff\xfe\x00",
        b"{\"message\": \"\\u0000\\n\\n\\n\", \"signature\": \"\"}",
        b"{\"message\": \"a wants you to sign in with your Ethereum account:\\n\", \"signature\": \"0x\"}",
        b"{\"message\": \"a wants you to sign in with your Solana account:\\nx\", \"signature\": \"0x\"}",
    ] {
        for path in ["/verify", "/auth/login", "/auth/refresh", "/auth/logout", "/logout"] {
            let reply = send_bytes(
                Method::POST,
                &format!("{base}{path}"),
                Bytes::copy_from_slice(garbage),
                &[("content-type", "application/json")],
            )
            .await
            .unwrap();
            assert!(
                reply.status.is_client_error(),
                "{path} {garbage:?}: {} {}",
                reply.status,
                reply.text
            );
            assert!(reply.body["message"].is_string(), "{path}: {}", reply.text);
        }
    }
    let refresh = post(
        &format!("{base}/auth/refresh"),
        &json!({"refreshToken": "nope"}),
        &[],
    )
    .await;
    assert_eq!(refresh.status, 401);
}
