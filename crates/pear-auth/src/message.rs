//! The login message Pear asks the wallet to sign, and the checks made before signing it.

use auth_signing::eip712::{TypedData, TypedValue};
use auth_types::EvmAddress;

use crate::error::PearError;

/// `encodeType` of the only typed data this crate will sign for a login.
pub const AUTHENTICATION_TYPE: &str =
    "Authentication(address address,string clientId,uint256 timestamp,string action)";

/// A login message that passed every check, with the timestamp to send back.
#[derive(Debug, Clone)]
pub struct LoginMessage {
    pub(crate) typed: TypedData,
    pub(crate) timestamp: u64,
}

impl LoginMessage {
    /// The typed data to sign.
    pub fn typed_data(&self) -> &TypedData {
        &self.typed
    }

    /// The timestamp (unix seconds) that goes back as `details.timestamp`.
    pub fn timestamp(&self) -> u64 {
        self.timestamp
    }
}

fn refuse(reason: impl Into<String>) -> PearError {
    PearError::UnsafeMessage {
        reason: reason.into(),
    }
}

/// The fields of [`AUTHENTICATION_TYPE`], in order, as `(name, type)`.
const AUTHENTICATION_FIELDS: [(&str, &str); 4] = [
    ("address", "address"),
    ("clientId", "string"),
    ("timestamp", "uint256"),
    ("action", "string"),
];

/// Checks that server-supplied typed data is a Pear login for `address` and `client_id`,
/// made within `window_secs` of `now` (unix seconds). A hostile or spoofed server could
/// send a token approval instead: anything else is refused before a signature exists.
///
/// `top_level_timestamp` is the `timestamp` member Pear's answer carries beside the typed
/// data, if it has one: it must agree with the message's.
pub fn check_login_message(
    typed: TypedData,
    top_level_timestamp: Option<&serde_json::Value>,
    address: &EvmAddress,
    client_id: &str,
    now: u64,
    window_secs: u64,
) -> Result<LoginMessage, PearError> {
    if typed.primary_type() != "Authentication" {
        return Err(refuse(format!(
            "primary type is `{}`, not `Authentication`",
            typed.primary_type()
        )));
    }
    let fields_match = typed
        .struct_fields("Authentication")
        .is_some_and(|fields| fields.eq(AUTHENTICATION_FIELDS));
    if !fields_match || typed.encode_type("Authentication").as_deref() != Some(AUTHENTICATION_TYPE)
    {
        return Err(refuse("the Authentication type has unexpected fields"));
    }
    if typed.domain().name.as_deref() != Some("Pear Protocol") {
        return Err(refuse("the domain is not `Pear Protocol`"));
    }
    let field = |name: &str| typed.message_field(name);
    if field("action").and_then(TypedValue::as_str) != Some("authenticate") {
        return Err(refuse("the action is not `authenticate`"));
    }
    if field("address").and_then(TypedValue::as_address).as_ref() != Some(address) {
        return Err(refuse("the message is for another address"));
    }
    if field("clientId").and_then(TypedValue::as_str) != Some(client_id) {
        return Err(refuse("the message is for another client id"));
    }
    let timestamp = field("timestamp")
        .and_then(TypedValue::as_u64)
        .ok_or_else(|| refuse("the message has no usable timestamp"))?;
    if let Some(top) = top_level_timestamp {
        if json_u64(top) != Some(timestamp) {
            return Err(refuse("the top-level timestamp differs from the message's"));
        }
    }
    if now.abs_diff(timestamp) > window_secs {
        return Err(refuse(format!(
            "the timestamp is {}s away from this machine's clock (limit {window_secs}s); check the clock",
            now.abs_diff(timestamp)
        )));
    }
    Ok(LoginMessage { typed, timestamp })
}

/// Pear's top-level `timestamp`: a number, or a decimal string.
fn json_u64(value: &serde_json::Value) -> Option<u64> {
    match value {
        serde_json::Value::Number(n) => n.as_u64(),
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    }
}
