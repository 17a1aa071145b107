//! [`PumpClientBuilder`]: the login format, the message source, the `Origin` and the
//! kit's client settings.

use std::sync::Arc;

use auth_provider::{ApiError, ClientConfig};
use auth_transport::http::header::ORIGIN;

use super::format::LoginFormat;
use super::{API, CustomSource, DEFAULT_BASE_URL, DEFAULT_ORIGIN, Inner, PumpClient};
use crate::error::PumpError;
use crate::message::MessageSource;

/// Builds a [`PumpClient`].
#[derive(Debug)]
pub struct PumpClientBuilder {
    format: LoginFormat,
    message_source: CustomSource,
    origin: String,
    config: ClientConfig,
}

impl PumpClient {
    /// A builder starting from the defaults.
    pub fn builder() -> PumpClientBuilder {
        PumpClientBuilder {
            config: ClientConfig::new(API, DEFAULT_BASE_URL).with_quota(auth_provider::Quota::PUMP),
            origin: DEFAULT_ORIGIN.to_owned(),
            message_source: CustomSource::default(),
            format: LoginFormat::Documented,
        }
    }
}

impl PumpClientBuilder {
    /// The login request to send (default [`LoginFormat::Documented`]).
    pub fn login_format(mut self, format: LoginFormat) -> Self {
        self.format = format;
        self
    }

    /// Where the text to sign comes from (default: `Sign in to pump.fun: <unix ms>`, made
    /// locally): a function of the unix time in milliseconds, or any [`MessageSource`],
    /// which may fetch it. Only the documented format sends the text; the cookie and
    /// token formats send only the time, so `build` refuses a custom source with them.
    pub fn message_source(mut self, source: impl MessageSource + 'static) -> Self {
        self.message_source = CustomSource(Some(Arc::new(source)));
        self
    }

    /// The `Origin` header (default [`DEFAULT_ORIGIN`]).
    pub fn origin(mut self, origin: impl Into<String>) -> Self {
        self.origin = origin.into();
        self
    }

    auth_provider::client_config_setters!(config);

    /// Builds the client.
    pub fn build(mut self) -> Result<PumpClient, PumpError> {
        if self.message_source.0.is_some() && self.format != LoginFormat::Documented {
            return Err(ApiError::Config {
                api: API,
                setting: "message_source",
                reason: format!(
                    "the {} login format sends only the time, so pump.fun checks the standard text; \
                     a custom message source works only with the documented format",
                    self.format
                ),
            }
            .into());
        }
        let origin = self.config.default_header(ORIGIN, &self.origin, "origin")?;
        Ok(PumpClient {
            inner: Arc::new(Inner {
                api: self.config.build()?,
                origin,
                message_source: self.message_source,
                format: self.format,
            }),
        })
    }
}
