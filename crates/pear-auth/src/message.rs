//! The login message Pear asks the wallet to sign, and the checks made before signing it.

use auth_signing::eip712::TypedData;
use auth_types::EvmAddress;
use serde_json::Value;

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

/// Checks that server-supplied typed data is a Pear login for `address` and `client_id`,
/// made within `window_secs` of `now` (unix seconds). A hostile or spoofed server could
/// send a token approval instead: anything else is refused before a signature exists.
pub fn check_login_message(
    typed: TypedData,
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
    if typed.encode_type("Authentication").as_deref() != Some(AUTHENTICATION_TYPE) {
        return Err(refuse("the Authentication type has unexpected fields"));
    }
    if typed.domain().name.as_deref() != Some("Pear Protocol") {
        return Err(refuse("the domain is not `Pear Protocol`"));
    }
    let message = typed.message();
    if message.get("action").and_then(Value::as_str) != Some("authenticate") {
        return Err(refuse("the action is not `authenticate`"));
    }
    let claimed: Option<EvmAddress> = message
        .get("address")
        .and_then(Value::as_str)
        .and_then(|a| a.to_ascii_lowercase().parse().ok());
    if claimed.as_ref() != Some(address) {
        return Err(refuse("the message is for another address"));
    }
    if message.get("clientId").and_then(Value::as_str) != Some(client_id) {
        return Err(refuse("the message is for another client id"));
    }
    let timestamp = as_u64(message.get("timestamp"))
        .ok_or_else(|| refuse("the message has no usable timestamp"))?;
    if let Some(top) = typed.document().get("timestamp") {
        if as_u64(Some(top)) != Some(timestamp) {
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

fn as_u64(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}
