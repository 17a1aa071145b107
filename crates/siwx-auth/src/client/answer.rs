//! Reading a login answer: the session from a cookie or JSON fields, its lifetime, and a
//! refresh token if any ([`SiwxLogin`]).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use auth_provider::Answer;
use auth_transport::http::header::SET_COOKIE;
use auth_types::{AccessToken, RefreshToken};
use serde_json::Value;

use crate::error::{SiwxError, SiwxFailure};
use crate::settings::SessionFrom;

/// A successful login (or refresh).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SiwxLogin {
    /// The session: the cookie's value, or the access token.
    pub token: AccessToken,
    /// The refresh token, when the backend hands one out.
    pub refresh_token: Option<RefreshToken>,
    /// How long the session lives from receipt, when the answer says (the cookie's
    /// `Max-Age` or `Expires`; the earlier of `expiresIn` and the JWT's `exp`).
    pub expires_in: Option<Duration>,
}

/// The value at `path` (a field name, or names joined by dots) of a JSON value.
pub(super) fn json_at<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    if let Some(found) = value.get(path) {
        return Some(found);
    }
    path.split('.').try_fold(value, |v, name| v.get(name))
}

/// The `name=value` pairs of an answer's `Set-Cookie` headers, in order, without
/// attributes; cookies being deleted (empty, `Max-Age=0`) are left out.
pub(super) fn set_cookies(answer: &Answer) -> Vec<(String, AccessToken)> {
    answer
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|line| {
            let cookie = Cookie::parse(line, SystemTime::now())?;
            (cookie.lifetime != Some(Duration::ZERO) && !cookie.value.is_empty())
                .then(|| (cookie.name.to_owned(), AccessToken::new(cookie.value)))
        })
        .collect()
}

/// One `Set-Cookie` line, read.
struct Cookie<'a> {
    name: &'a str,
    value: &'a str,
    /// From `Max-Age` (preferred) or `Expires`; zero for a cookie already expired.
    lifetime: Option<Duration>,
}

impl<'a> Cookie<'a> {
    fn parse(line: &'a str, now: SystemTime) -> Option<Cookie<'a>> {
        let mut parts = line.split(';');
        let (name, value) = parts.next()?.split_once('=')?;
        let (mut max_age, mut expires) = (None, None);
        for attribute in parts {
            let (key, val) = attribute.split_once('=').unwrap_or((attribute, ""));
            let (key, val) = (key.trim(), val.trim());
            if key.eq_ignore_ascii_case("max-age") {
                max_age = val
                    .parse::<i64>()
                    .ok()
                    .map(|secs| Duration::from_secs(secs.max(0).unsigned_abs()));
            } else if key.eq_ignore_ascii_case("expires") {
                expires = httpdate::parse_http_date(val)
                    .ok()
                    .map(|at| at.duration_since(now).unwrap_or(Duration::ZERO));
            }
        }
        Some(Cookie {
            name: name.trim(),
            value: value.trim().trim_matches('"'),
            lifetime: max_age.or(expires),
        })
    }
}

/// The session of a login or refresh answer, as `from` says where it is. A cookie may
/// also have been set by the nonce's answer (`earlier`): a backend that keeps the nonce
/// in its session cookie need not set it again when the login upgrades that session.
pub(super) fn read_login(
    api: &'static str,
    answer: &Answer,
    from: &SessionFrom,
    earlier: &[(String, AccessToken)],
    now: SystemTime,
) -> Result<SiwxLogin, SiwxError> {
    match from {
        SessionFrom::Cookie { name } => {
            let fresh = answer
                .headers()
                .get_all(SET_COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .filter_map(|line| Cookie::parse(line, now))
                .find(|c| c.name == name.as_str() && !c.value.is_empty());
            let (token, expires_in) = match fresh {
                Some(cookie) if cookie.lifetime == Some(Duration::ZERO) => {
                    return Err(no_session(
                        api,
                        answer,
                        format!("cookie {name} (it was deleted)"),
                    ));
                }
                Some(cookie) => (AccessToken::new(cookie.value), cookie.lifetime),
                None => match earlier.iter().find(|(n, _)| n == name) {
                    Some((_, token)) => (token.clone(), None),
                    None => return Err(no_session(api, answer, format!("cookie {name}"))),
                },
            };
            Ok(SiwxLogin {
                token,
                refresh_token: None,
                expires_in,
            })
        }
        SessionFrom::Json {
            token,
            refresh_token,
            expires_in,
        } => {
            let body: Value = answer.json()?;
            let Some(access) = json_at(&body, token)
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
            else {
                return Err(no_session(api, answer, format!("JSON field {token}")));
            };
            let access = AccessToken::new(access);
            let refresh = refresh_token
                .as_deref()
                .and_then(|field| json_at(&body, field))
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
                .map(RefreshToken::new);
            let from_body = expires_in
                .as_deref()
                .and_then(|field| json_at(&body, field))
                .and_then(whole_seconds);
            let from_jwt = auth_session::jwt_expiry(access.expose_secret()).map(|exp| {
                let now = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
                let exp = exp.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
                Duration::from_secs(exp.saturating_sub(now))
            });
            let expires_in = match (from_body, from_jwt) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            Ok(SiwxLogin {
                token: access,
                refresh_token: refresh,
                expires_in,
            })
        }
    }
}

fn no_session(api: &'static str, answer: &Answer, expected: String) -> SiwxError {
    SiwxFailure::NoSession {
        api,
        status: answer.status(),
        expected,
    }
    .into()
}

/// Whole seconds of a lifetime given as a non-negative number or a decimal string.
fn whole_seconds(value: &Value) -> Option<Duration> {
    if let Some(secs) = value.as_u64() {
        return Some(Duration::from_secs(secs));
    }
    if let Some(text) = value.as_str() {
        return text.trim().parse::<u64>().ok().map(Duration::from_secs);
    }
    let secs = value.as_f64()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs(secs.min(u64::MAX as f64) as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_read_their_lifetime() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let c = Cookie::parse("connect.sid=s%3Aabc; Path=/; Max-Age=3600; HttpOnly", now);
        let c = c.expect("a cookie");
        assert_eq!((c.name, c.value), ("connect.sid", "s%3Aabc"));
        assert_eq!(c.lifetime, Some(Duration::from_secs(3600)));
        let gone = Cookie::parse("sid=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT", now);
        assert_eq!(gone.and_then(|c| c.lifetime), Some(Duration::ZERO));
        let plain = Cookie::parse("sid=\"quoted\"", now).expect("a cookie");
        assert_eq!((plain.value, plain.lifetime), ("quoted", None));
        assert!(Cookie::parse("no pair here", now).is_none());
        let negative = Cookie::parse("sid=x; max-age=-5", now).expect("a cookie");
        assert_eq!(negative.lifetime, Some(Duration::ZERO));
    }

    #[test]
    fn dotted_paths() {
        let v: Value = serde_json::json!({"data": {"token": "t"}, "a.b": 1});
        assert_eq!(json_at(&v, "data.token"), Some(&Value::from("t")));
        assert_eq!(json_at(&v, "a.b"), Some(&Value::from(1)));
        assert_eq!(json_at(&v, "data.none"), None);
    }

    #[test]
    fn lifetimes_in_many_shapes() {
        assert_eq!(
            whole_seconds(&Value::from(90)),
            Some(Duration::from_secs(90))
        );
        assert_eq!(
            whole_seconds(&Value::from("90")),
            Some(Duration::from_secs(90))
        );
        assert_eq!(
            whole_seconds(&Value::from(1.9)),
            Some(Duration::from_secs(1))
        );
        assert_eq!(whole_seconds(&Value::from(-1)), None);
        assert_eq!(whole_seconds(&Value::from("soon")), None);
    }
}
