//! `GET /auth/eip712-message`: the typed data a wallet signs to log in (or, in hostile
//! mode, a token approval instead).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use auth_types::EvmAddress;
use axum::Json;
use axum::extract::{Query, State as Extract};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::state::PearState;
use super::verify::{ACTION, DOMAIN_NAME, DOMAIN_VERSION};
use super::{address_pattern, bad_request};
use crate::counters::bump;
use crate::time::unix_now;

/// The login message, exactly as the live server shapes it. Without a client id (the
/// request had no `clientId`) the message has no `clientId` member and the
/// `Authentication` type no `clientId` field.
fn authentication_message(
    state: &PearState,
    address: &EvmAddress,
    client_id: Option<&str>,
    timestamp: u64,
) -> Value {
    let address = address.to_lowercase_hex();
    let (fields, message) = match client_id {
        Some(client_id) => (
            json!([
                {"name": "address", "type": "address"},
                {"name": "clientId", "type": "string"},
                {"name": "timestamp", "type": "uint256"},
                {"name": "action", "type": "string"},
            ]),
            json!({
                "address": address,
                "clientId": client_id,
                "timestamp": timestamp,
                "action": ACTION,
            }),
        ),
        None => (
            json!([
                {"name": "address", "type": "address"},
                {"name": "timestamp", "type": "uint256"},
                {"name": "action", "type": "string"},
            ]),
            json!({
                "address": address,
                "timestamp": timestamp,
                "action": ACTION,
            }),
        ),
    };
    json!({
        "domain": {
            "name": DOMAIN_NAME,
            "version": DOMAIN_VERSION,
            "chainId": state.settings.chain_id,
            "verifyingContract": state.settings.verifying_contract.to_lowercase_hex(),
        },
        "types": {"Authentication": fields},
        "primaryType": "Authentication",
        "message": message,
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

/// `GET /auth/eip712-message?address=…[&clientId=…]`.
pub(super) async fn eip712_message(
    Extract(state): Extract<Arc<PearState>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut problems = Vec::new();
    let address = query.get("address").and_then(|a| address_pattern(a));
    if address.is_none() {
        problems.push("address must be an Ethereum address".to_owned());
    }
    // Optional; when given it must not be empty.
    let client_id = query.get("clientId").map(String::as_str);
    if client_id.is_some_and(str::is_empty) {
        problems.push("clientId should not be empty".to_owned());
    }
    let Some(address) = address.filter(|_| problems.is_empty()) else {
        return bad_request(problems);
    };
    bump(&state.counters.messages);
    let now = unix_now();
    let body = if state.hostile.load(Ordering::Relaxed) {
        token_approval(&address, now)
    } else {
        authentication_message(&state, &address, client_id, now)
    };
    Json(body).into_response()
}
