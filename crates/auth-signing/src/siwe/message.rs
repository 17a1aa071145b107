//! A checked EIP-4361 message: its fields, each valid, and its text.

use std::fmt;

use auth_types::EvmAddress;

use super::error::SiweError;
use super::fields::SiweFields;
use super::rules::{self, Rule};
use crate::sign_in::Timestamp;

/// The first line's text after the (optional scheme and the) domain.
pub(crate) const HEADER: &str = " wants you to sign in with your Ethereum account:";

/// An EIP-4361 (Sign-In with Ethereum) message whose every field is valid.
///
/// Made from a text ([`SiweMessage::parse`], or `str::parse`) or from fields
/// ([`SiweMessage::from_fields`]); its [`Display`](fmt::Display) is the text to sign, and
/// a parsed text formats back byte for byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiweMessage {
    scheme: Option<String>,
    domain: String,
    address: EvmAddress,
    statement: Option<String>,
    uri: String,
    chain_id: u64,
    nonce: String,
    issued_at: Timestamp,
    expiration_time: Option<Timestamp>,
    not_before: Option<Timestamp>,
    request_id: Option<String>,
    resources: Vec<String>,
}

impl SiweMessage {
    /// Checks every field: the domain an RFC 3986 authority, the address EIP-55
    /// checksummed, the statement one line of URI characters, the URI and resources RFC
    /// 3986 URIs, version `1`, the nonce at least 8 letters or digits, the times RFC 3339.
    ///
    /// ```
    /// use auth_signing::siwe::{SiweFields, SiweMessage};
    /// let fields = SiweFields {
    ///     domain: "example.com".into(),
    ///     address: "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2".into(),
    ///     uri: "https://example.com/login".into(),
    ///     version: "1".into(),
    ///     chain_id: 1,
    ///     nonce: "32891756".into(),
    ///     issued_at: "2021-09-30T16:25:24Z".into(),
    ///     ..SiweFields::default()
    /// };
    /// let message = SiweMessage::from_fields(fields.clone())?;
    /// assert_eq!(message.fields(), fields);
    ///
    /// let short = SiweFields { nonce: "1234".into(), ..fields };
    /// assert_eq!(
    ///     SiweMessage::from_fields(short).unwrap_err().to_string(),
    ///     "\"nonce\": must be at least 8 ASCII letters or digits"
    /// );
    /// # Ok::<(), auth_signing::siwe::SiweError>(())
    /// ```
    pub fn from_fields(fields: SiweFields) -> Result<SiweMessage, SiweError> {
        SiweMessage::checked(fields, |_| None)
    }

    /// Checks `fields`, naming in an error the line `line_of(field)` says it came from.
    pub(crate) fn checked(
        fields: SiweFields,
        line_of: impl Fn(&'static str) -> Option<usize>,
    ) -> Result<SiweMessage, SiweError> {
        let check = |field: &'static str, rule: Rule<()>| {
            rule.map_err(|reason| SiweError::InvalidField {
                field,
                line: line_of(field),
                reason,
            })
        };
        let value = |field: &'static str, rule: Rule<Timestamp>| {
            rule.map_err(|reason| SiweError::InvalidField {
                field,
                line: line_of(field),
                reason,
            })
        };
        if let Some(scheme) = &fields.scheme {
            check("scheme", rules::scheme(scheme))?;
        }
        check("domain", rules::domain(&fields.domain))?;
        let address =
            rules::address(&fields.address).map_err(|reason| SiweError::InvalidField {
                field: "address",
                line: line_of("address"),
                reason,
            })?;
        if let Some(statement) = &fields.statement {
            check("statement", rules::statement(statement))?;
        }
        check("uri", rules::uri(&fields.uri))?;
        check("version", rules::version(&fields.version))?;
        check("nonce", rules::nonce(&fields.nonce))?;
        let issued_at = value("issuedAt", rules::timestamp(&fields.issued_at))?;
        let expiration_time = match &fields.expiration_time {
            Some(t) => Some(value("expirationTime", rules::timestamp(t))?),
            None => None,
        };
        let not_before = match &fields.not_before {
            Some(t) => Some(value("notBefore", rules::timestamp(t))?),
            None => None,
        };
        if let Some(id) = &fields.request_id {
            check("requestId", rules::request_id(id))?;
        }
        for resource in &fields.resources {
            check("resources", rules::resource(resource))?;
        }
        Ok(SiweMessage {
            scheme: fields.scheme,
            domain: fields.domain,
            address,
            statement: fields.statement,
            uri: fields.uri,
            chain_id: fields.chain_id,
            nonce: fields.nonce,
            issued_at,
            expiration_time,
            not_before,
            request_id: fields.request_id,
            resources: fields.resources,
        })
    }

    /// The fields, as plain values.
    pub fn fields(&self) -> SiweFields {
        SiweFields {
            scheme: self.scheme.clone(),
            domain: self.domain.clone(),
            address: self.address.to_checksum(),
            statement: self.statement.clone(),
            uri: self.uri.clone(),
            version: self.version().to_owned(),
            chain_id: self.chain_id,
            nonce: self.nonce.clone(),
            issued_at: self.issued_at.to_string(),
            expiration_time: self.expiration_time.as_ref().map(Timestamp::to_string),
            not_before: self.not_before.as_ref().map(Timestamp::to_string),
            request_id: self.request_id.clone(),
            resources: self.resources.clone(),
        }
    }

    /// The scheme written before the domain (`https`), if any.
    pub fn scheme(&self) -> Option<&str> {
        self.scheme.as_deref()
    }

    /// The domain (an RFC 3986 authority) asking for the sign-in.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The address signing in.
    pub fn address(&self) -> EvmAddress {
        self.address
    }

    /// The statement, if any.
    pub fn statement(&self) -> Option<&str> {
        self.statement.as_deref()
    }

    /// The URI the sign-in is for.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The message version, always `1`.
    pub fn version(&self) -> &str {
        "1"
    }

    /// The EIP-155 chain ID.
    pub fn chain_id(&self) -> u64 {
        self.chain_id
    }

    /// The nonce.
    pub fn nonce(&self) -> &str {
        &self.nonce
    }

    /// When the message was made.
    pub fn issued_at(&self) -> &Timestamp {
        &self.issued_at
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
        self.request_id.as_deref()
    }

    /// The resources (empty when the message lists none).
    pub fn resources(&self) -> &[String] {
        &self.resources
    }

    /// The hash a wallet signs: EIP-191 `personal_sign` of the text,
    /// `keccak256("\x19Ethereum Signed Message:\n" ‖ len ‖ text)`.
    pub fn signing_hash(&self) -> [u8; 32] {
        auth_signer::eip191_hash(self.to_string().as_bytes())
    }
}

impl fmt::Display for SiweMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(scheme) = &self.scheme {
            write!(f, "{scheme}://")?;
        }
        writeln!(f, "{}{HEADER}", self.domain)?;
        writeln!(f, "{}", self.address.to_checksum())?;
        writeln!(f)?;
        if let Some(statement) = &self.statement {
            writeln!(f, "{statement}")?;
        }
        writeln!(f)?;
        writeln!(f, "URI: {}", self.uri)?;
        writeln!(f, "Version: 1")?;
        writeln!(f, "Chain ID: {}", self.chain_id)?;
        writeln!(f, "Nonce: {}", self.nonce)?;
        write!(f, "Issued At: {}", self.issued_at)?;
        if let Some(t) = &self.expiration_time {
            write!(f, "\nExpiration Time: {t}")?;
        }
        if let Some(t) = &self.not_before {
            write!(f, "\nNot Before: {t}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, "\nRequest ID: {id}")?;
        }
        if !self.resources.is_empty() {
            write!(f, "\nResources:")?;
            for resource in &self.resources {
                write!(f, "\n- {resource}")?;
            }
        }
        Ok(())
    }
}
