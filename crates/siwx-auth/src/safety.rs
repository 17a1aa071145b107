//! What a client refuses to sign: a nonce that is not a plain nonce (a server could
//! smuggle lines into the message with one), and a domain or URI of another site than the
//! backend it talks to.

/// The longest nonce accepted. EIP-4361 sets no upper bound; nonces are 8 to 32
/// characters in practice, and a longer one is more likely an attack than a nonce.
pub const MAX_NONCE_LEN: usize = 128;

/// Checks a nonce: 8 to [`MAX_NONCE_LEN`] ASCII letters or digits (EIP-4361's grammar,
/// which Sign In With Solana shares). Returns what is wrong.
pub(crate) fn check_nonce(nonce: &str) -> Result<(), String> {
    if nonce.len() < 8 {
        return Err(format!(
            "it has {} characters; a nonce has at least 8",
            nonce.chars().count()
        ));
    }
    if nonce.len() > MAX_NONCE_LEN {
        return Err(format!("it has more than {MAX_NONCE_LEN} characters"));
    }
    if !nonce.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(
            "it has characters other than ASCII letters and digits (a nonce cannot carry spaces, line breaks or punctuation)"
                .to_owned(),
        );
    }
    Ok(())
}

/// The authority (`host[:port]`, lowercased host) of an absolute URL such as the base URL,
/// without user info.
pub(crate) fn authority_of(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    (!authority.is_empty()).then(|| authority.to_ascii_lowercase())
}

/// The host of an authority (`user@host:port` → `host`; IPv6 literals keep brackets).
pub(crate) fn host_of(authority: &str) -> String {
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let host = if authority.starts_with('[') {
        authority
            .find(']')
            .map_or(authority, |end| &authority[..=end])
    } else {
        authority.rsplit_once(':').map_or(authority, |(h, _)| h)
    };
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// Whether two hosts are the same site, as far as a client can tell without the public
/// suffix list: equal, one a subdomain of the other (`example.com`, `api.example.com`),
/// or siblings under a shared parent of at least two labels (`app.example.com`,
/// `api.example.com`). IP addresses and single-label hosts (`localhost`) must be equal.
pub(crate) fn same_site(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let is_name = |h: &str| {
        !h.starts_with('[')
            && h.contains('.')
            && !h.bytes().all(|c| c.is_ascii_digit() || c == b'.')
    };
    if !is_name(a) || !is_name(b) {
        return false;
    }
    let (a_labels, b_labels): (Vec<&str>, Vec<&str>) =
        (a.rsplit('.').collect(), b.rsplit('.').collect());
    let shared = a_labels
        .iter()
        .zip(&b_labels)
        .take_while(|(x, y)| x == y)
        .count();
    let parent_of_other = shared == a_labels.len() || shared == b_labels.len();
    shared >= 2 && (parent_of_other || a_labels.len().min(b_labels.len()) > 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_plain() {
        assert!(check_nonce("abcdEFGH1234").is_ok());
        assert!(check_nonce("abc").is_err());
        assert!(check_nonce("abcdefgh\nURI: https://evil.example").is_err());
        assert!(check_nonce("abcdefgh ijk").is_err());
        assert!(check_nonce(&"a".repeat(MAX_NONCE_LEN + 1)).is_err());
        assert!(check_nonce("ñandúñandú").is_err());
    }

    #[test]
    fn authorities_and_hosts() {
        assert_eq!(
            authority_of("https://User@API.example.com:8443/x?y").as_deref(),
            Some("api.example.com:8443")
        );
        assert_eq!(
            authority_of("http://127.0.0.1:3000").as_deref(),
            Some("127.0.0.1:3000")
        );
        assert_eq!(authority_of("no scheme"), None);
        assert_eq!(host_of("api.example.com:8443"), "api.example.com");
        assert_eq!(host_of("me@[::1]:80"), "[::1]");
        assert_eq!(host_of("Example.COM."), "example.com");
    }

    #[test]
    fn sites() {
        assert!(same_site("example.com", "example.com"));
        assert!(same_site("example.com", "api.example.com"));
        assert!(same_site("app.example.com", "api.example.com"));
        assert!(!same_site("example.com", "example.org"));
        assert!(!same_site("evil.com", "example.com"));
        assert!(!same_site("example.com", "com"));
        assert!(!same_site("a.co", "b.co"));
        assert!(!same_site("127.0.0.1", "127.0.0.2"));
        assert!(!same_site("localhost", "evil.localhost"));
        assert!(same_site("127.0.0.1", "127.0.0.1"));
    }
}
