//! `POST /api-keys` and `GET /api-keys`: API keys of the logged-in address, shown once.

use std::sync::Arc;

use auth_types::EvmAddress;
use auth_types::lock;
use axum::Json;
use axum::extract::State as Extract;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::{Value, json};

use super::state::{ApiKeyRecord, PearState};
use super::{authorize, bad_request, parse_body};
use crate::reply::unauthorized;
use crate::time::{iso8601, unix_now_ms};

/// Makes a key for `address` and stores it; returns the key and its record.
fn new_key(state: &PearState, address: EvmAddress, name: Option<String>) -> (String, ApiKeyRecord) {
    let key = format!(
        "pk_{:016x}{:016x}",
        state.shared.random(),
        state.shared.random()
    );
    let record = ApiKeyRecord {
        id: state.shared.new_id("k"),
        name,
        address,
        created_at_ms: unix_now_ms(),
        last_used_at_ms: None,
    };
    lock(&state.api_keys).insert(key.clone(), record.clone());
    (key, record)
}

/// Issues an API key directly (for tests and examples that skip the wallet login).
pub(crate) fn issue_api_key(
    state: &PearState,
    address: EvmAddress,
    name: Option<String>,
) -> String {
    new_key(state, address, name).0
}

/// `POST /api-keys {name?}` -> 201 `{id, apiKey, name, createdAt}`.
pub(super) async fn create_api_key(
    Extract(state): Extract<Arc<PearState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let claims = match authorize(&state, &headers) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let name = match parse_body(&body) {
        Ok(map) => match map.get("name") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return bad_request(vec!["name must be a string".to_owned()]),
        },
        Err(r) => return r,
    };
    let Ok(address) = claims.sub.parse::<EvmAddress>() else {
        return unauthorized("Unauthorized");
    };
    let (key, record) = new_key(&state, address, name);
    let body = json!({
        "id": record.id,
        "apiKey": key,
        "name": record.name,
        "createdAt": iso8601(record.created_at_ms),
    });
    (StatusCode::CREATED, Json(body)).into_response()
}

/// `GET /api-keys` -> `{"apiKeys": [{id, name, isActive, lastUsedAt, createdAt}]}`, oldest
/// first, never the keys themselves.
pub(super) async fn list_api_keys(
    Extract(state): Extract<Arc<PearState>>,
    headers: HeaderMap,
) -> Response {
    let claims = match authorize(&state, &headers) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let mut records: Vec<ApiKeyRecord> = lock(&state.api_keys)
        .values()
        .filter(|r| r.address.to_lowercase_hex() == claims.sub)
        .cloned()
        .collect();
    // Ids carry a zero-padded sequence number: their order is the order of creation.
    records.sort_by(|a, b| a.id.cmp(&b.id));
    let keys: Vec<Value> = records
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.name,
                "isActive": true,
                "lastUsedAt": r.last_used_at_ms.map(iso8601),
                "createdAt": iso8601(r.created_at_ms),
            })
        })
        .collect();
    Json(json!({"apiKeys": keys})).into_response()
}
