//! The fields of a Sign In With Solana message as `@solana/wallet-standard-util` has them,
//! and the text it writes from them.

use serde::{Deserialize, Serialize};

/// The fields of a Sign In With Solana message, unchecked: the shape of
/// `@solana/wallet-standard-util`'s `SolanaSignInInput` with its two required fields (in
/// JSON, the same camelCase names).
///
/// [`SiwsFields::parse_text`] and [`SiwsFields::to_text`] answer exactly as its
/// `parseSignInMessageText` and `createSignInMessageText` do (a corpus of that package's
/// answers is the test). [`SiwsMessage::from_fields`](super::SiwsMessage::from_fields)
/// checks them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SiwsFields {
    /// The domain asking for the sign-in (`example.com`).
    pub domain: String,
    /// The base58 public key signing in.
    pub address: String,
    /// A human-readable statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// The URI the sign-in is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// The message version (`1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The chain (`mainnet`, `solana:mainnet`, `devnet`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain_id: Option<String>,
    /// The server's nonce.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    /// When the message was made (RFC 3339, checked by `SiwsMessage`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<String>,
    /// When the message stops being valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_time: Option<String>,
    /// When the message starts being valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<String>,
    /// A system-specific identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// URIs the user wishes to have resolved (`Some(vec![])` writes a bare `Resources:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<String>>,
}

/// The first line's text after the domain.
pub(crate) const HEADER: &str = " wants you to sign in with your Solana account:";

/// The optional one-line fields, in their order, with their prefixes.
pub(crate) const LINE_FIELDS: [&str; 8] = [
    "URI: ",
    "Version: ",
    "Chain ID: ",
    "Nonce: ",
    "Issued At: ",
    "Expiration Time: ",
    "Not Before: ",
    "Request ID: ",
];

impl SiwsFields {
    /// The optional one-line fields, in the order of [`LINE_FIELDS`].
    pub(crate) fn line_fields(&self) -> [&Option<String>; 8] {
        [
            &self.uri,
            &self.version,
            &self.chain_id,
            &self.nonce,
            &self.issued_at,
            &self.expiration_time,
            &self.not_before,
            &self.request_id,
        ]
    }

    /// The same, to fill in.
    pub(crate) fn line_fields_mut(&mut self) -> [&mut Option<String>; 8] {
        [
            &mut self.uri,
            &mut self.version,
            &mut self.chain_id,
            &mut self.nonce,
            &mut self.issued_at,
            &mut self.expiration_time,
            &mut self.not_before,
            &mut self.request_id,
        ]
    }

    /// The message text, exactly as `createSignInMessageText` writes it: empty optional
    /// fields are left out like absent ones, `Some(vec![])` resources write a bare
    /// `Resources:` line, and nothing is checked (see `SiwsMessage` for that).
    ///
    /// ```
    /// use auth_signing::siws::SiwsFields;
    /// let fields = SiwsFields {
    ///     domain: "example.com".into(),
    ///     address: "5Wh8ovzHnUCKjNrFtpYwGz2jTpcRbBr9jLEzdnY6Lmd2".into(),
    ///     statement: Some("Sign in to Example".into()),
    ///     nonce: Some("oBbLoEldZs".into()),
    ///     ..SiwsFields::default()
    /// };
    /// assert_eq!(
    ///     fields.to_text(),
    ///     "example.com wants you to sign in with your Solana account:\n\
    ///      5Wh8ovzHnUCKjNrFtpYwGz2jTpcRbBr9jLEzdnY6Lmd2\n\n\
    ///      Sign in to Example\n\n\
    ///      Nonce: oBbLoEldZs"
    /// );
    /// assert_eq!(SiwsFields::parse_text(&fields.to_text()), Some(fields));
    /// ```
    pub fn to_text(&self) -> String {
        let mut text = format!("{}{HEADER}\n{}", self.domain, self.address);
        if let Some(statement) = self.statement.as_deref().filter(|s| !s.is_empty()) {
            text.push_str("\n\n");
            text.push_str(statement);
        }
        let mut lines: Vec<String> = LINE_FIELDS
            .iter()
            .zip(self.line_fields())
            .filter_map(|(prefix, value)| {
                let value = value.as_deref().filter(|v| !v.is_empty())?;
                Some(format!("{prefix}{value}"))
            })
            .collect();
        if let Some(resources) = &self.resources {
            lines.push("Resources:".to_owned());
            lines.extend(resources.iter().map(|r| format!("- {r}")));
        }
        if !lines.is_empty() {
            text.push_str("\n\n");
            text.push_str(&lines.join("\n"));
        }
        text
    }
}
