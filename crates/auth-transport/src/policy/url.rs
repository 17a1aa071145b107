//! Which URLs a login may be sent to.

use std::net::{Ipv4Addr, Ipv6Addr};

use http::Uri;

use crate::error::TransportError;

/// Refuses plaintext `http://` to any host that is not loopback, unless the caller opts in.
///
/// Credentials, signatures and tokens travel in these requests; on plain HTTP anyone on
/// the path can read and replay them. Loopback (`localhost`, `127.0.0.0/8`, `::1`) is
/// allowed so that local sandboxes and tests work.
///
/// ```
/// use auth_transport::UrlPolicy;
/// let policy = UrlPolicy::default();
/// assert!(policy.check(&"https://hl-v2.pearprotocol.io".parse()?).is_ok());
/// assert!(policy.check(&"http://127.0.0.1:8080".parse()?).is_ok());
/// let err = policy.check(&"http://example.com".parse()?).unwrap_err();
/// assert!(err.to_string().contains("plaintext http"));
/// assert!(UrlPolicy::default().allow_insecure_http(true).check(&"http://example.com".parse()?).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UrlPolicy {
    allow_insecure_http: bool,
}

impl UrlPolicy {
    /// Allows (`true`) or refuses (`false`, the default) `http://` to non-loopback hosts.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Checks a URL: `https://` anywhere, `http://` to loopback (or anywhere if allowed),
    /// nothing else.
    pub fn check(&self, uri: &Uri) -> Result<(), TransportError> {
        let host = uri.host().ok_or_else(|| TransportError::InvalidRequest {
            reason: "the URL has no host".to_owned(),
        })?;
        match uri.scheme_str() {
            Some("https") => Ok(()),
            Some("http") if self.allow_insecure_http || is_loopback_host(host) => Ok(()),
            Some("http") => Err(TransportError::Refused {
                reason: format!(
                    "plaintext http to {host} would expose credentials; use https, or opt in to insecure http explicitly"
                ),
            }),
            Some(other) => Err(TransportError::InvalidRequest {
                reason: format!("unsupported URL scheme `{other}`; use https"),
            }),
            None => Err(TransportError::InvalidRequest {
                reason: "the URL has no scheme; use https://".to_owned(),
            }),
        }
    }
}

impl UrlPolicy {
    /// Checks an API's base URL and returns it without trailing slashes, ready for paths
    /// to be appended: it must parse, pass [`check`](Self::check), and have no query
    /// (a path appended after a query would land in the query).
    ///
    /// ```
    /// use auth_transport::UrlPolicy;
    /// let policy = UrlPolicy::default();
    /// assert_eq!(policy.check_base_url("https://api.example.com/v1/")?, "https://api.example.com/v1");
    /// assert!(policy.check_base_url("https://api.example.com/?key=1").is_err());
    /// assert!(policy.check_base_url("not a url").is_err());
    /// # Ok::<(), auth_transport::TransportError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`TransportError::InvalidRequest`] for a URL that does not parse or has a query or
    /// no host, [`TransportError::Refused`] for plaintext `http://` that the policy refuses.
    pub fn check_base_url(&self, url: &str) -> Result<String, TransportError> {
        let base_url = url.trim_end_matches('/');
        let uri: Uri = base_url
            .parse()
            .map_err(|_| TransportError::InvalidRequest {
                reason: "the base URL is not a valid URL".to_owned(),
            })?;
        if uri.query().is_some() {
            return Err(TransportError::InvalidRequest {
                reason: "the base URL must not have a query".to_owned(),
            });
        }
        self.check(&uri)?;
        Ok(base_url.to_owned())
    }
}

/// Whether a URL host is the loopback interface: `localhost`, an address in
/// `127.0.0.0/8`, or `::1` (with or without brackets).
pub fn is_loopback_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    if let Ok(v4) = host.parse::<Ipv4Addr>() {
        return v4.is_loopback();
    }
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    bare.parse::<Ipv6Addr>().is_ok_and(|v6| v6.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for h in [
            "localhost",
            "LOCALHOST",
            "127.0.0.1",
            "127.1.2.3",
            "[::1]",
            "::1",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in [
            "example.com",
            "10.0.0.1",
            "localhost.evil.com",
            "128.0.0.1",
            "[::2]",
            "0.0.0.0",
        ] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[test]
    fn schemes() {
        let p = UrlPolicy::default();
        let check = |u: &str| p.check(&u.parse().unwrap());
        assert!(check("https://a.example/x").is_ok());
        assert!(check("http://localhost:1/").is_ok());
        assert!(check("http://[::1]:8080/").is_ok());
        assert!(matches!(
            check("http://a.example/"),
            Err(TransportError::Refused { .. })
        ));
        assert!(matches!(
            check("ftp://a.example/"),
            Err(TransportError::InvalidRequest { .. })
        ));
        assert!(
            !check("http://a.example/")
                .unwrap_err()
                .may_have_reached_server()
        );
    }
}
