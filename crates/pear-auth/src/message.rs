//! The login message Pear asks the wallet to sign, and the checks made before signing it.

use auth_signing::eip712::{TypedData, TypedValue};
use auth_types::{EvmAddress, escape_unprintable_cut};

use crate::error::{PearError, PearFailure};

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

    /// The message as `eth_signTypedData_v4` JSON, for signing elsewhere (a hardware
    /// wallet, `cast wallet sign --data`, another process): `types` with `EIP712Domain`
    /// and `Authentication`, `primaryType`, `domain`, `message`, and Pear's top-level
    /// `timestamp`. [`crate::PearClient::login_message_from_json`] reads it back.
    ///
    /// ```
    /// # let address: auth_types::EvmAddress = "0x00000000000000000000000000000000000000aa".parse().unwrap();
    /// # let json = format!(r#"{{"domain":{{"name":"Pear Protocol","version":"1","chainId":42161,"verifyingContract":"0x0000000000000000000000000000000000000001"}},"types":{{"Authentication":[{{"name":"address","type":"address"}},{{"name":"clientId","type":"string"}},{{"name":"timestamp","type":"uint256"}},{{"name":"action","type":"string"}}]}},"primaryType":"Authentication","message":{{"address":"{address}","clientId":"APITRADER","timestamp":1700000000,"action":"authenticate"}},"timestamp":1700000000}}"#);
    /// # let check = pear_auth::LoginCheck { address: &address, client_id: "APITRADER", now: 1700000000, window_secs: 300, domain: &Default::default() };
    /// # let message = check.check(auth_signing::eip712::TypedData::from_json_str(&json).unwrap(), None).unwrap();
    /// let document = message.to_json();
    /// assert_eq!(document["primaryType"], "Authentication");
    /// assert_eq!(document["types"]["EIP712Domain"][2]["name"], "chainId");
    /// assert_eq!(document["timestamp"], 1700000000);
    /// ```
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::{Value, json};
        let mut domain = self.typed.domain().to_json();
        // Numbers where Pear writes numbers (the text form of a uint256 is a string).
        if let Some(chain_id) = domain
            .get("chainId")
            .and_then(Value::as_str)
            .and_then(|c| c.parse::<u64>().ok())
        {
            domain["chainId"] = json!(chain_id);
        }
        let domain_fields: Vec<Value> = [
            ("name", "string"),
            ("version", "string"),
            ("chainId", "uint256"),
            ("verifyingContract", "address"),
            ("salt", "bytes32"),
        ]
        .into_iter()
        .filter(|(name, _)| domain.get(name).is_some())
        .map(|(name, kind)| json!({"name": name, "type": kind}))
        .collect();
        let fields: Vec<Value> = AUTHENTICATION_FIELDS
            .iter()
            .map(|(name, kind)| json!({"name": name, "type": kind}))
            .collect();
        let message: serde_json::Map<String, Value> = AUTHENTICATION_FIELDS
            .iter()
            .map(|(name, _)| {
                let value = match *name {
                    "timestamp" => json!(self.timestamp),
                    _ => self
                        .typed
                        .message_field(name)
                        .map_or(Value::Null, TypedValue::to_json),
                };
                ((*name).to_owned(), value)
            })
            .collect();
        json!({
            "types": {"EIP712Domain": domain_fields, "Authentication": fields},
            "primaryType": "Authentication",
            "domain": domain,
            "message": message,
            "timestamp": self.timestamp,
        })
    }
}

/// The EIP-712 domain `name` of every Pear login message.
pub const DOMAIN_NAME: &str = "Pear Protocol";
/// The domain `version` live Pear serves.
pub const DEFAULT_DOMAIN_VERSION: &str = "1";
/// The domain `chainId` live Pear serves (Arbitrum One).
pub const DEFAULT_CHAIN_ID: u64 = 42161;
/// The domain `verifyingContract` live Pear serves.
pub const DEFAULT_VERIFYING_CONTRACT: &str = "0x0000000000000000000000000000000000000001";

/// The EIP-712 domain a login message must carry to be signed: `name` is always
/// [`DOMAIN_NAME`]; version, chain id and verifying contract default to what live Pear
/// serves and can be changed (for a staging server, or if Pear moves). A message with a
/// `salt` is refused.
///
/// ```
/// let domain = pear_auth::PearDomain::default().with_chain_id(421614);
/// assert_eq!(domain.chain_id, 421614);
/// assert_eq!(domain.version, "1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PearDomain {
    /// The expected `version` (default [`DEFAULT_DOMAIN_VERSION`]).
    pub version: String,
    /// The expected `chainId` (default [`DEFAULT_CHAIN_ID`]).
    pub chain_id: u64,
    /// The expected `verifyingContract` (default [`DEFAULT_VERIFYING_CONTRACT`]).
    pub verifying_contract: EvmAddress,
}

impl Default for PearDomain {
    /// The domain live Pear serves.
    fn default() -> Self {
        let mut contract = [0u8; 20];
        contract[19] = 1;
        PearDomain {
            version: DEFAULT_DOMAIN_VERSION.to_owned(),
            chain_id: DEFAULT_CHAIN_ID,
            verifying_contract: EvmAddress::from_bytes(contract),
        }
    }
}

impl PearDomain {
    /// Expects this `version`.
    pub fn with_version(mut self, version: impl Into<String>) -> Self {
        self.version = version.into();
        self
    }

    /// Expects this `chainId`.
    pub fn with_chain_id(mut self, chain_id: u64) -> Self {
        self.chain_id = chain_id;
        self
    }

    /// Expects this `verifyingContract`.
    pub fn with_verifying_contract(mut self, contract: EvmAddress) -> Self {
        self.verifying_contract = contract;
        self
    }

    /// Checks `typed`'s domain, naming the first field that differs.
    fn check(&self, typed: &TypedData) -> Result<(), PearError> {
        let domain = typed.domain();
        let differs = |field: &'static str, expected: String, found: Option<String>| {
            PearError::from(PearFailure::UnexpectedDomain {
                field,
                expected,
                found: found.unwrap_or_else(|| "absent".to_owned()),
            })
        };
        if domain.name.as_deref() != Some(DOMAIN_NAME) {
            return Err(differs(
                "name",
                format!("`{DOMAIN_NAME}`"),
                domain.name.as_deref().map(quote),
            ));
        }
        if domain.version.as_deref() != Some(self.version.as_str()) {
            return Err(differs(
                "version",
                quote(&self.version),
                domain.version.as_deref().map(quote),
            ));
        }
        if domain.chain_id.as_ref().and_then(|c| c.to_u64()) != Some(self.chain_id) {
            return Err(differs(
                "chainId",
                self.chain_id.to_string(),
                domain.chain_id.as_ref().map(ToString::to_string),
            ));
        }
        if domain.verifying_contract.as_ref() != Some(&self.verifying_contract) {
            return Err(differs(
                "verifyingContract",
                self.verifying_contract.to_string(),
                domain.verifying_contract.as_ref().map(ToString::to_string),
            ));
        }
        if domain.salt.is_some() {
            return Err(PearFailure::UnexpectedDomain {
                field: "salt",
                expected: "none".to_owned(),
                found: "a salt".to_owned(),
            }
            .into());
        }
        Ok(())
    }
}

/// How many characters of a server-supplied text an error shows.
const SHOWN_CHARS: usize = 64;

/// A server-supplied text as an error shows it: in backticks, every unprintable character
/// escaped (an escape sequence, a bidi override, a zero-width character: see
/// [`auth_types::escape_unprintable`]), cut to [`SHOWN_CHARS`] between whole escapes.
fn quote(text: &str) -> String {
    format!("`{}`", escape_unprintable_cut(text, SHOWN_CHARS))
}

fn refuse(reason: impl Into<String>) -> PearError {
    PearFailure::UnsafeMessage {
        reason: reason.into(),
    }
    .into()
}

/// The fields of [`AUTHENTICATION_TYPE`], in order, as `(name, type)`.
const AUTHENTICATION_FIELDS: [(&str, &str); 4] = [
    ("address", "address"),
    ("clientId", "string"),
    ("timestamp", "uint256"),
    ("action", "string"),
];

/// What a server-supplied Pear login message must say before anything signs it.
///
/// A hostile or spoofed server could send a token approval instead of a login: anything
/// but an `Authentication` for `address` and `client_id`, in `domain`, made within
/// `window_secs` of `now`, is refused before a signature exists.
///
/// ```
/// # let address: auth_types::EvmAddress = "0x00000000000000000000000000000000000000aa".parse().unwrap();
/// # let json = format!(r#"{{"domain":{{"name":"Pear Protocol","version":"1","chainId":42161,"verifyingContract":"0x0000000000000000000000000000000000000001"}},"types":{{"Authentication":[{{"name":"address","type":"address"}},{{"name":"clientId","type":"string"}},{{"name":"timestamp","type":"uint256"}},{{"name":"action","type":"string"}}]}},"primaryType":"Authentication","message":{{"address":"{address}","clientId":"APITRADER","timestamp":1700000000,"action":"authenticate"}}}}"#);
/// let typed = auth_signing::eip712::TypedData::from_json_str(&json)?;
/// let check = pear_auth::LoginCheck {
///     address: &address,
///     client_id: "APITRADER",
///     now: 1_700_000_100,
///     window_secs: 300,
///     domain: &pear_auth::PearDomain::default(),
/// };
/// assert_eq!(check.check(typed.clone(), None)?.timestamp(), 1_700_000_000);
///
/// let late = pear_auth::LoginCheck { now: 1_700_000_400, ..check };
/// assert!(late.check(typed, None).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct LoginCheck<'a> {
    /// The account that logs in: the message must be for it.
    pub address: &'a EvmAddress,
    /// The client id the message must name.
    pub client_id: &'a str,
    /// Now, in unix seconds.
    pub now: u64,
    /// How far the message's timestamp may be from `now`, in seconds.
    pub window_secs: u64,
    /// The EIP-712 domain expected (live Pear's is [`PearDomain::default`]). A domain that
    /// differs is [`PearFailure::UnexpectedDomain`], naming the field.
    pub domain: &'a PearDomain,
}

/// Checks `typed` as [`LoginCheck`] would, against live Pear's domain.
#[deprecated(since = "0.1.0", note = "use `LoginCheck`, whose fields are named")]
pub fn check_login_message(
    typed: TypedData,
    top_level_timestamp: Option<&serde_json::Value>,
    address: &EvmAddress,
    client_id: &str,
    now: u64,
    window_secs: u64,
) -> Result<LoginMessage, PearError> {
    let domain = PearDomain::default();
    LoginCheck {
        address,
        client_id,
        now,
        window_secs,
        domain: &domain,
    }
    .check(typed, top_level_timestamp)
}

/// Checks `typed` as [`LoginCheck`] would, against `domain`.
#[deprecated(since = "0.1.0", note = "use `LoginCheck`, whose fields are named")]
pub fn check_login_message_in(
    typed: TypedData,
    top_level_timestamp: Option<&serde_json::Value>,
    address: &EvmAddress,
    client_id: &str,
    now: u64,
    window_secs: u64,
    domain: &PearDomain,
) -> Result<LoginMessage, PearError> {
    LoginCheck {
        address,
        client_id,
        now,
        window_secs,
        domain,
    }
    .check(typed, top_level_timestamp)
}

impl LoginCheck<'_> {
    /// The checked login message, or why it must not be signed.
    ///
    /// `top_level_timestamp` is the `timestamp` member Pear's answer carries beside the
    /// typed data, if it has one: it must agree with the message's.
    pub fn check(
        &self,
        typed: TypedData,
        top_level_timestamp: Option<&serde_json::Value>,
    ) -> Result<LoginMessage, PearError> {
        let LoginCheck {
            address,
            client_id,
            now,
            window_secs,
            domain,
        } = *self;
        if typed.primary_type() != "Authentication" {
            return Err(refuse(format!(
                "primary type is {}, not `Authentication`",
                quote(typed.primary_type())
            )));
        }
        let fields_match = typed
            .struct_fields("Authentication")
            .is_some_and(|fields| fields.eq(AUTHENTICATION_FIELDS));
        if !fields_match
            || typed.encode_type("Authentication").as_deref() != Some(AUTHENTICATION_TYPE)
        {
            return Err(refuse("the Authentication type has unexpected fields"));
        }
        domain.check(&typed)?;
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
        if let Some(top) = top_level_timestamp
            && json_u64(top) != Some(timestamp)
        {
            return Err(refuse("the top-level timestamp differs from the message's"));
        }
        if now.abs_diff(timestamp) > window_secs {
            return Err(refuse(format!(
                "the timestamp is {}s away from this machine's clock (limit {window_secs}s); check the clock",
                now.abs_diff(timestamp)
            )));
        }
        Ok(LoginMessage { typed, timestamp })
    }
}

/// Pear's top-level `timestamp`: a number, or a decimal string.
pub(crate) fn json_u64(value: &serde_json::Value) -> Option<u64> {
    match value {
        serde_json::Value::Number(n) => n.as_u64(),
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    }
}
