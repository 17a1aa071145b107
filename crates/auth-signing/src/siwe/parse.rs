//! The text of an EIP-4361 message, read strictly by the EIP's ABNF, line by line.

use std::str::FromStr;

use super::error::SiweError;
use super::fields::SiweFields;
use super::message::{HEADER, SiweMessage};

/// The lines of a text, numbered from 1, with the line each field came from.
struct Lines<'a> {
    lines: Vec<&'a str>,
    next: usize,
    found: Vec<(&'static str, usize)>,
}

impl<'a> Lines<'a> {
    /// The 1-based number of the next line.
    fn number(&self) -> usize {
        self.next + 1
    }

    fn peek(&self) -> Option<&'a str> {
        self.lines.get(self.next).copied()
    }

    /// The next line, which must be there.
    fn take(&mut self, expected: &'static str) -> Result<&'a str, SiweError> {
        let line = self.peek().ok_or(SiweError::Syntax {
            line: self.number(),
            expected,
        })?;
        self.next += 1;
        Ok(line)
    }

    /// The next line's value after `prefix`, which must be there.
    fn field(
        &mut self,
        field: &'static str,
        prefix: &str,
        expected: &'static str,
    ) -> Result<String, SiweError> {
        let line = self.number();
        let value = self
            .take(expected)?
            .strip_prefix(prefix)
            .ok_or(SiweError::Syntax { line, expected })?;
        self.found.push((field, line));
        Ok(value.to_owned())
    }

    /// The next line's value after `prefix`, if the next line starts with it.
    fn optional(&mut self, field: &'static str, prefix: &str) -> Option<String> {
        let value = self.peek()?.strip_prefix(prefix)?;
        self.found.push((field, self.number()));
        self.next += 1;
        Some(value.to_owned())
    }

    fn line_of(&self, field: &'static str) -> Option<usize> {
        self.found
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, l)| *l)
    }
}

impl SiweMessage {
    /// Reads a message text, strictly by EIP-4361's ABNF (`\n` line ends, no trailing
    /// newline, fields in the EIP's order), then checks every field as
    /// [`from_fields`](SiweMessage::from_fields) does. A text this accepts formats back to
    /// itself byte for byte. Two deliberate refusals keep that true: a chain ID with
    /// leading zeros, and a `Resources:` line with no resource under it.
    ///
    /// ```
    /// use auth_signing::siwe::{SiweError, SiweMessage};
    /// let text = "example.com wants you to sign in with your Ethereum account:\n\
    ///     0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2\n\n\n\
    ///     URI: https://example.com/login\nVersion: 1\nChain ID: 1\n\
    ///     Nonce: 32891756\nIssued At: 2021-09-30T16:25:24Z";
    /// let message = SiweMessage::parse(text)?;
    /// assert_eq!(message.nonce(), "32891756");
    /// assert_eq!(message.to_string(), text);
    ///
    /// let err = SiweMessage::parse(&text.replace("Chain ID: 1", "Chain ID: one")).unwrap_err();
    /// assert_eq!(err.to_string(), "line 7: \"chainId\": must be a decimal number without leading zeros");
    /// # Ok::<(), SiweError>(())
    /// ```
    pub fn parse(text: &str) -> Result<SiweMessage, SiweError> {
        let mut lines = Lines {
            lines: text.split('\n').collect(),
            next: 0,
            found: Vec::new(),
        };
        let origin =
            lines
                .take("the first line")?
                .strip_suffix(HEADER)
                .ok_or(SiweError::Syntax {
                    line: 1,
                    expected: "\"<domain> wants you to sign in with your Ethereum account:\"",
                })?;
        lines.found.push(("scheme", 1));
        lines.found.push(("domain", 1));
        let (scheme, domain) = match origin.split_once("://") {
            Some((scheme, domain)) => (Some(scheme.to_owned()), domain.to_owned()),
            None => (None, origin.to_owned()),
        };
        let address = lines.field("address", "", "the address")?;
        let line = lines.number();
        if !lines.take("an empty line")?.is_empty() {
            return Err(SiweError::Syntax {
                line,
                expected: "an empty line",
            });
        }
        // Without a statement, an empty line and "URI: "; with one, the statement and an
        // empty line.
        let starts_uri = lines
            .lines
            .get(lines.next + 1)
            .is_some_and(|l| l.starts_with("URI: "));
        let statement = if lines.peek() == Some("") && starts_uri {
            lines.next += 1;
            None
        } else {
            let statement = lines.field("statement", "", "a statement or an empty line")?;
            let line = lines.number();
            if !lines.take("an empty line after the statement")?.is_empty() {
                return Err(SiweError::Syntax {
                    line,
                    expected: "an empty line after the statement",
                });
            }
            Some(statement)
        };
        let uri = lines.field("uri", "URI: ", "\"URI: \"")?;
        let version = lines.field("version", "Version: ", "\"Version: 1\"")?;
        let chain_id_text = lines.field("chainId", "Chain ID: ", "\"Chain ID: \"")?;
        let nonce = lines.field("nonce", "Nonce: ", "\"Nonce: \"")?;
        let issued_at = lines.field("issuedAt", "Issued At: ", "\"Issued At: \"")?;
        let expiration_time = lines.optional("expirationTime", "Expiration Time: ");
        let not_before = lines.optional("notBefore", "Not Before: ");
        let request_id = lines.optional("requestId", "Request ID: ");
        let mut resources = Vec::new();
        if let Some(rest) = lines.optional("resources", "Resources:") {
            let line = lines.number() - 1;
            if !rest.is_empty() {
                return Err(SiweError::Syntax {
                    line,
                    expected: "\"Resources:\" alone on its line",
                });
            }
            while let Some(resource) = lines.peek().and_then(|l| l.strip_prefix("- ")) {
                resources.push(resource.to_owned());
                lines.next += 1;
            }
            if resources.is_empty() {
                return Err(SiweError::Syntax {
                    line: line + 1,
                    expected: "\"- \" and a resource URI under \"Resources:\"",
                });
            }
        }
        if lines.peek().is_some() {
            return Err(SiweError::Syntax {
                line: lines.number(),
                expected: "the end of the message (a known field in the EIP's order)",
            });
        }
        let chain_id =
            super::rules::chain_id(&chain_id_text).map_err(|reason| SiweError::InvalidField {
                field: "chainId",
                line: lines.line_of("chainId"),
                reason,
            })?;
        let fields = SiweFields {
            scheme,
            domain,
            address,
            statement,
            uri,
            version,
            chain_id,
            nonce,
            issued_at,
            expiration_time,
            not_before,
            request_id,
            resources,
        };
        SiweMessage::checked(fields, |field| lines.line_of(field))
    }
}

impl FromStr for SiweMessage {
    type Err = SiweError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        SiweMessage::parse(text)
    }
}
