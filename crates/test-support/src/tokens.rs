//! Token makers: JWTs shaped like the ones servers hand out, with a fake signature.
//!
//! Nothing here signs. These tokens are for code that reads a JWT's claims without
//! checking it (the session reads `exp`); a server that verifies signatures refuses them.

use base64::Engine as _;

/// The base64url (no padding) of the ASCII text `signature`, used as every token's
/// third part.
pub const FAKE_SIGNATURE: &str = "c2lnbmF0dXJl";

/// A JWT with an HS256 header, `claims` (JSON text, taken as it is) as its payload, and
/// [`FAKE_SIGNATURE`].
///
/// ```
/// let token = auth_test_support::tokens::jwt(r#"{"sub":"bot"}"#);
/// assert_eq!(token, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJib3QifQ.c2lnbmF0dXJl");
/// ```
pub fn jwt(claims: &str) -> String {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.{FAKE_SIGNATURE}",
        b64.encode(r#"{"alg":"HS256","typ":"JWT"}"#),
        b64.encode(claims)
    )
}

/// A JWT whose claims are `{"sub":"bot","exp":<exp>}`: it expires at `exp` seconds after
/// the Unix epoch.
pub fn jwt_with_exp(exp: u64) -> String {
    jwt(&format!(r#"{{"sub":"bot","exp":{exp}}}"#))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(token: &str) -> serde_json::Value {
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3, "{token}");
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        serde_json::from_slice(&b64.decode(parts[1]).unwrap()).unwrap()
    }

    #[test]
    fn jwt_with_exp_carries_the_expiry_and_a_subject() {
        let token = jwt_with_exp(1_700_000_300);
        assert_eq!(
            claims(&token),
            serde_json::json!({"sub": "bot", "exp": 1_700_000_300u64})
        );
        assert!(token.ends_with(".c2lnbmF0dXJl"));
        // base64url without padding: a JWT never holds `+`, `/` or `=`.
        assert!(!token.contains(['+', '/', '=']), "{token}");
    }

    #[test]
    fn the_header_names_hs256() {
        let token = jwt("{}");
        let header = token.split('.').next().unwrap();
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let header: serde_json::Value =
            serde_json::from_slice(&b64.decode(header).unwrap()).unwrap();
        assert_eq!(header, serde_json::json!({"alg": "HS256", "typ": "JWT"}));
    }
}
