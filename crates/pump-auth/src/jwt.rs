//! Reading a JWT's `exp` claim (without checking its signature: only the server can).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The `exp` claim (unix seconds) of a JWT, if the token is one and has it.
pub(crate) fn expiry(token: &str) -> Option<u64> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || payload.len() > 16 * 1024 {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    claims.get("exp")?.as_u64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_exp_or_nothing() {
        let payload = URL_SAFE_NO_PAD.encode(br#"{"sub":"w","exp":1700000000}"#);
        assert_eq!(expiry(&format!("h.{payload}.s")), Some(1_700_000_000));
        assert_eq!(expiry("not-a-jwt"), None);
        assert_eq!(expiry("a.b.c.d"), None);
        assert_eq!(expiry("a.!!!.c"), None);
        let no_exp = URL_SAFE_NO_PAD.encode(br#"{"sub":"w"}"#);
        assert_eq!(expiry(&format!("h.{no_exp}.s")), None);
    }
}
