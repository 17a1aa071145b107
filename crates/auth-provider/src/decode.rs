//! Decoding a provider's JSON answers: errors name the field, never quote a value.

use auth_types::escape_unprintable_cut;
use serde::de::DeserializeOwned;

/// How many characters of a field's path (and of the problem) an error shows.
const SHOWN_CHARS: usize = 200;

/// Why a response body did not decode into the expected type. Names the field; never
/// quotes a value from the body (it may hold a token).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The body is not JSON.
    #[error("response body is not JSON ({reason})")]
    NotJson {
        /// Where the syntax broke (line and column).
        reason: String,
    },
    /// A field is missing or of the wrong type.
    #[error("response field `{path}`: {problem}")]
    Field {
        /// The path of the field, like `user.id` (`.` for the whole body). Keys the
        /// server chose are shown with unprintable characters escaped
        /// ([`auth_types::escape_unprintable`]), the path cut at 200 characters.
        path: String,
        /// What is wrong, without the value.
        problem: String,
    },
}

/// Decodes a JSON body into `T`.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Tokens { #[serde(rename = "accessToken")] access_token: String, #[serde(rename = "expiresIn")] expires_in: u64 }
///
/// let body = br#"{"accessToken": "eyJ-secret", "expiresIn": "soon"}"#;
/// let err = auth_provider::decode_json::<Tokens>(body).err().unwrap();
/// assert_eq!(err.to_string(), "response field `expiresIn`: wrong type or value, expected u64");
/// assert!(!err.to_string().contains("soon"));
/// ```
pub fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        // A map's keys are the server's text: escaped, and cut.
        let path = escape_unprintable_cut(&e.path().to_string(), SHOWN_CHARS);
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return DecodeError::NotJson {
                reason: format!("line {} column {}", inner.line(), inner.column()),
            };
        }
        DecodeError::Field {
            path,
            // From the type, not the body; escaped all the same, should a type's own
            // error message quote what it was given.
            problem: escape_unprintable_cut(
                &sanitize(&inner.to_string(), inner.line(), inner.column()),
                SHOWN_CHARS,
            ),
        }
    })?;
    deserializer.end().map_err(|e| DecodeError::NotJson {
        reason: format!(
            "trailing characters at line {} column {}",
            e.line(),
            e.column()
        ),
    })?;
    Ok(value)
}

/// Keeps the parts of a serde message that describe the type, dropping any quoted value.
///
/// A quoted value may itself contain ` at line ` or `, expected `, so the position is cut
/// off as the exact suffix serde_json adds, and the type's expectation is taken after the
/// last `, expected ` (it comes from the type, never from the body).
fn sanitize(message: &str, line: usize, column: usize) -> String {
    let position = format!(" at line {line} column {column}");
    let message = message.strip_suffix(&position).unwrap_or(message);
    if message.starts_with("missing field") || message.starts_with("duplicate field") {
        return message.to_owned();
    }
    match message.rfind(", expected ") {
        Some(at) => format!("wrong type or value, {}", &message[at + 2..]),
        None => "invalid value".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct User {
        id: String,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Login {
        token: String,
        user: User,
    }

    #[test]
    fn decode_errors_name_the_path_and_hide_values() {
        let err =
            decode_json::<Login>(br#"{"token": "secret-jwt", "user": {"id": 12345}}"#).unwrap_err();
        assert_eq!(
            err,
            DecodeError::Field {
                path: "user.id".into(),
                problem: "wrong type or value, expected a string".into()
            }
        );
        assert!(!err.to_string().contains("12345"));
        let err = decode_json::<Login>(br#"{"user": {"id": "x"}}"#).unwrap_err();
        assert_eq!(err.to_string(), "response field `.`: missing field `token`");
        let err = decode_json::<Login>(br#"{"token": 7, "user": {"id": "x"}}"#).unwrap_err();
        assert!(matches!(err, DecodeError::Field { ref path, .. } if path == "token"));
        assert!(!err.to_string().contains('7'));
        assert!(matches!(
            decode_json::<Login>(b"<html>"),
            Err(DecodeError::NotJson { .. })
        ));
        assert!(matches!(
            decode_json::<Login>(br#"{"token":"a","user":{"id":"b"}} x"#),
            Err(DecodeError::NotJson { .. })
        ));
    }
}
