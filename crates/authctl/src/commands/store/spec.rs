//! What a `--store` value names: a file, or Redis. Schemes are case-insensitive (RFC 3986):
//! `redis://` and `rediss://` in any case are Redis; any other `scheme://` is a usage
//! error rather than a strange relative file path. Text before `://` that is not a scheme
//! (`./x://y`, `dir/a://b`) is a path.

use std::path::Path;

use super::Failure;

/// A parsed `--store` value.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum StoreSpec<'a> {
    /// A token file.
    File(&'a Path),
    /// A Redis server: the URL with its scheme in lowercase.
    Redis {
        /// `redis` or `rediss` (TLS).
        scheme: &'static str,
        /// Everything after `://`, as given.
        rest: &'a str,
    },
}

impl StoreSpec<'_> {
    /// The URL with its scheme in lowercase (what the Redis client expects).
    pub(super) fn url(&self) -> Option<String> {
        match self {
            StoreSpec::Redis { scheme, rest } => Some(format!("{scheme}://{rest}")),
            StoreSpec::File(_) => None,
        }
    }
}

/// Parses a `--store` value. Errors quote at most the scheme, never the rest of a URL,
/// which may hold a password.
pub(super) fn parse(spec: &str) -> Result<StoreSpec<'_>, Failure> {
    if spec.trim().is_empty() {
        return Err(Failure::usage(
            "--store is empty: give a file path, or a redis:// or rediss:// URL".to_owned(),
        ));
    }
    let Some((scheme, rest)) = spec.split_once("://").filter(|(s, _)| is_scheme(s)) else {
        return Ok(StoreSpec::File(Path::new(spec)));
    };
    if scheme.eq_ignore_ascii_case("redis") {
        Ok(StoreSpec::Redis {
            scheme: "redis",
            rest,
        })
    } else if scheme.eq_ignore_ascii_case("rediss") {
        Ok(StoreSpec::Redis {
            scheme: "rediss",
            rest,
        })
    } else {
        let shown: String = scheme.chars().take(32).collect();
        Err(Failure::usage(format!(
            "--store: {shown}:// is not a token store; give a file path (write ./{shown}:… \
             for a file whose name looks like a URL), or a redis:// or rediss:// URL"
        )))
    }
}

/// A URI scheme: a letter, then letters, digits, `+`, `-` or `.` (RFC 3986, section 3.1).
fn is_scheme(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redis_schemes_in_any_case_are_redis_with_a_lowercase_scheme() {
        for (given, url) in [
            ("redis://h:1/0", "redis://h:1/0"),
            ("REDIS://h:1/0", "redis://h:1/0"),
            ("Redis://h:1/0", "redis://h:1/0"),
            ("rediss://h:1/0", "rediss://h:1/0"),
            ("REDISS://h:1/0", "rediss://h:1/0"),
            ("Rediss://User@H:1/0", "rediss://User@H:1/0"),
        ] {
            let spec = parse(given).expect(given);
            assert_eq!(spec.url().as_deref(), Some(url), "{given}");
        }
    }

    #[test]
    fn other_schemes_are_usage_errors_that_quote_only_the_scheme() {
        for given in [
            "http://secret-host/x",
            "HTTPS://secret-host/x",
            "file:///secret/t.json",
            "s3://secret-bucket/key",
            "redis+sentinel://:secret@host/0",
        ] {
            let error = parse(given).expect_err(given);
            assert_eq!(error.exit_code(), std::process::ExitCode::from(2));
            let text = error.to_string();
            assert!(text.starts_with("--store: "), "{text}");
            assert!(!text.contains("secret"), "{text}");
        }
    }

    #[test]
    fn paths_stay_paths() {
        for given in [
            "t.json",
            "./x",
            "/var/lib/bot/t.json",
            "./redis://x",
            "dir/a://b",
            "1a://b",
            "redis:/x",
            "redis",
        ] {
            assert_eq!(
                parse(given).expect(given),
                StoreSpec::File(Path::new(given))
            );
        }
        assert!(parse("").is_err());
        assert!(parse("  ").is_err());
    }
}
