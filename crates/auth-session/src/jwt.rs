//! Reading the `exp` claim of a JWT, without checking its signature.
//!
//! The token comes from the server we just authenticated with over TLS; we only want to
//! know when it stops working, not whether to trust it.

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Base64url, with or without padding (RFC 7515 says without; some servers pad).
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The claims we read.
#[derive(serde::Deserialize)]
struct Claims {
    exp: Option<serde_json::Value>,
}

/// The `exp` claim of a compact JWS (`header.payload.signature`), if `token` is one and has
/// a numeric `exp`. Anything else (an opaque token, a malformed JWT) gives `None`.
pub(crate) fn expiry(token: &str) -> Option<SystemTime> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let json = BASE64URL.decode(payload).ok()?;
    let claims: Claims = serde_json::from_slice(&json).ok()?;
    let seconds = claims.exp?.as_f64()?;
    if seconds < 0.0 {
        return None;
    }
    SystemTime::UNIX_EPOCH.checked_add(Duration::try_from_secs_f64(seconds).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        format!(
            "{}.{}.c2ln",
            BASE64URL.encode(r#"{"alg":"HS256","typ":"JWT"}"#),
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload)
        )
    }

    fn at(seconds: u64) -> Option<SystemTime> {
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds))
    }

    #[test]
    fn reads_integer_and_fractional_exp() {
        assert_eq!(
            expiry(&jwt(r#"{"sub":"a","exp":1700000000}"#)),
            at(1_700_000_000)
        );
        assert_eq!(
            expiry(&jwt(r#"{"exp":1700000000.5}"#)),
            Some(SystemTime::UNIX_EPOCH + Duration::from_millis(1_700_000_000_500))
        );
    }

    #[test]
    fn accepts_padded_payload() {
        let padded = format!(
            "e30.{}.sig",
            base64::engine::general_purpose::URL_SAFE.encode(r#"{"exp":12}"#)
        );
        assert!(padded.contains('='));
        assert_eq!(expiry(&padded), at(12));
    }

    #[test]
    fn not_a_jwt_or_no_usable_exp_gives_none() {
        for token in [
            "opaque-token".to_owned(),
            "a.b".to_owned(),
            "a.b.c.d.e".to_owned(),
            "e30.!!!.sig".to_owned(),
            jwt("not json"),
            jwt(r#"{"sub":"a"}"#),
            jwt(r#"{"exp":"1700000000"}"#),
            jwt(r#"{"exp":-5}"#),
            jwt(r#"{"exp":1e300}"#),
            jwt(r#"[1,2]"#),
        ] {
            assert_eq!(expiry(&token), None, "{token}");
        }
    }
}
