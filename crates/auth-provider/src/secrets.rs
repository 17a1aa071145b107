//! Redaction by construction: a request built through the kit records every secret value
//! it carries, and every error from that exchange is scrubbed of them.

use std::fmt;

use zeroize::Zeroizing;

/// What stands in for a secret in an error message.
pub const REDACTED: &str = "<redacted>";

/// Shorter values are not recorded: replacing them would garble a server's message
/// without protecting anything worth a secret's name.
const MIN_SECRET_LEN: usize = 4;

/// A server that cuts an echoed secret short still shows its start: any prefix of a secret
/// at least this long is redacted too.
const MIN_PREFIX_LEN: usize = 8;

/// The secret values one request carries (tokens, keys, signatures), recorded as the
/// request is built by [`JsonBody::secret`](crate::JsonBody::secret) and
/// [`ApiRequest::bearer`](crate::ApiRequest::bearer). Wiped on drop; `Debug` shows only
/// how many there are.
///
/// ```
/// let mut secrets = auth_provider::Secrets::default();
/// secrets.record("eyJ-refresh-token");
/// assert_eq!(secrets.redact("token eyJ-refresh-token is spent"), "token <redacted> is spent");
/// assert_eq!(format!("{secrets:?}"), "Secrets(1 recorded)");
/// ```
#[derive(Default, Clone)]
pub struct Secrets {
    values: Vec<Zeroizing<String>>,
}

impl Secrets {
    /// Records a secret value (values under 4 characters are ignored).
    pub fn record(&mut self, secret: &str) {
        if secret.len() >= MIN_SECRET_LEN && !self.values.iter().any(|v| v.as_str() == secret) {
            self.values.push(Zeroizing::new(secret.to_owned()));
            // Longest first, so a secret containing another is replaced whole.
            self.values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        }
    }

    /// Adds every secret of `other`.
    pub fn extend(&mut self, other: Secrets) {
        for value in &other.values {
            self.record(value);
        }
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// `text` with every occurrence of a recorded secret replaced by `<redacted>`, and
    /// every occurrence of a prefix of one of 8 characters or more (a server that cut the
    /// secret short).
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.values {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), REDACTED);
            }
            out = redact_prefixes(&out, secret);
        }
        out
    }
}

/// `text` with every run that is a prefix of `secret` of [`MIN_PREFIX_LEN`] bytes or more
/// replaced by `<redacted>`.
fn redact_prefixes(text: &str, secret: &str) -> String {
    let Some(head) = secret.get(..MIN_PREFIX_LEN) else {
        return text.to_owned();
    };
    if !text.contains(head) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(head) {
        out.push_str(&rest[..at]);
        let candidate = &rest[at..];
        // The longest prefix of the secret the text goes on with (byte-wise, then back to a
        // character boundary of the text).
        let mut len = candidate
            .bytes()
            .zip(secret.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        while !candidate.is_char_boundary(len) {
            len -= 1;
        }
        out.push_str(REDACTED);
        rest = &candidate[len.max(1)..];
    }
    out.push_str(rest);
    out
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secrets({} recorded)", self.values.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_secret_is_redacted_from_eight_characters_on() {
        let mut secrets = Secrets::default();
        secrets.record("eyJhbGciOiJIUzI1NiJ9.payload.signature");
        assert_eq!(
            secrets.redact("token eyJhbGciOiJIUz… is invalid"),
            "token <redacted>… is invalid"
        );
        assert_eq!(
            secrets.redact("a eyJhbGciOiJIUzI1NiJ9.pay b eyJhbGciOiJIUzI1NiJ9.payload.signature"),
            "a <redacted> b <redacted>"
        );
        // Seven characters of it are not enough to say it is the secret.
        assert_eq!(secrets.redact("eyJhbGc"), "eyJhbGc");
        // Short secrets are only redacted whole.
        let mut short = Secrets::default();
        short.record("pk_12");
        assert_eq!(short.redact("pk_12 pk_1"), "<redacted> pk_1");
    }

    #[test]
    fn longest_secret_first_and_short_values_ignored() {
        let mut secrets = Secrets::default();
        secrets.record("abc");
        secrets.record("token-1");
        secrets.record("token-1-long");
        secrets.record("token-1");
        assert_eq!(format!("{secrets:?}"), "Secrets(2 recorded)");
        assert_eq!(
            secrets.redact("abc token-1-long token-1"),
            "abc <redacted> <redacted>"
        );
        let mut more = Secrets::default();
        more.record("other-secret");
        secrets.extend(more);
        assert_eq!(secrets.redact("other-secret"), REDACTED);
        assert!(Secrets::default().is_empty());
    }
}
