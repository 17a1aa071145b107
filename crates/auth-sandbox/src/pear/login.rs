//! `POST /auth/login`: `eip712` (signer recovery, freshness, single-use timestamps),
//! `api_key` and `privy_access_token` logins.

use std::sync::Arc;

use auth_types::EvmAddress;
use auth_types::lock;
use axum::Json;
use axum::extract::State as Extract;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::{Map, Value, json};

use super::state::PearState;
use super::tokens::issue_pair;
use super::verify::authentication_digest;
use super::{address_pattern, bad_request, parse_body};
use crate::counters::bump;
use crate::eth::recover_eth_signer;
use crate::reply::unauthorized;
use crate::time::{unix_now, unix_now_ms};

/// The 401 message of an `eip712` login whose `(address, timestamp)` has logged in before.
pub(crate) const TIMESTAMP_USED: &str = "Timestamp already used";

/// The 401 message of an `eip712` login without `details.timestamp`.
const TIMESTAMP_REQUIRED: &str = "Timestamp is required for EIP712 authentication";

/// Why a login was refused: the 401 message.
type Refusal = &'static str;

pub(super) async fn login(Extract(state): Extract<Arc<PearState>>, body: Bytes) -> Response {
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
    let verdict = match method {
        "eip712" => eip712(&state, &address, client_id, details),
        "api_key" => api_key(&state, &address, details),
        _ => privy(&state, &address, details),
    };
    match verdict {
        Err(Rejection::Invalid(problems)) => return bad_request(problems),
        Err(Rejection::Refused(message)) => {
            bump(&state.counters.login_refusals);
            return unauthorized(message);
        }
        Ok(()) => {}
    }
    bump(&state.counters.logins);
    let address_text = address.to_lowercase_hex();
    let sid = state.shared.new_id("s");
    let (access, refresh) = issue_pair(&state, &address_text, client_id, &sid);
    Json(json!({
        "accessToken": access,
        "refreshToken": refresh,
        "tokenType": "Bearer",
        "expiresIn": state.settings.access_token_ttl.as_secs().max(1),
        "address": address_text,
        "clientId": client_id,
    }))
    .into_response()
}

/// A login that does not go through.
enum Rejection {
    /// The details do not validate: 400 with every problem.
    Invalid(Vec<String>),
    /// The credentials are refused: 401 with this message.
    Refused(Refusal),
}

type Verdict = Result<(), Rejection>;

fn string<'a>(details: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    details.get(key).and_then(Value::as_str)
}

/// `details: {signature, timestamp, chainId?}`. A missing `timestamp` is a 401 (as the
/// live service answers), a malformed one a 400.
fn eip712(
    state: &PearState,
    address: &EvmAddress,
    client_id: &str,
    details: &Map<String, Value>,
) -> Verdict {
    let mut problems = Vec::new();
    let signature = string(details, "signature");
    if signature.is_none() {
        problems.push("details.signature must be a string".to_owned());
    }
    let timestamp = match details.get("timestamp") {
        None | Some(Value::Null) => None,
        Some(value) => {
            if value.as_u64().is_none() {
                problems.push("details.timestamp must be a number".to_owned());
            }
            value.as_u64()
        }
    };
    // Optional; accepted whatever chain it names (the signature decides).
    if details
        .get("chainId")
        .is_some_and(|c| !c.is_null() && c.as_u64().is_none())
    {
        problems.push("details.chainId must be a number".to_owned());
    }
    let Some(signature) = signature.filter(|_| problems.is_empty()) else {
        return Err(Rejection::Invalid(problems));
    };
    let Some(timestamp) = timestamp else {
        return Err(Rejection::Refused(TIMESTAMP_REQUIRED));
    };
    check_eip712(state, address, client_id, signature, timestamp).map_err(Rejection::Refused)
}

/// Checks an EIP-712 login: fresh timestamp, a signature by the claimed address of the
/// `Authentication` message the sandbox serves (with the login's client id, or without
/// one, as served to a request without `clientId`), and a timestamp this address has not
/// logged in with before. The digest and the signer are computed here (see
/// [`super::verify`]), not by `auth-signing`, so that a bug there is caught.
fn check_eip712(
    state: &PearState,
    address: &EvmAddress,
    client_id: &str,
    signature: &str,
    timestamp: u64,
) -> Result<(), Refusal> {
    if unix_now().abs_diff(timestamp) > state.settings.freshness_window.as_secs() {
        return Err("Signature expired");
    }
    let signed_by_address = |client_id: Option<&str>| {
        let digest = authentication_digest(
            state.settings.chain_id,
            state.settings.verifying_contract.as_bytes(),
            address.as_bytes(),
            client_id,
            timestamp,
        );
        recover_eth_signer(&digest, signature).is_ok_and(|signer| signer == *address.as_bytes())
    };
    if !(signed_by_address(Some(client_id)) || signed_by_address(None)) {
        return Err("Invalid signature");
    }
    // Only a verified login uses up its timestamp: a forgery cannot lock a wallet out.
    if !state.claim_login_timestamp(*address.as_bytes(), timestamp) {
        bump(&state.counters.timestamp_reuses);
        return Err(TIMESTAMP_USED);
    }
    Ok(())
}

/// `details: {apiKey}`: a key issued to this address. Marks the key used.
fn api_key(state: &PearState, address: &EvmAddress, details: &Map<String, Value>) -> Verdict {
    let Some(key) = string(details, "apiKey") else {
        return Err(Rejection::Invalid(vec![
            "details.apiKey must be a string".to_owned(),
        ]));
    };
    match lock(&state.api_keys).get_mut(key) {
        Some(record) if record.address == *address => {
            record.last_used_at_ms = Some(unix_now_ms());
            Ok(())
        }
        _ => Err(Rejection::Refused("Invalid API key")),
    }
}

/// `details: {appId, accessToken}`: a Privy token configured for this app and address.
fn privy(state: &PearState, address: &EvmAddress, details: &Map<String, Value>) -> Verdict {
    let (Some(app_id), Some(token)) = (string(details, "appId"), string(details, "accessToken"))
    else {
        return Err(Rejection::Invalid(vec![
            "details.appId must be a string".to_owned(),
            "details.accessToken must be a string".to_owned(),
        ]));
    };
    let known = state
        .settings
        .privy_tokens
        .iter()
        .any(|(a, t, owner)| a == app_id && t == token && owner == address);
    if known {
        Ok(())
    } else {
        Err(Rejection::Refused("Invalid Privy access token"))
    }
}
