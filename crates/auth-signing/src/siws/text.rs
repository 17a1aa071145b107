//! Reading a text exactly as `parseSignInMessageText` does.
//!
//! Its regular expression is
//! `^(?<domain>[^\n]+?) wants you to sign in with your Solana account:\n(?<address>[^\n]+)(?:\n|$)`
//! then `(?:\n(?<statement>[\S\s]*?)(?:\n|$))??`, then each field as an optional
//! `(?:\nURI: (?<uri>[^\n]+))?` in order, `(?:\nResources:(?<resources>(?:\n- [^\n]+)*))?`,
//! and `\n*$`. Walking its backtracking by hand: the domain is the first line less the
//! header; the address is the whole second line; the fields, once their start is fixed,
//! match one way or not at all (no prefix is another's, each value runs to its line's
//! end). So: first the fields right after the address (the statement's `??` prefers
//! none), then a statement ending at each later `\n` in turn (its `*?` prefers the
//! shortest), and at last a statement running to the end, which always matches.

use super::fields::{HEADER, LINE_FIELDS, SiwsFields};

impl SiwsFields {
    /// Reads a message text exactly as `parseSignInMessageText` does: `None` where it
    /// answers `null`. It is lenient (any non-empty address, fields in order but each
    /// optional, trailing newlines); [`SiwsMessage::parse`](super::SiwsMessage::parse)
    /// checks what it reads.
    ///
    /// ```
    /// use auth_signing::siws::SiwsFields;
    /// let text = "example.com wants you to sign in with your Solana account:\n\
    ///             5Wh8ovzHnUCKjNrFtpYwGz2jTpcRbBr9jLEzdnY6Lmd2\n\nHello\n\nURI: x\n\nVersion: 1";
    /// let fields = SiwsFields::parse_text(text).unwrap();
    /// assert_eq!(fields.statement.as_deref(), Some("Hello\n\nURI: x"));
    /// assert_eq!(fields.version.as_deref(), Some("1"));
    /// assert_eq!(fields.uri, None);
    /// assert_eq!(SiwsFields::parse_text("hello"), None);
    /// ```
    pub fn parse_text(text: &str) -> Option<SiwsFields> {
        let (first, rest) = text.split_once('\n')?;
        let domain = first.strip_suffix(HEADER).filter(|d| !d.is_empty())?;
        let (address, rest) = match rest.split_once('\n') {
            Some((address, rest)) => (address, Some(rest)),
            None => (rest, None),
        };
        if address.is_empty() {
            return None;
        }
        let mut fields = SiwsFields {
            domain: domain.to_owned(),
            address: address.to_owned(),
            ..SiwsFields::default()
        };
        let Some(rest) = rest else {
            return Some(fields);
        };
        if fields.read_fields(rest) {
            return Some(fields);
        }
        let body = rest.strip_prefix('\n')?;
        for (at, _) in body.match_indices('\n') {
            let (statement, after) = (&body[..at], &body[at + 1..]);
            if fields.read_fields(after) {
                fields.statement = Some(statement.to_owned());
                return Some(fields);
            }
        }
        fields.statement = Some(body.to_owned());
        Some(fields)
    }

    /// Reads the fields and the trailing newlines that must make up all of `text`; on a
    /// mismatch, leaves `self`'s optional fields as they were (all `None`) and answers
    /// false.
    fn read_fields(&mut self, text: &str) -> bool {
        let mut found: [Option<&str>; 8] = [None; 8];
        let mut rest = text;
        for (prefix, slot) in LINE_FIELDS.iter().zip(found.iter_mut()) {
            if let Some((value, after)) = line_after(rest, prefix) {
                *slot = Some(value);
                rest = after;
            }
        }
        let mut resources = None;
        if let Some(after) = rest.strip_prefix("\nResources:") {
            let mut items = Vec::new();
            let mut tail = after;
            while let Some((value, next)) = line_after(tail, "- ") {
                items.push(value.to_owned());
                tail = next;
            }
            resources = Some(items);
            rest = tail;
        }
        if !rest.bytes().all(|b| b == b'\n') {
            return false;
        }
        for (slot, value) in self.line_fields_mut().into_iter().zip(found) {
            *slot = value.map(str::to_owned);
        }
        self.resources = resources;
        true
    }
}

/// When `text` starts with `\n`, `prefix` and a non-empty rest of line: that rest and
/// what follows it (from its `\n` on).
fn line_after<'a>(text: &'a str, prefix: &str) -> Option<(&'a str, &'a str)> {
    let line = text.strip_prefix('\n')?.strip_prefix(prefix)?;
    let end = line.find('\n').unwrap_or(line.len());
    let (value, after) = line.split_at(end);
    (!value.is_empty()).then_some((value, after))
}
