//! The sandbox's JSON Web Tokens: compact JWS with HS256 (RFC 7515, RFC 7518 section 3.2).
//!
//! Only what the sandbox issues is accepted back: the fixed header `{"alg":"HS256",
//! "typ":"JWT"}`, a signature by this instance's key (checked in constant time), and a
//! payload that parses as [`Claims`]. Anything else (`alg: none`, another algorithm, a
//! changed header or payload, padding, extra segments) is refused.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::hmac;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The one header the sandbox writes, as base64url of `{"alg":"HS256","typ":"JWT"}`.
const HEADER: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

/// An HS256 signing and verification key.
pub(crate) struct Hs256 {
    key: hmac::Key,
}

impl Hs256 {
    /// A key from secret bytes.
    pub(crate) fn new(secret: &[u8]) -> Self {
        Hs256 {
            key: hmac::Key::new(hmac::HMAC_SHA256, secret),
        }
    }

    /// `header.payload.signature` for `claims`, or `None` if they do not serialize.
    pub(crate) fn encode<C: Serialize>(&self, claims: &C) -> Option<String> {
        let payload = serde_json::to_vec(claims).ok()?;
        let mut token = String::with_capacity(HEADER.len() + 2 + payload.len() * 4 / 3 + 48);
        token.push_str(HEADER);
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(&payload, &mut token);
        let tag = hmac::sign(&self.key, token.as_bytes());
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(tag.as_ref(), &mut token);
        Some(token)
    }

    /// The claims of a token this key signed, or `None` for anything else.
    pub(crate) fn decode<C: DeserializeOwned>(&self, token: &str) -> Option<C> {
        let (signed, signature) = token.rsplit_once('.')?;
        let (header, payload) = signed.split_once('.')?;
        if header != HEADER || payload.contains('.') {
            return None;
        }
        let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
        hmac::verify(&self.key, signed.as_bytes(), &signature).ok()?;
        let payload = URL_SAFE_NO_PAD.decode(payload).ok()?;
        serde_json::from_slice(&payload).ok()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Claims {
        sub: String,
        exp: u64,
    }

    fn claims() -> Claims {
        Claims {
            sub: "0xabc".to_owned(),
            exp: 1_900_000_000,
        }
    }

    #[test]
    fn header_constant_is_the_base64url_of_the_fixed_header() {
        let decoded = URL_SAFE_NO_PAD.decode(HEADER).unwrap();
        assert_eq!(decoded, br#"{"alg":"HS256","typ":"JWT"}"#);
    }

    #[test]
    fn matches_the_rfc_7515_appendix_a1_signature() {
        // RFC 7515 A.1: the HMAC key (base64url JWK "k") and signing input, with its header.
        let key = URL_SAFE_NO_PAD
            .decode(
                "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
            )
            .unwrap();
        let input = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
        let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &key), input.as_bytes());
        assert_eq!(
            URL_SAFE_NO_PAD.encode(tag.as_ref()),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
    }

    #[test]
    fn round_trips() {
        let key = Hs256::new(b"secret");
        let token = key.encode(&claims()).unwrap();
        assert_eq!(token.split('.').count(), 3);
        assert_eq!(key.decode::<Claims>(&token).unwrap(), claims());
    }

    #[test]
    fn another_key_is_refused() {
        let token = Hs256::new(b"one").encode(&claims()).unwrap();
        assert!(Hs256::new(b"two").decode::<Claims>(&token).is_none());
    }

    #[test]
    fn any_change_is_refused() {
        let key = Hs256::new(b"secret");
        let token = key.encode(&claims()).unwrap();
        for i in 0..token.len() {
            let mut bytes = token.clone().into_bytes();
            bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
            let changed = String::from_utf8(bytes).unwrap();
            assert!(key.decode::<Claims>(&changed).is_none(), "byte {i}");
        }
        let (header_payload, _) = token.rsplit_once('.').unwrap();
        assert!(key.decode::<Claims>(header_payload).is_none());
        assert!(key.decode::<Claims>(&format!("{token}.")).is_none());
        assert!(key.decode::<Claims>(&format!("{token}=")).is_none());
    }

    #[test]
    fn alg_none_is_refused() {
        let key = Hs256::new(b"secret");
        let token = key.encode(&claims()).unwrap();
        let payload = token.split('.').nth(1).unwrap();
        let none = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        assert!(
            key.decode::<Claims>(&format!("{none}.{payload}."))
                .is_none()
        );
    }

    #[test]
    fn missing_claims_are_refused() {
        let key = Hs256::new(b"secret");
        let token = key.encode(&serde_json::json!({"sub": "x"})).unwrap();
        assert!(key.decode::<Claims>(&token).is_none());
    }
}
