//! The sign-in message text, read by this module's own parser.
//!
//! SIWE (EIP-4361): `<domain> wants you to sign in with your Ethereum account:\n<address>
//! \n\n[<statement>\n]\nURI: …\nVersion: 1\nChain ID: …\nNonce: …\nIssued At: …` then,
//! each optional and in this order, `Expiration Time`, `Not Before`, `Request ID`,
//! `Resources:` with `- <uri>` lines. The domain may carry a `scheme://` prefix.
//!
//! SIWS: `<domain> wants you to sign in with your Solana account:\n<base58 address>`,
//! then `\n\n<statement>` if any, then `\n\n` and the same fields in the same order, all
//! optional; this sandbox requires `Nonce`.
//!
//! Every refusal says what is wrong, never quoting more than a field's name.

use super::Kind;
use super::rfc3339;

/// The fields, in the order they must come.
const FIELDS: [&str; 8] = [
    "URI",
    "Version",
    "Chain ID",
    "Nonce",
    "Issued At",
    "Expiration Time",
    "Not Before",
    "Request ID",
];

/// The fields SIWE requires (SIWS requires only `Nonce`).
const SIWE_REQUIRED: [&str; 5] = ["URI", "Version", "Chain ID", "Nonce", "Issued At"];

/// A parsed sign-in message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SignIn {
    /// The domain, without a scheme.
    pub(crate) domain: String,
    /// The account, as written.
    pub(crate) address: String,
    /// The chain id as written, if any.
    pub(crate) chain_id: Option<String>,
    /// The nonce.
    pub(crate) nonce: String,
    /// `Issued At`, unix milliseconds.
    pub(crate) issued_at_ms: Option<u64>,
    /// `Expiration Time`, unix milliseconds.
    pub(crate) expires_ms: Option<u64>,
    /// `Not Before`, unix milliseconds.
    pub(crate) not_before_ms: Option<u64>,
}

/// Parses `text` as a sign-in message of `kind`; the error names what is wrong.
pub(crate) fn parse(kind: Kind, text: &str) -> Result<SignIn, String> {
    let chain = match kind {
        Kind::Siwe => "Ethereum",
        Kind::Siws => "Solana",
    };
    let lines: Vec<&str> = text.split('\n').collect();
    let suffix = format!(" wants you to sign in with your {chain} account:");
    let header = lines.first().copied().unwrap_or_default();
    let domain = header
        .strip_suffix(suffix.as_str())
        .ok_or_else(|| format!("the first line must be '<domain>{suffix}'"))?;
    let domain = domain.split_once("://").map_or(domain, |(_, rest)| rest);
    if domain.is_empty() || domain.contains(char::is_whitespace) {
        return Err("the domain is empty or contains whitespace".to_owned());
    }
    let address = *lines.get(1).ok_or("the second line must be the address")?;
    let fields = match kind {
        Kind::Siwe => siwe_fields(&lines)?,
        Kind::Siws => siws_fields(&lines)?,
    };
    let values = read_fields(fields)?;
    let value = |name: &str| {
        FIELDS
            .iter()
            .position(|f| *f == name)
            .and_then(|i| values[i])
    };
    if kind == Kind::Siwe {
        for name in SIWE_REQUIRED {
            if value(name).is_none() {
                return Err(format!("the '{name}:' line is missing"));
            }
        }
    }
    if value("Version").is_some_and(|v| v != "1") {
        return Err("Version must be 1".to_owned());
    }
    if value("URI").is_some_and(str::is_empty) {
        return Err("URI must not be empty".to_owned());
    }
    let nonce = value("Nonce").ok_or("the 'Nonce:' line is missing")?;
    if nonce.len() < 8 || !nonce.bytes().all(|c| c.is_ascii_alphanumeric()) {
        return Err("Nonce must be at least 8 ASCII letters or digits".to_owned());
    }
    let time = |name: &str| match value(name) {
        None => Ok(None),
        Some(t) => rfc3339::parse_ms(t)
            .map(Some)
            .ok_or_else(|| format!("{name} must be an RFC 3339 date-time after 1970")),
    };
    Ok(SignIn {
        domain: domain.to_owned(),
        address: address.to_owned(),
        chain_id: value("Chain ID").map(str::to_owned),
        nonce: nonce.to_owned(),
        issued_at_ms: time("Issued At")?,
        expires_ms: time("Expiration Time")?,
        not_before_ms: time("Not Before")?,
    })
}

/// The field lines of a SIWE message: after `address`, an empty line, an optional
/// statement line and an empty line.
fn siwe_fields<'a>(lines: &'a [&'a str]) -> Result<&'a [&'a str], String> {
    const SHAPE: &str = "the address must be followed by an empty line, an optional \
                         statement line, and an empty line before 'URI:'";
    if lines.get(2) != Some(&"") {
        return Err(SHAPE.to_owned());
    }
    match lines.get(3) {
        Some(&"") => Ok(&lines[4..]),
        Some(_) if lines.get(4) == Some(&"") => Ok(&lines[5..]),
        _ => Err(SHAPE.to_owned()),
    }
}

/// The field lines of a SIWS message: after `address`, optionally an empty line and a
/// statement, then optionally an empty line and the fields.
fn siws_fields<'a>(lines: &'a [&'a str]) -> Result<&'a [&'a str], String> {
    const SHAPE: &str = "the address must be followed by an empty line and the statement \
                         or the fields";
    let rest = &lines[2.min(lines.len())..];
    let Some((&first, after)) = rest.split_first() else {
        return Ok(&[]);
    };
    if !first.is_empty() {
        return Err(SHAPE.to_owned());
    }
    match after.first() {
        Some(line) if starts_a_field(line) => Ok(after),
        Some(_) => match after.get(1..) {
            Some([]) => Ok(&[]),
            Some(["", fields @ ..]) if !fields.is_empty() => Ok(fields),
            _ => Err(
                "the statement must be one line, followed by an empty line and the \
                      fields"
                    .to_owned(),
            ),
        },
        None => Err(SHAPE.to_owned()),
    }
}

/// Whether a line is a field's.
fn starts_a_field(line: &str) -> bool {
    line == "Resources:"
        || FIELDS
            .iter()
            .any(|f| line.strip_prefix(f).is_some_and(|r| r.starts_with(": ")))
}

/// The values of the fields, indexed as [`FIELDS`], checking their order and the
/// `Resources:` list at the end.
fn read_fields<'a>(lines: &[&'a str]) -> Result<[Option<&'a str>; 8], String> {
    let mut values = [None; 8];
    let mut next = 0;
    let mut lines = lines.iter();
    while let Some(&line) = lines.next() {
        if line == "Resources:" {
            let mut any = false;
            for &item in lines.by_ref() {
                if item.strip_prefix("- ").is_none_or(str::is_empty) {
                    return Err("each line after 'Resources:' must be '- <uri>'".to_owned());
                }
                any = true;
            }
            if !any {
                return Err("'Resources:' must be followed by '- <uri>' lines".to_owned());
            }
            break;
        }
        let Some((key, value)) = line.split_once(": ") else {
            return Err(format!(
                "a field line is not 'Key: value' (fields are {})",
                FIELDS.join(", ")
            ));
        };
        match FIELDS.iter().position(|f| *f == key) {
            Some(i) if i >= next => {
                values[i] = Some(value);
                next = i + 1;
            }
            Some(_) => return Err(format!("'{key}:' is repeated or out of order")),
            None => {
                return Err(format!(
                    "unknown field (fields are {}, then Resources)",
                    FIELDS.join(", ")
                ));
            }
        }
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

    use super::*;

    const ADDRESS: &str = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23";
    const FIELDS_TEXT: &str = "URI: https://example.com/login\nVersion: 1\nChain ID: 1\n\
                               Nonce: abcDEF12345678901\nIssued At: 2025-01-02T03:04:05.000Z";

    fn siwe(statement: Option<&str>, tail: &str) -> String {
        let statement = statement.map(|s| format!("{s}\n")).unwrap_or_default();
        format!(
            "example.com wants you to sign in with your Ethereum account:\n{ADDRESS}\n\n\
             {statement}\n{FIELDS_TEXT}{tail}"
        )
    }

    #[test]
    fn reads_a_siwe_message_with_and_without_statement() {
        for statement in [Some("Sign in."), None] {
            let m = parse(Kind::Siwe, &siwe(statement, "")).unwrap();
            assert_eq!(m.domain, "example.com");
            assert_eq!(m.address, ADDRESS);
            assert_eq!(m.chain_id.as_deref(), Some("1"));
            assert_eq!(m.nonce, "abcDEF12345678901");
            assert_eq!(m.issued_at_ms, Some(1_735_787_045_000));
            assert_eq!((m.expires_ms, m.not_before_ms), (None, None));
        }
        let tail = "\nExpiration Time: 2025-01-02T03:05:05Z\nNot Before: 2025-01-02T03:04:00Z\n\
                    Request ID: 7\nResources:\n- https://a.example\n- ipfs://b";
        let m = parse(Kind::Siwe, &siwe(None, tail)).unwrap();
        assert_eq!(m.expires_ms, Some(1_735_787_105_000));
        assert_eq!(m.not_before_ms, Some(1_735_787_040_000));
        let schemed = siwe(None, "").replacen("example.com", "https://example.com", 1);
        assert_eq!(parse(Kind::Siwe, &schemed).unwrap().domain, "example.com");
    }

    #[test]
    fn siwe_refusals_name_what_is_wrong() {
        let good = siwe(None, "");
        let cases = [
            (good.replace("Ethereum", "Solana"), "first line"),
            (good.replace("\n\n\n", "\n\n"), "empty line"),
            (
                good.replace("URI: https://example.com/login\n", ""),
                "'URI:' line is missing",
            ),
            (
                good.replace("Version: 1", "Version: 2"),
                "Version must be 1",
            ),
            (
                good.replace("Nonce: abcDEF12345678901", "Nonce: abc"),
                "Nonce must be",
            ),
            (good.replace(".000Z", ""), "Issued At must be"),
            (
                good.replace("Chain ID: 1\nNonce", "Nonce"),
                "'Chain ID:' line is missing",
            ),
            (format!("{good}\nVersion: 1"), "out of order"),
            (format!("{good}\nColour: red"), "unknown field"),
            (format!("{good}\n"), "not 'Key: value'"),
            (format!("{good}\nResources:"), "'- <uri>' lines"),
            (format!("{good}\nResources:\n-x"), "'- <uri>'"),
            (String::new(), "first line"),
            ("\u{0}\n\n\n".to_owned(), "first line"),
        ];
        for (text, expected) in cases {
            let error = parse(Kind::Siwe, &text).unwrap_err();
            assert!(error.contains(expected), "{text:?}: {error}");
        }
    }

    #[test]
    fn no_prefix_or_single_byte_change_panics() {
        let tail = "\nExpiration Time: 2025-01-02T03:05:05.123+01:00\nResources:\n- a";
        let text = siwe(Some("Sign in."), tail);
        for kind in [Kind::Siwe, Kind::Siws] {
            for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let _ = parse(kind, &text[..end]);
            }
            for i in 0..text.len() {
                for byte in [b'\n', b' ', b':', b'0', b'-', b'.'] {
                    let mut bytes = text.clone().into_bytes();
                    bytes[i] = byte;
                    let _ = parse(kind, &String::from_utf8(bytes).unwrap());
                }
            }
        }
        assert!(parse(Kind::Siwe, &text).is_ok());
    }

    fn siws(middle: &str) -> String {
        format!(
            "example.com wants you to sign in with your Solana account:\n\
             GmaDrppBC7P5ARKV8g3djiwP89vz1jLK23V2GBjuAEGB{middle}"
        )
    }

    #[test]
    fn reads_siws_messages_with_optional_parts() {
        let with_statement = siws("\n\nSign in.\n\nChain ID: mainnet\nNonce: abcDEF12345678901");
        let m = parse(Kind::Siws, &with_statement).unwrap();
        assert_eq!(m.chain_id.as_deref(), Some("mainnet"));
        assert_eq!(m.issued_at_ms, None);
        let without = siws("\n\nNonce: abcDEF12345678901");
        assert_eq!(
            parse(Kind::Siws, &without).unwrap().nonce,
            "abcDEF12345678901"
        );
        for (text, expected) in [
            (siws(""), "'Nonce:' line is missing"),
            (siws("\n\nSign in."), "'Nonce:' line is missing"),
            (
                siws("\nNonce: abcDEF12345678901"),
                "followed by an empty line",
            ),
            (
                siws("\n\nSign in.\nNonce: abcDEF12345678901"),
                "statement must be one line",
            ),
        ] {
            let error = parse(Kind::Siws, &text).unwrap_err();
            assert!(error.contains(expected), "{text:?}: {error}");
        }
    }
}
