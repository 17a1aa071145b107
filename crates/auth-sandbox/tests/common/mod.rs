//! Helpers for the sandbox tests: an HTTP client and signing shortcuts.

#![allow(dead_code, unreachable_pub)] // each test binary uses a different part

use auth_signing::eip712::TypedData;
use auth_signing::ethereum::LocalEthSigner;
use auth_transport::http::{HeaderMap, Method, Request, StatusCode};
use auth_transport::{HttpTransport, ReqwestTransport, TransportError};
use auth_types::AccessToken;
use bytes::Bytes;
use serde_json::Value;

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

pub async fn send(
    method: Method,
    url: &str,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> Result<Reply, TransportError> {
    let transport = ReqwestTransport::new().expect("client");
    let mut builder = Request::builder().method(method).uri(url);
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    let bytes = match body {
        Some(b) => {
            builder = builder.header("content-type", "application/json");
            Bytes::from(serde_json::to_vec(b).expect("json"))
        }
        None => Bytes::new(),
    };
    let response = transport
        .send(builder.body(bytes).expect("request"))
        .await?;
    Ok(Reply {
        status: response.status(),
        headers: response.headers().clone(),
        body: serde_json::from_slice(response.body()).unwrap_or(Value::Null),
    })
}

pub async fn get(url: &str, headers: &[(&str, &str)]) -> Reply {
    send(Method::GET, url, None, headers).await.expect("GET")
}

pub async fn post(url: &str, body: &Value, headers: &[(&str, &str)]) -> Reply {
    send(Method::POST, url, Some(body), headers)
        .await
        .expect("POST")
}

/// Fetches the message for `signer`, signs it, and posts the login.
pub async fn pear_login(base: &str, signer: &LocalEthSigner, client_id: &str) -> Reply {
    let address = signer.address().to_lowercase_hex();
    let message = get(
        &format!("{base}/auth/eip712-message?address={address}&clientId={client_id}"),
        &[],
    )
    .await;
    assert_eq!(message.status, 200, "{:?}", message.body);
    let timestamp = message.body["timestamp"].as_u64().expect("timestamp");
    let typed = TypedData::from_json_value(message.body).expect("typed data");
    let signature = signer.sign_typed_data(&typed).expect("sign");
    post(
        &format!("{base}/auth/login"),
        &serde_json::json!({
            "method": "eip712",
            "address": address,
            "clientId": client_id,
            "details": {"signature": signature.to_string(), "timestamp": timestamp},
        }),
        &[],
    )
    .await
}

pub fn bearer(token: &Value) -> String {
    format!("Bearer {}", token.as_str().expect("token string"))
}

/// A token from a JSON answer, as the access token `whoami` presents.
pub fn token(token: &Value) -> AccessToken {
    AccessToken::new(token.as_str().expect("token string"))
}
