//! The rule of each field, shared by the text parser and `from_fields`: each answers the
//! reason a value breaks it, as the error message says it.

use auth_types::{AddressError, EvmAddress};
use iri_string::spec::UriSpec;
use iri_string::validate;

use crate::sign_in::Timestamp;

/// A rule's answer: the reason a value breaks it.
pub(crate) type Rule<T> = Result<T, &'static str>;

pub(crate) fn scheme(s: &str) -> Rule<()> {
    validate::scheme(s)
        .map_err(|_| "must be an RFC 3986 scheme (a letter, then letters, digits, +, - or .)")
}

pub(crate) fn domain(s: &str) -> Rule<()> {
    if s.is_empty() {
        return Err("must not be empty");
    }
    validate::authority::<UriSpec>(s)
        .map_err(|_| "must be an RFC 3986 authority ([userinfo@]host[:port])")
}

const CHECKSUM: &str = "must be written with its EIP-55 checksum (mixed case)";

pub(crate) fn address(s: &str) -> Rule<EvmAddress> {
    let parsed: EvmAddress = s.parse().map_err(|e| match e {
        AddressError::BadChecksum { .. } => CHECKSUM,
        _ => "must be 0x followed by 40 hex digits",
    })?;
    // `parse` checked mixed case against the checksum; a text in one case may still be
    // the checksum (an address with few letters), or not.
    let digits = s.strip_prefix("0x").unwrap_or(s);
    let mixed = digits.bytes().any(|b| b.is_ascii_lowercase())
        && digits.bytes().any(|b| b.is_ascii_uppercase());
    if !mixed && parsed.to_checksum() != s {
        return Err(CHECKSUM);
    }
    Ok(parsed)
}

pub(crate) fn statement(s: &str) -> Rule<()> {
    // EIP-4361: statement = *( reserved / unreserved / " " )
    let allowed = |c: char| c.is_ascii_alphanumeric() || " -._~:/?#[]@!$&'()*+,;=".contains(c);
    if s.chars().all(allowed) {
        Ok(())
    } else {
        Err(
            "must be one line of ASCII letters, digits, spaces and RFC 3986 reserved or unreserved characters",
        )
    }
}

pub(crate) fn uri(s: &str) -> Rule<()> {
    validate::iri::<UriSpec>(s).map_err(|_| "must be an RFC 3986 URI")
}

pub(crate) fn version(s: &str) -> Rule<()> {
    if s == "1" { Ok(()) } else { Err("must be 1") }
}

/// Decimal digits without leading zeros (so a chain ID formats back as it was written).
pub(crate) fn chain_id(s: &str) -> Rule<u64> {
    let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits || (s.len() > 1 && s.starts_with('0')) {
        return Err("must be a decimal number without leading zeros");
    }
    s.parse().map_err(|_| "must fit in 64 bits")
}

pub(crate) fn nonce(s: &str) -> Rule<()> {
    if s.len() >= 8 && s.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err("must be at least 8 ASCII letters or digits")
    }
}

pub(crate) fn timestamp(s: &str) -> Rule<Timestamp> {
    Timestamp::parse(s)
        .map_err(|_| "must be an RFC 3339 date-time such as 2021-09-30T16:25:24.000Z")
}

pub(crate) fn request_id(s: &str) -> Rule<()> {
    // request-id = *pchar, which is exactly an RFC 3986 path segment.
    validate::path_segment::<UriSpec>(s).map_err(|_| "must be RFC 3986 path characters (pchar)")
}

pub(crate) fn resource(s: &str) -> Rule<()> {
    validate::iri::<UriSpec>(s).map_err(|_| "each must be an RFC 3986 URI")
}
