//! A checked Sign In With Solana message.

use std::fmt;
use std::str::FromStr;

use auth_types::SolanaPubkey;

use super::error::SiwsError;
use super::fields::SiwsFields;
use crate::sign_in::Timestamp;

/// A Sign In With Solana message whose fields are valid: the address a base58 32-byte
/// key, the times RFC 3339, the one-line fields without line breaks, no empty field, and
/// a text that `parseSignInMessageText` reads back to the same fields.
///
/// Its [`Display`](fmt::Display) is the text to sign, as `createSignInMessageText` writes
/// it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiwsMessage {
    fields: SiwsFields,
    address: SolanaPubkey,
    issued_at: Option<Timestamp>,
    expiration_time: Option<Timestamp>,
    not_before: Option<Timestamp>,
    text: String,
}

fn invalid(field: &'static str, reason: &'static str) -> SiwsError {
    SiwsError::InvalidField { field, reason }
}

fn time(field: &'static str, value: &Option<String>) -> Result<Option<Timestamp>, SiwsError> {
    value
        .as_deref()
        .map(|t| {
            Timestamp::parse(t).map_err(|_| {
                invalid(
                    field,
                    "must be an RFC 3339 date-time such as 2021-09-30T16:25:24.000Z",
                )
            })
        })
        .transpose()
}

impl SiwsMessage {
    /// Checks the fields (see the type's rules).
    ///
    /// ```
    /// use auth_signing::siws::{SiwsFields, SiwsMessage};
    /// let fields = SiwsFields {
    ///     domain: "example.com".into(),
    ///     address: "5Wh8ovzHnUCKjNrFtpYwGz2jTpcRbBr9jLEzdnY6Lmd2".into(),
    ///     issued_at: Some("yesterday".into()),
    ///     ..SiwsFields::default()
    /// };
    /// assert_eq!(
    ///     SiwsMessage::from_fields(fields).unwrap_err().to_string(),
    ///     "\"issuedAt\": must be an RFC 3339 date-time such as 2021-09-30T16:25:24.000Z"
    /// );
    /// ```
    pub fn from_fields(fields: SiwsFields) -> Result<SiwsMessage, SiwsError> {
        SiwsMessage::checked(fields, None)
    }

    /// Checks `fields`, read from `source` if given: then the text they write must be
    /// `source` (which `parseSignInMessageText` read as them, so they read back the same).
    fn checked(fields: SiwsFields, source: Option<&str>) -> Result<SiwsMessage, SiwsError> {
        if fields.domain.is_empty() {
            return Err(invalid("domain", "must not be empty"));
        }
        if fields.domain.contains(['\n', '\r']) {
            return Err(invalid("domain", "must be one line"));
        }
        let address: SolanaPubkey = fields
            .address
            .parse()
            .map_err(|_| invalid("address", "must be a base58 public key of 32 bytes"))?;
        if address.to_base58() != fields.address {
            return Err(invalid("address", "must be written in canonical base58"));
        }
        if fields.statement.as_deref() == Some("") {
            return Err(invalid(
                "statement",
                "must not be empty (leave it out instead)",
            ));
        }
        const NAMES: [&str; 8] = [
            "uri",
            "version",
            "chainId",
            "nonce",
            "issuedAt",
            "expirationTime",
            "notBefore",
            "requestId",
        ];
        for (name, value) in NAMES.into_iter().zip(fields.line_fields()) {
            match value.as_deref() {
                Some("") => return Err(invalid(name, "must not be empty (leave it out instead)")),
                Some(v) if v.contains(['\n', '\r']) => {
                    return Err(invalid(name, "must be one line"));
                }
                _ => {}
            }
        }
        for resource in fields.resources.iter().flatten() {
            if resource.is_empty() || resource.contains(['\n', '\r']) {
                return Err(invalid("resources", "each must be one non-empty line"));
            }
        }
        let issued_at = time("issuedAt", &fields.issued_at)?;
        let expiration_time = time("expirationTime", &fields.expiration_time)?;
        let not_before = time("notBefore", &fields.not_before)?;
        let text = fields.to_text();
        match source {
            Some(source) if source != text => return Err(SiwsError::NotCanonical),
            Some(_) => {}
            None if SiwsFields::parse_text(&text).as_ref() != Some(&fields) => {
                return Err(invalid(
                    "statement",
                    "would read back as other fields (it holds lines that look like fields)",
                ));
            }
            None => {}
        }
        Ok(SiwsMessage {
            fields,
            address,
            issued_at,
            expiration_time,
            not_before,
            text,
        })
    }

    /// Reads a message text: what `parseSignInMessageText` reads, checked as by
    /// [`from_fields`](SiwsMessage::from_fields), and only the text those fields write
    /// (what `verifySignIn` accepts).
    pub fn parse(text: &str) -> Result<SiwsMessage, SiwsError> {
        let fields = SiwsFields::parse_text(text).ok_or(SiwsError::Syntax)?;
        SiwsMessage::checked(fields, Some(text))
    }

    /// The fields, as plain values.
    pub fn fields(&self) -> SiwsFields {
        self.fields.clone()
    }

    /// The domain asking for the sign-in.
    pub fn domain(&self) -> &str {
        &self.fields.domain
    }

    /// The public key signing in.
    pub fn address(&self) -> SolanaPubkey {
        self.address
    }

    /// The statement, if any.
    pub fn statement(&self) -> Option<&str> {
        self.fields.statement.as_deref()
    }

    /// The URI, if any.
    pub fn uri(&self) -> Option<&str> {
        self.fields.uri.as_deref()
    }

    /// The version, if any.
    pub fn version(&self) -> Option<&str> {
        self.fields.version.as_deref()
    }

    /// The chain (`mainnet`, `solana:mainnet`, ...), if any.
    pub fn chain_id(&self) -> Option<&str> {
        self.fields.chain_id.as_deref()
    }

    /// The nonce, if any.
    pub fn nonce(&self) -> Option<&str> {
        self.fields.nonce.as_deref()
    }

    /// When the message was made, if said.
    pub fn issued_at(&self) -> Option<&Timestamp> {
        self.issued_at.as_ref()
    }

    /// When the message stops being valid, if ever.
    pub fn expiration_time(&self) -> Option<&Timestamp> {
        self.expiration_time.as_ref()
    }

    /// When the message starts being valid, if set.
    pub fn not_before(&self) -> Option<&Timestamp> {
        self.not_before.as_ref()
    }

    /// The request ID, if any.
    pub fn request_id(&self) -> Option<&str> {
        self.fields.request_id.as_deref()
    }

    /// The resources, if the message has a `Resources:` line.
    pub fn resources(&self) -> Option<&[String]> {
        self.fields.resources.as_deref()
    }

    /// The text to sign.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for SiwsMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for SiwsMessage {
    type Err = SiwsError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        SiwsMessage::parse(text)
    }
}
