//! Pear's login message as `GET /auth/eip712-message` answers it, for scripted servers.

use serde_json::{Value, json};

/// The domain live Pear serves (WIRE.md): `Pear Protocol`, version `1`, chain 42161,
/// verifying contract `0x…01`, no salt.
pub fn live_domain() -> Value {
    json!({
        "name": "Pear Protocol",
        "version": "1",
        "chainId": 42161,
        "verifyingContract": "0x0000000000000000000000000000000000000001",
    })
}

/// An `Authentication` login message for `address` (lowercase hex, as Pear echoes it),
/// client id `APITRADER` and `timestamp` (unix seconds, also at the top level), in
/// `domain`, as the JSON text Pear answers with.
///
/// ```
/// let text = auth_test_support::pear::login_message(
///     "0xad1c2d81e22c7a4edfe1901bc68f97f4c34d297d",
///     1_750_000_000,
///     auth_test_support::pear::live_domain(),
/// );
/// assert!(text.contains(r#""primaryType":"Authentication""#));
/// ```
pub fn login_message(address: &str, timestamp: u64, domain: Value) -> String {
    json!({
        "domain": domain,
        "types": {"Authentication": [
            {"name": "address", "type": "address"},
            {"name": "clientId", "type": "string"},
            {"name": "timestamp", "type": "uint256"},
            {"name": "action", "type": "string"},
        ]},
        "primaryType": "Authentication",
        "message": {
            "address": address,
            "clientId": "APITRADER",
            "timestamp": timestamp,
            "action": "authenticate",
        },
        "timestamp": timestamp,
    })
    .to_string()
}
