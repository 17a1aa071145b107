//! JSON request bodies whose secret fields are recorded as they are written.

use std::fmt;

use serde_json::{Map, Value};

use crate::secrets::Secrets;

/// A JSON object to send. Fields written with [`secret`](Self::secret) are recorded, so
/// every error of the exchange is redacted of them.
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
    pub fn object(mut self, name: &str, inner: JsonBody) -> Self {
        self.secrets.extend(inner.secrets);
        self.fields
            .insert(name.to_owned(), Value::Object(inner.fields));
        self
    }

    /// The serialized object.
    pub fn to_json_string(&self) -> String {
        Value::Object(self.fields.clone()).to_string()
    }

    pub(crate) fn into_parts(self) -> (Vec<u8>, Secrets) {
        (
            Value::Object(self.fields).to_string().into_bytes(),
            self.secrets,
        )
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
