//! JSON request bodies whose secret fields are recorded as they are written.

use std::fmt;

use bytes::Bytes;
use serde_json::{Map, Value};
use zeroize::{Zeroize, Zeroizing};

use crate::secrets::Secrets;

/// A JSON object to send. Fields written with [`secret`](Self::secret) are recorded, so
/// every error of the exchange is redacted of them. Its strings are wiped when it is
/// dropped or sent, and the serialized body is wiped when the request is done with it.
///
/// ```
/// use auth_provider::JsonBody;
///
/// let body = JsonBody::new()
///     .field("method", "api_key")
///     .object("details", JsonBody::new().secret("apiKey", "pk_live_123456"));
/// assert_eq!(body.to_json_string(), r#"{"details":{"apiKey":"pk_live_123456"},"method":"api_key"}"#);
/// assert!(!format!("{body:?}").contains("pk_live"));
/// ```
#[derive(Default, Clone)]
pub struct JsonBody {
    fields: Map<String, Value>,
    secrets: Secrets,
}

impl JsonBody {
    /// An empty object.
    pub fn new() -> Self {
        JsonBody::default()
    }

    /// A plain field.
    pub fn field(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.fields.insert(name.to_owned(), value.into());
        self
    }

    /// A field whose value is a secret (token, key, signature): recorded for redaction.
    pub fn secret(mut self, name: &str, value: &str) -> Self {
        self.secrets.record(value);
        self.fields
            .insert(name.to_owned(), Value::String(value.to_owned()));
        self
    }

    /// A nested object (its secrets are recorded too).
    pub fn object(mut self, name: &str, mut inner: JsonBody) -> Self {
        self.secrets.extend(std::mem::take(&mut inner.secrets));
        self.fields.insert(
            name.to_owned(),
            Value::Object(std::mem::take(&mut inner.fields)),
        );
        self
    }

    /// The serialized object.
    pub fn to_json_string(&self) -> String {
        Value::Object(self.fields.clone()).to_string()
    }

    /// The serialized body and the secrets it carries. The bytes live in a buffer that is
    /// wiped when the last copy of the request body is dropped, and are written into it
    /// without a reallocation (which would leave a copy behind in freed memory).
    pub(crate) fn into_parts(mut self) -> (Bytes, Secrets) {
        let object = Value::Object(std::mem::take(&mut self.fields));
        let mut counter = Counter(0);
        // Writing into a counter or a Vec cannot fail; an empty body would be refused.
        let _ = serde_json::to_writer(&mut counter, &object);
        let mut buffer = Zeroizing::new(Vec::with_capacity(counter.0));
        let _ = serde_json::to_writer(&mut *buffer, &object);
        wipe(object);
        let secrets = std::mem::take(&mut self.secrets);
        (Bytes::from_owner(buffer), secrets)
    }
}

/// Counts the bytes written to it.
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Wipes every string of a JSON value (secret fields are strings).
fn wipe(value: Value) {
    match value {
        Value::String(mut text) => text.zeroize(),
        Value::Array(items) => items.into_iter().for_each(wipe),
        Value::Object(map) => map.into_iter().for_each(|(_, v)| wipe(v)),
        _ => {}
    }
}

impl Drop for JsonBody {
    fn drop(&mut self) {
        wipe(Value::Object(std::mem::take(&mut self.fields)));
    }
}

impl fmt::Debug for JsonBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.fields.keys().map(String::as_str).collect();
        f.debug_struct("JsonBody")
            .field("fields", &names)
            .field("secrets", &self.secrets)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sent_bytes_are_the_json_and_the_secrets_are_recorded() {
        let body = JsonBody::new()
            .field("n", 1)
            .object("details", JsonBody::new().secret("apiKey", "pk_live_0001"));
        let (bytes, secrets) = body.into_parts();
        assert_eq!(
            bytes.as_ref(),
            br#"{"details":{"apiKey":"pk_live_0001"},"n":1}"#
        );
        assert_eq!(secrets.redact("x pk_live_0001"), "x <redacted>");
    }
}
