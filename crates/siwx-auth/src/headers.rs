//! The headers that carry a session: the session cookie in a `Cookie` header, or the
//! token as `Authorization: Bearer`, as the client's [`SessionFrom`] says.

use auth_provider::ApiError;
use auth_transport::http::header::{AUTHORIZATION, COOKIE};
use auth_transport::http::{HeaderMap, HeaderValue};
use auth_types::AccessToken;

use crate::error::SiwxError;
use crate::settings::SessionFrom;
use crate::standard::Standard;

/// Puts `session` into `headers` as `from` says.
pub(crate) fn authorize_headers<S: Standard>(
    headers: &mut HeaderMap,
    from: &SessionFrom,
    session: &AccessToken,
) -> Result<(), SiwxError> {
    match from {
        SessionFrom::Cookie { name } => {
            let existing = headers
                .get(COOKIE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let value = cookie_header(
                S::NAME,
                existing.as_deref(),
                &[(name.clone(), session.clone())],
            )?;
            headers.insert(COOKIE, value);
        }
        SessionFrom::Json { .. } => {
            headers.insert(
                AUTHORIZATION,
                auth_provider::bearer_header(S::NAME, session)?,
            );
        }
    }
    Ok(())
}

/// A `Cookie` header of `existing` (its pairs of other names kept) and `cookies`, marked
/// sensitive.
pub(crate) fn cookie_header(
    api: &'static str,
    existing: Option<&str>,
    cookies: &[(String, AccessToken)],
) -> Result<HeaderValue, ApiError> {
    let mut pairs: Vec<String> = existing
        .unwrap_or_default()
        .split(';')
        .map(str::trim)
        .filter(|pair| {
            !pair.is_empty()
                && !cookies
                    .iter()
                    .any(|(name, _)| pair.split('=').next() == Some(name.as_str()))
        })
        .map(str::to_owned)
        .collect();
    for (name, value) in cookies {
        pairs.push(format!("{name}={}", value.expose_secret()));
    }
    let mut value =
        HeaderValue::from_str(&pairs.join("; ")).map_err(|_| ApiError::InvalidHeader {
            api,
            header: "cookie",
        })?;
    value.set_sensitive(true);
    Ok(value)
}
