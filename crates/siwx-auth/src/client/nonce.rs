//! The nonce: fetched from the backend as its [`NonceSource`] says (or given by the
//! caller), checked before it goes into a message, with any cookies its answer set (a
//! backend such as spruceid's quickstart keeps the nonce in a session cookie and expects
//! it back with the login).

use auth_provider::{Answer, DecodeError};
use auth_types::AccessToken;
use serde_json::Value;

use super::SiwxClient;
use super::answer::{json_at, set_cookies};
use crate::error::{SiwxError, SiwxFailure};
use crate::safety::check_nonce;
use crate::settings::NonceSource;
use crate::standard::Standard;

/// A checked nonce and the cookies the backend set with it.
pub(super) struct Nonce {
    pub(super) value: String,
    pub(super) cookies: Vec<(String, AccessToken)>,
}

impl<S: Standard> SiwxClient<S> {
    /// A fresh nonce from the backend, checked: 8 to 128 ASCII letters and digits (a
    /// nonce that could carry other text into the message is refused). For signing
    /// elsewhere; [`login`](SiwxClient::login) fetches its own.
    ///
    /// A backend that keeps the nonce in a session cookie will not accept a login without
    /// that cookie: with such a backend, let `login` fetch the nonce.
    pub async fn nonce(&self) -> Result<String, SiwxError> {
        Ok(self.fetch_nonce().await?.value)
    }

    /// The nonce from the client's source, with the cookies its answer set.
    pub(super) async fn fetch_nonce(&self) -> Result<Nonce, SiwxError> {
        let (path, field) = match &self.inner.endpoints.nonce {
            NonceSource::Text { path } => (path, None),
            NonceSource::Json { path, field } => (path, Some(field)),
            NonceSource::Caller => {
                return Err(SiwxFailure::NonceRequired { api: S::NAME }.into());
            }
        };
        let answer = self.inner.api.get(path).send().await?;
        let value = match field {
            None => text_nonce(&answer)?,
            Some(field) => json_nonce(&answer, field)?,
        };
        self.checked_nonce(&value)?;
        Ok(Nonce {
            value,
            cookies: set_cookies(&answer),
        })
    }

    /// `nonce` if it may go into a message.
    pub(super) fn checked_nonce(&self, nonce: &str) -> Result<(), SiwxError> {
        check_nonce(nonce).map_err(|reason| {
            SiwxFailure::InvalidNonce {
                api: S::NAME,
                reason,
            }
            .into()
        })
    }
}

/// The whole body as text, trimmed.
fn text_nonce(answer: &Answer) -> Result<String, SiwxError> {
    let text = std::str::from_utf8(answer.body()).map_err(|_| {
        answer.malformed(DecodeError::Field {
            path: ".".to_owned(),
            problem: "the nonce is not UTF-8 text".to_owned(),
        })
    })?;
    Ok(text.trim().to_owned())
}

/// The string at `field` of a JSON body.
fn json_nonce(answer: &Answer, field: &str) -> Result<String, SiwxError> {
    let body: Value = answer.json()?;
    match json_at(&body, field) {
        Some(Value::String(nonce)) => Ok(nonce.clone()),
        found => Err(answer
            .malformed(DecodeError::Field {
                path: field.to_owned(),
                problem: if found.is_some() {
                    "the nonce is not a string".to_owned()
                } else {
                    "missing: no nonce there".to_owned()
                },
            })
            .into()),
    }
}
