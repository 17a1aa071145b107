//! The Pear Protocol auth API: EIP-712 message, logins, rotating refresh, logout, API keys,
//! and one protected endpoint.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use auth_types::EvmAddress;
use axum::extract::{Query, State as Extract};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router, middleware};
use bytes::Bytes;
use serde_json::{Value, json};

use crate::reply::{bearer, nest_error, unauthorized};
use crate::state::{ApiKeyRecord, Claims, State, bump, lock, unix_now};
use crate::verify::{
    ACTION, DOMAIN_NAME, DOMAIN_VERSION, authentication_digest, recover_eth_signer,
};

pub(crate) fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/auth/eip712-message", get(eip712_message))
        .route("/auth/login", post(login))
        .route("/auth/refresh", post(refresh))
        .route("/auth/logout", post(logout))
        .route("/api-keys", post(create_api_key).get(list_api_keys))
        .route("/sandbox/whoami", get(whoami))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::faults::apply,
        ))
        .with_state(state)
}

async fn not_found() -> Response {
    nest_error(
        StatusCode::NOT_FOUND,
        vec!["Cannot find this route".to_owned()],
    )
}

fn bad_request(problems: Vec<String>) -> Response {
    nest_error(StatusCode::BAD_REQUEST, problems)
}

/// `^0x[a-fA-F0-9]{40}$`, the pattern of Pear's API docs.
fn address_pattern(text: &str) -> Option<EvmAddress> {
    let digits = text.strip_prefix("0x")?;
    if digits.len() != 40 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    text.to_ascii_lowercase().parse().ok()
}

/// The login message, exactly as the live server shapes it.
fn authentication_message(
    state: &State,
    address: &EvmAddress,
    client_id: &str,
    timestamp: u64,
) -> Value {
    json!({
        "domain": {
            "name": DOMAIN_NAME,
            "version": DOMAIN_VERSION,
            "chainId": state.config.chain_id,
            "verifyingContract": state.config.verifying_contract.to_lowercase_hex(),
        },
        "types": {
            "Authentication": [
                {"name": "address", "type": "address"},
                {"name": "clientId", "type": "string"},
                {"name": "timestamp", "type": "uint256"},
                {"name": "action", "type": "string"},
            ]
        },
        "primaryType": "Authentication",
        "message": {
            "address": address.to_lowercase_hex(),
            "clientId": client_id,
            "timestamp": timestamp,
            "action": ACTION,
        },
        "timestamp": timestamp,
    })
}

/// What a hostile server would hand out instead: an unlimited USDC approval.
fn token_approval(owner: &EvmAddress, timestamp: u64) -> Value {
    json!({
        "domain": {
            "name": "USD Coin",
            "version": "2",
            "chainId": 42161,
            "verifyingContract": "0xaf88d065e77c8cc2239327c5edb3a432268e5831",
        },
        "types": {
            "Permit": [
                {"name": "owner", "type": "address"},
                {"name": "spender", "type": "address"},
                {"name": "value", "type": "uint256"},
                {"name": "nonce", "type": "uint256"},
                {"name": "deadline", "type": "uint256"},
            ]
        },
        "primaryType": "Permit",
        "message": {
            "owner": owner.to_lowercase_hex(),
            "spender": "0x000000000000000000000000000000000000dead",
            "value": "115792089237316195423570985008687907853269984665640564039457584007913129639935",
            "nonce": 0,
            "deadline": timestamp + 3600,
        },
        "timestamp": timestamp,
    })
}

async fn eip712_message(
    Extract(state): Extract<Arc<State>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut problems = Vec::new();
    let address = query.get("address").and_then(|a| address_pattern(a));
    if address.is_none() {
        problems.push("address must be an Ethereum address".to_owned());
    }
    let client_id = query.get("clientId").filter(|c| !c.is_empty());
    if client_id.is_none() {
        problems.push("clientId should not be empty".to_owned());
    }
    let (Some(address), Some(client_id)) = (address, client_id) else {
        return bad_request(problems);
    };
    bump(&state.counters.pear_messages);
    let now = unix_now();
    let body = if state.hostile.load(Ordering::Relaxed) {
        token_approval(&address, now)
    } else {
        authentication_message(&state, &address, client_id, now)
    };
    Json(body).into_response()
}

/// Issues an access and refresh token for a (new or continuing) session.
fn issue_pair(state: &State, address: &str, client_id: &str, sid: &str) -> (String, String) {
    let now = unix_now();
    let access = Claims {
        sub: address.to_owned(),
        typ: "access".to_owned(),
        sid: sid.to_owned(),
        jti: state.new_id("a"),
        cid: client_id.to_owned(),
        iat: now,
        exp: now + state.config.access_token_ttl.as_secs().max(1),
    };
    let refresh = Claims {
        typ: "refresh".to_owned(),
        jti: state.new_id("r"),
        exp: now + state.config.refresh_token_ttl.as_secs().max(1),
        ..access.clone()
    };
    lock(&state.refresh_tokens).insert(refresh.jti.clone(), true);
    (state.issue(&access), state.issue(&refresh))
}

fn parse_body(body: &Bytes) -> Result<serde_json::Map<String, Value>, Response> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(bad_request(vec!["body must be a JSON object".to_owned()])),
    }
}

async fn login(Extract(state): Extract<Arc<State>>, body: Bytes) -> Response {
    let body = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut problems = Vec::new();
    let method = body.get("method").and_then(Value::as_str);
    if !matches!(method, Some("eip712" | "api_key" | "privy_access_token")) {
        problems.push(
            "method must be one of the following values: eip712, api_key, privy_access_token"
                .to_owned(),
        );
    }
    let address = body
        .get("address")
        .and_then(Value::as_str)
        .and_then(address_pattern);
    if address.is_none() {
        problems.push("address must be an Ethereum address".to_owned());
    }
    let client_id = body
        .get("clientId")
        .and_then(Value::as_str)
        .filter(|c| !c.is_empty());
    if client_id.is_none() {
        problems.push("clientId should not be empty".to_owned());
    }
    let details = body.get("details").and_then(Value::as_object);
    if details.is_none() {
        problems.push("details must be an object".to_owned());
    }
    let (Some(method), Some(address), Some(client_id), Some(details)) =
        (method, address, client_id, details)
    else {
        return bad_request(problems);
    };
    let text = |key: &str| details.get(key).and_then(Value::as_str);
    let verdict = match method {
        "eip712" => {
            let signature = text("signature");
            let timestamp = details.get("timestamp").and_then(Value::as_u64);
            let mut problems = Vec::new();
            if signature.is_none() {
                problems.push("details.signature must be a string".to_owned());
            }
            if timestamp.is_none() {
                problems.push("details.timestamp must be a number".to_owned());
            }
            let (Some(signature), Some(timestamp)) = (signature, timestamp) else {
                return bad_request(problems);
            };
            check_eip712(&state, &address, client_id, signature, timestamp)
        }
        "api_key" => match text("apiKey") {
            None => return bad_request(vec!["details.apiKey must be a string".to_owned()]),
            Some(key) => match lock(&state.api_keys).get(key) {
                Some(record) if record.address == address => Ok(()),
                _ => Err("Invalid API key"),
            },
        },
        _ => match (text("appId"), text("accessToken")) {
            (Some(app_id), Some(token)) => {
                let known = state
                    .config
                    .privy_tokens
                    .iter()
                    .any(|(a, t, owner)| a == app_id && t == token && *owner == address);
                if known {
                    Ok(())
                } else {
                    Err("Invalid Privy access token")
                }
            }
            _ => {
                return bad_request(vec![
                    "details.appId must be a string".to_owned(),
                    "details.accessToken must be a string".to_owned(),
                ]);
            }
        },
    };
    if let Err(message) = verdict {
        bump(&state.counters.pear_login_refusals);
        return unauthorized(message);
    }
    bump(&state.counters.pear_logins);
    let address_text = address.to_lowercase_hex();
    let sid = state.new_id("s");
    let (access, refresh) = issue_pair(&state, &address_text, client_id, &sid);
    Json(json!({
        "accessToken": access,
        "refreshToken": refresh,
        "tokenType": "Bearer",
        "expiresIn": state.config.access_token_ttl.as_secs().max(1),
        "address": address_text,
        "clientId": client_id,
    }))
    .into_response()
}

/// Checks an EIP-712 login: fresh timestamp, and a signature by the claimed address of
/// the `Authentication` message the sandbox serves. The digest and the signer are computed
/// here (see [`crate::verify`]), not by `auth-signing`, so that a bug there is caught.
fn check_eip712(
    state: &State,
    address: &EvmAddress,
    client_id: &str,
    signature: &str,
    timestamp: u64,
) -> Result<(), &'static str> {
    if unix_now().abs_diff(timestamp) > state.config.freshness_window.as_secs() {
        return Err("Signature expired");
    }
    let digest = authentication_digest(
        state.config.chain_id,
        state.config.verifying_contract.as_bytes(),
        address.as_bytes(),
        client_id,
        timestamp,
    );
    match recover_eth_signer(&digest, signature) {
        Ok(signer) if signer == *address.as_bytes() => Ok(()),
        _ => Err("Invalid signature"),
    }
}

async fn refresh(Extract(state): Extract<Arc<State>>, body: Bytes) -> Response {
    let body = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(token) = body.get("refreshToken").and_then(Value::as_str) else {
        return bad_request(vec!["refreshToken must be a string".to_owned()]);
    };
    let Some(claims) = state.verify(token, "refresh") else {
        return unauthorized("Invalid or expired refresh token");
    };
    {
        let mut tokens = lock(&state.refresh_tokens);
        match tokens.get_mut(&claims.jti) {
            Some(live) if *live => *live = false,
            Some(_) => {
                drop(tokens);
                bump(&state.counters.refused_reuses);
                return unauthorized("Refresh token has already been used");
            }
            None => return unauthorized("Invalid or expired refresh token"),
        }
    }
    bump(&state.counters.pear_refreshes);
    let (access, refresh) = issue_pair(&state, &claims.sub, &claims.cid, &claims.sid);
    Json(json!({
        "accessToken": access,
        "refreshToken": refresh,
        "tokenType": "Bearer",
        "expiresIn": state.config.access_token_ttl.as_secs().max(1),
    }))
    .into_response()
}

async fn logout(Extract(state): Extract<Arc<State>>, body: Bytes) -> Response {
    let body = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(token) = body.get("refreshToken").and_then(Value::as_str) else {
        return bad_request(vec!["refreshToken must be a string".to_owned()]);
    };
    let Some(claims) = state.verify(token, "refresh") else {
        return unauthorized("Invalid or expired refresh token");
    };
    lock(&state.revoked_sessions).insert(claims.sid);
    bump(&state.counters.pear_logouts);
    Json(json!({"message": "Logged out successfully"})).into_response()
}

/// The access-token claims of a request, or the 401 to send.
fn authorize(state: &State, headers: &HeaderMap) -> Result<Claims, Response> {
    match bearer(headers).and_then(|t| state.verify(t, "access")) {
        Some(claims) => {
            bump(&state.counters.protected_ok);
            Ok(claims)
        }
        None => {
            bump(&state.counters.protected_refused);
            Err(unauthorized("Unauthorized"))
        }
    }
}

async fn whoami(Extract(state): Extract<Arc<State>>, headers: HeaderMap) -> Response {
    match authorize(&state, &headers) {
        Ok(claims) => Json(json!({"address": claims.sub, "clientId": claims.cid})).into_response(),
        Err(r) => r,
    }
}

async fn create_api_key(
    Extract(state): Extract<Arc<State>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let claims = match authorize(&state, &headers) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let name = if body.is_empty() {
        None
    } else {
        match parse_body(&body) {
            Ok(map) => match map.get("name") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(_) => return bad_request(vec!["name must be a string".to_owned()]),
            },
            Err(r) => return r,
        }
    };
    let Ok(address) = claims.sub.parse::<EvmAddress>() else {
        return unauthorized("Unauthorized");
    };
    let key = format!("pk_{:016x}{:016x}", state.random(), state.random());
    let record = ApiKeyRecord {
        id: state.new_id("k"),
        name,
        address,
        created_at: unix_now(),
    };
    let body = json!({
        "id": record.id,
        "apiKey": key,
        "name": record.name,
        "createdAt": record.created_at,
    });
    lock(&state.api_keys).insert(key, record);
    (StatusCode::CREATED, Json(body)).into_response()
}

async fn list_api_keys(Extract(state): Extract<Arc<State>>, headers: HeaderMap) -> Response {
    let claims = match authorize(&state, &headers) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let keys: Vec<Value> = lock(&state.api_keys)
        .iter()
        .filter(|(_, r)| r.address.to_lowercase_hex() == claims.sub)
        .map(|(key, r)| {
            json!({
                "id": r.id,
                "name": r.name,
                "createdAt": r.created_at,
                "keyPrefix": key.chars().take(7).collect::<String>(),
            })
        })
        .collect();
    Json(keys).into_response()
}

/// Issues an API key directly (for tests and examples that skip the wallet login).
pub(crate) fn issue_api_key(state: &State, address: EvmAddress, name: Option<String>) -> String {
    let key = format!("pk_{:016x}{:016x}", state.random(), state.random());
    let record = ApiKeyRecord {
        id: state.new_id("k"),
        name,
        address,
        created_at: unix_now(),
    };
    lock(&state.api_keys).insert(key.clone(), record);
    key
}
