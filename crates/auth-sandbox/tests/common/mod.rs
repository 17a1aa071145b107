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
    /// The body as JSON, `null` if it is not JSON (or empty).
    pub body: Value,
    /// The body as text.
    pub text: String,
}

pub async fn send(
    method: Method,
    url: &str,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> Result<Reply, TransportError> {
    let mut all = headers.to_vec();
    let bytes = match body {
        Some(b) => {
            all.push(("content-type", "application/json"));
            Bytes::from(serde_json::to_vec(b).expect("json"))
        }
        None => Bytes::new(),
    };
    send_bytes(method, url, bytes, &all).await
}

/// Sends `body` with exactly `headers` (no `Content-Type` added). reqwest adds
/// `Accept: */*` when there is none.
pub async fn send_bytes(
    method: Method,
    url: &str,
    body: Bytes,
    headers: &[(&str, &str)],
) -> Result<Reply, TransportError> {
    let transport = ReqwestTransport::new().expect("client");
    let mut builder = Request::builder().method(method).uri(url);
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    let response = transport.send(builder.body(body).expect("request")).await?;
    Ok(Reply {
        status: response.status(),
        headers: response.headers().clone(),
        body: serde_json::from_slice(response.body()).unwrap_or(Value::Null),
        text: String::from_utf8_lossy(response.body()).into_owned(),
    })
}

/// A POST written byte by byte over TCP, with exactly `headers` (no `Accept` unless
/// given): returns the status code. For what an HTTP library would add on its own.
pub async fn raw_post(base: &str, path: &str, headers: &[(&str, &str)], body: &str) -> u16 {
    use std::io::{Read, Write};
    let host = base
        .strip_prefix("http://")
        .expect("http base url")
        .to_owned();
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(&host).expect("connect");
        stream.write_all(request.as_bytes()).expect("write");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("read");
        answer
    })
    .await
    .expect("join");
    answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("a status line")
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

/// Unix seconds now.
pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

/// A Pear `eip712` login body for `signer` at `timestamp` with `clientId: APITRADER`,
/// signed over the sandbox's default domain. The signed message carries
/// `message_client_id`, or no `clientId` at all (the form served to a request without
/// one).
pub fn eip712_login_body(
    signer: &LocalEthSigner,
    message_client_id: Option<&str>,
    timestamp: u64,
) -> Value {
    let address = signer.address().to_lowercase_hex();
    let (fields, message) = match message_client_id {
        Some(client_id) => (
            serde_json::json!([
                {"name": "address", "type": "address"}, {"name": "clientId", "type": "string"},
                {"name": "timestamp", "type": "uint256"}, {"name": "action", "type": "string"}]),
            serde_json::json!({"address": address, "clientId": client_id,
                               "timestamp": timestamp, "action": "authenticate"}),
        ),
        None => (
            serde_json::json!([
                {"name": "address", "type": "address"},
                {"name": "timestamp", "type": "uint256"}, {"name": "action", "type": "string"}]),
            serde_json::json!({"address": address, "timestamp": timestamp,
                               "action": "authenticate"}),
        ),
    };
    let typed = TypedData::from_json_value(serde_json::json!({
        "domain": {"name": "Pear Protocol", "version": "1", "chainId": 42161,
                   "verifyingContract": "0x0000000000000000000000000000000000000001"},
        "types": {"Authentication": fields},
        "primaryType": "Authentication",
        "message": message,
    }))
    .expect("typed data");
    let signature = signer.sign_typed_data(&typed).expect("sign");
    serde_json::json!({
        "method": "eip712", "address": address, "clientId": "APITRADER",
        "details": {"signature": signature.to_string(), "timestamp": timestamp},
    })
}

/// Whether `text` is an ISO-8601 UTC time with milliseconds, `YYYY-MM-DDTHH:MM:SS.mmmZ`,
/// in this century.
pub fn is_iso8601_ms(text: &str) -> bool {
    let shape = "dddd-dd-ddTdd:dd:dd.dddZ";
    text.len() == shape.len()
        && text.starts_with("20")
        && text.chars().zip(shape.chars()).all(|(c, s)| match s {
            'd' => c.is_ascii_digit(),
            other => c == other,
        })
}
