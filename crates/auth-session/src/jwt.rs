//! Reading the `exp` claim of a JWT, without checking its signature: the one reader of the
//! workspace.
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

/// The longest encoded payload that is decoded (16 KiB); a longer one is refused unread.
const MAX_PAYLOAD: usize = 16 * 1024;

/// The claims we read.
/// The time claims of a JWT payload (a JSON object; any other JSON is not a payload).
struct Claims {
    exp: Option<serde_json::Value>,
    iat: Option<serde_json::Value>,
}

/// When a JWT expires: the `exp` claim of a compact JWS (`header.payload.signature`), read
/// without checking the signature (only the server that issued it can).
///
/// `exp` may be an integer or a fraction of seconds since the unix epoch; the payload may be
/// base64url with or without padding. Anything else gives `None`: an opaque token, not
/// exactly three parts, a payload over 16 KiB (refused before decoding), a payload that is
/// not base64url or not a JSON object, no `exp`, or an `exp` that is not a number, is
/// negative or is too large for a [`SystemTime`].
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use auth_session::jwt_expiry;
///
/// // {"alg":"HS256","typ":"JWT"} . {"sub":"bot","exp":1700000000} . signature
/// let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9\
///              .eyJzdWIiOiJib3QiLCJleHAiOjE3MDAwMDAwMDB9.c2ln";
/// assert_eq!(jwt_expiry(token), Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000)));
/// assert_eq!(jwt_expiry("an-opaque-token"), None);
/// ```
pub fn jwt_expiry(token: &str) -> Option<SystemTime> {
    claim_time(claims(token)?.exp?)
}

/// The `iat` (issued at) claim of a JWT, read as [`jwt_expiry`] reads `exp`.
pub(crate) fn jwt_issued_at(token: &str) -> Option<SystemTime> {
    claim_time(claims(token)?.iat?)
}

/// The claims of a JWT's payload, without checking the signature.
fn claims(token: &str) -> Option<Claims> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || payload.len() > MAX_PAYLOAD {
        return None;
    }
    let json = BASE64URL.decode(payload).ok()?;
    let serde_json::Value::Object(mut object) = serde_json::from_slice(&json).ok()? else {
        return None;
    };
    Some(Claims {
        exp: object.remove("exp"),
        iat: object.remove("iat"),
    })
}

/// A NumericDate claim (seconds since the epoch, maybe fractional) as a time.
fn claim_time(value: serde_json::Value) -> Option<SystemTime> {
    let seconds = value.as_f64()?;
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
            jwt_expiry(&jwt(r#"{"sub":"a","exp":1700000000}"#)),
            at(1_700_000_000)
        );
        assert_eq!(
            jwt_expiry(&jwt(r#"{"exp":1700000000.5}"#)),
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
        assert_eq!(jwt_expiry(&padded), at(12));
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
            assert_eq!(jwt_expiry(&token), None, "{token}");
        }
    }

    #[test]
    fn reads_iat_beside_exp() {
        let token = jwt(r#"{"iat":1700000000,"exp":1700000900}"#);
        assert_eq!(jwt_issued_at(&token), at(1_700_000_000));
        assert_eq!(jwt_expiry(&token), at(1_700_000_900));
        assert_eq!(jwt_issued_at(&jwt(r#"{"exp":5}"#)), None);
        assert_eq!(jwt_issued_at(&jwt(r#"[1,2]"#)), None);
    }

    /// The cases of the reader pump-auth had, kept here so both readers' cases live in one
    /// place.
    #[test]
    fn pump_auth_cases() {
        let no_pad = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let payload = no_pad.encode(br#"{"sub":"w","exp":1700000000}"#);
        assert_eq!(jwt_expiry(&format!("h.{payload}.s")), at(1_700_000_000));
        assert_eq!(jwt_expiry("not-a-jwt"), None);
        assert_eq!(jwt_expiry("a.b.c.d"), None);
        assert_eq!(jwt_expiry("a.!!!.c"), None);
        let no_exp = no_pad.encode(br#"{"sub":"w"}"#);
        assert_eq!(jwt_expiry(&format!("h.{no_exp}.s")), None);
    }

    #[test]
    fn a_payload_over_16_kib_is_refused() {
        // 12 288 bytes of JSON encode to exactly 16 384 base64url characters.
        let sized = |len: usize| {
            let head = r#"{"exp":12,"pad":""#;
            let filler = "x".repeat(len - head.len() - 2);
            let json = format!("{head}{filler}\"}}");
            assert_eq!(json.len(), len);
            jwt(&json)
        };
        let largest = sized(12_288);
        assert_eq!(largest.split('.').nth(1).map(str::len), Some(MAX_PAYLOAD));
        assert_eq!(jwt_expiry(&largest), at(12));
        let too_large = sized(12_289);
        assert!(too_large.split('.').nth(1).map(str::len) > Some(MAX_PAYLOAD));
        assert_eq!(jwt_expiry(&too_large), None);
    }
}
