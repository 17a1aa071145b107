//! [`SiwxClientBuilder`]: the backend's shape (a [`Preset`] and changes to it), the
//! message fields, and the kit's client settings.

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use auth_provider::{ApiError, ClientConfig};

use super::{Inner, SiwxClient};
use crate::error::SiwxError;
use crate::safety::{authority_of, host_of, same_site};
use crate::settings::{
    DEFAULT_SESSION_LIFETIME, Endpoints, MessageTemplate, NonceSource, Preset, RefreshEndpoint,
    SessionFrom,
};
use crate::standard::Standard;

/// Builds a [`SiwxClient`]. Starts from [`Preset::Quickstart`]; every endpoint, field
/// name and message field can be changed.
#[derive(Debug)]
pub struct SiwxClientBuilder<S: Standard> {
    config: ClientConfig,
    endpoints: Endpoints,
    domain: Option<String>,
    uri: Option<String>,
    statement: Option<String>,
    chain_id: Option<String>,
    resources: Vec<String>,
    message_lifetime: Option<Duration>,
    session_lifetime: Duration,
    standard: PhantomData<S>,
}

impl<S: Standard> SiwxClient<S> {
    /// A builder for the backend at `base_url`, in the shape of [`Preset::Quickstart`].
    pub fn builder(base_url: impl Into<String>) -> SiwxClientBuilder<S> {
        let mut config = ClientConfig::new(S::NAME, "");
        config.set_base_url(base_url.into());
        SiwxClientBuilder {
            config,
            endpoints: Endpoints::of(Preset::Quickstart),
            domain: None,
            uri: None,
            statement: None,
            chain_id: None,
            resources: Vec::new(),
            message_lifetime: None,
            session_lifetime: DEFAULT_SESSION_LIFETIME,
            standard: PhantomData,
        }
    }
}

impl<S: Standard> SiwxClientBuilder<S> {
    /// Every endpoint and field name as `preset` has them (replacing earlier changes).
    pub fn preset(mut self, preset: Preset) -> Self {
        self.endpoints = Endpoints::of(preset);
        self
    }

    /// Where the nonce comes from.
    pub fn nonce(mut self, source: NonceSource) -> Self {
        self.endpoints.nonce = source;
        self
    }

    /// The nonce's path, keeping how its answer is read (plain text, or a JSON field; a
    /// caller-given nonce becomes a plain-text `GET` of `path`).
    pub fn nonce_path(mut self, path: impl Into<String>) -> Self {
        let path = path.into();
        self.endpoints.nonce =
            match std::mem::replace(&mut self.endpoints.nonce, NonceSource::Caller) {
                NonceSource::Json { field, .. } => NonceSource::Json { path, field },
                _ => NonceSource::Text { path },
            };
        self
    }

    /// Reads the nonce from this JSON field of its answer (a name or dotted path),
    /// keeping its path (`/nonce` for a caller-given nonce).
    pub fn nonce_field(mut self, field: impl Into<String>) -> Self {
        let field = field.into();
        self.endpoints.nonce =
            match std::mem::replace(&mut self.endpoints.nonce, NonceSource::Caller) {
                NonceSource::Text { path } | NonceSource::Json { path, .. } => {
                    NonceSource::Json { path, field }
                }
                _ => NonceSource::Json {
                    path: "/nonce".to_owned(),
                    field,
                },
            };
        self
    }

    /// The session comes back as this cookie.
    pub fn session_cookie(mut self, name: impl Into<String>) -> Self {
        self.endpoints.session = SessionFrom::Cookie { name: name.into() };
        self
    }

    /// The session comes back as a token in this JSON field (a name or dotted path),
    /// keeping the refresh-token and lifetime fields if the session was already JSON.
    pub fn token_field(mut self, field: impl Into<String>) -> Self {
        let token = field.into();
        self.endpoints.session = match std::mem::replace(
            &mut self.endpoints.session,
            SessionFrom::Cookie {
                name: String::new(),
            },
        ) {
            SessionFrom::Json {
                refresh_token,
                expires_in,
                ..
            } => SessionFrom::Json {
                token,
                refresh_token,
                expires_in,
            },
            SessionFrom::Cookie { .. } => SessionFrom::Json {
                token,
                refresh_token: None,
                expires_in: None,
            },
        };
        self
    }

    /// The JSON field holding the refresh token (the session becomes JSON, its token in
    /// `token` unless [`token_field`](Self::token_field) said otherwise).
    pub fn refresh_token_field(mut self, field: impl Into<String>) -> Self {
        let field = field.into();
        self.json_session(|refresh, _| *refresh = Some(field));
        self
    }

    /// The JSON field holding the session's lifetime in seconds (the session becomes
    /// JSON, as for [`refresh_token_field`](Self::refresh_token_field)).
    pub fn expires_in_field(mut self, field: impl Into<String>) -> Self {
        let field = field.into();
        self.json_session(|_, expires| *expires = Some(field));
        self
    }

    /// Changes a JSON session's refresh-token and lifetime fields, turning a cookie
    /// session into a JSON one first.
    fn json_session(&mut self, change: impl FnOnce(&mut Option<String>, &mut Option<String>)) {
        let placeholder = SessionFrom::Cookie {
            name: String::new(),
        };
        let (token, mut refresh, mut expires) =
            match std::mem::replace(&mut self.endpoints.session, placeholder) {
                SessionFrom::Json {
                    token,
                    refresh_token,
                    expires_in,
                } => (token, refresh_token, expires_in),
                SessionFrom::Cookie { .. } => ("token".to_owned(), None, None),
            };
        change(&mut refresh, &mut expires);
        self.endpoints.session = SessionFrom::Json {
            token,
            refresh_token: refresh,
            expires_in: expires,
        };
    }

    /// The login endpoint (`POST`).
    pub fn login_path(mut self, path: impl Into<String>) -> Self {
        self.endpoints.login_path = path.into();
        self
    }

    /// The login body's field names (default `message` and `signature`).
    pub fn body_fields(mut self, message: impl Into<String>, signature: impl Into<String>) -> Self {
        self.endpoints.message_field = message.into();
        self.endpoints.signature_field = signature.into();
        self
    }

    /// Where the session comes back (a cookie, or JSON fields).
    pub fn session(mut self, from: SessionFrom) -> Self {
        self.endpoints.session = from;
        self
    }

    /// A refresh endpoint: `POST <path>` with `{<field>: <refresh token>}`.
    pub fn refresh(mut self, path: impl Into<String>, field: impl Into<String>) -> Self {
        self.endpoints.refresh = Some(RefreshEndpoint {
            path: path.into(),
            field: field.into(),
        });
        self
    }

    /// No refresh endpoint: sessions sign in again.
    pub fn no_refresh(mut self) -> Self {
        self.endpoints.refresh = None;
        self
    }

    /// A logout endpoint (`POST`, with the session's cookie or bearer token, and the
    /// refresh token when there is one and a refresh endpoint names its field).
    pub fn logout_path(mut self, path: impl Into<String>) -> Self {
        self.endpoints.logout_path = Some(path.into());
        self
    }

    /// No logout endpoint: logging out forgets the session locally only.
    pub fn no_logout(mut self) -> Self {
        self.endpoints.logout_path = None;
        self
    }

    /// The domain the messages name: an RFC 3986 authority (`host[:port]`). Default: the
    /// base URL's. `build` refuses a domain of another site than the base URL's (equal, a
    /// parent or subdomain, or a sibling under a shared parent of two labels or more).
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = Some(domain.into());
        self
    }

    /// The URI the messages name. Default: the base URL. Checked like the domain.
    pub fn uri(mut self, uri: impl Into<String>) -> Self {
        self.uri = Some(uri.into());
        self
    }

    /// The human-readable statement (one line). Default: none.
    pub fn statement(mut self, statement: impl Into<String>) -> Self {
        self.statement = Some(statement.into());
        self
    }

    /// The chain id: a decimal EIP-155 id for SIWE (default `1`), a name such as
    /// `mainnet` or `solana:devnet` for SIWS (default `mainnet`).
    pub fn chain_id(mut self, chain_id: impl ToString) -> Self {
        self.chain_id = Some(chain_id.to_string());
        self
    }

    /// Adds a resource (a URI) the sign-in grants access to.
    pub fn resource(mut self, uri: impl Into<String>) -> Self {
        self.resources.push(uri.into());
        self
    }

    /// How long a signed message is valid: its `Expiration Time` after its `Issued At`.
    /// Default `None`: no expiration time (the nonce is single use either way). Some
    /// backends end the session at the message's expiration time: keep it longer than
    /// the session you want.
    pub fn message_lifetime(mut self, lifetime: Option<Duration>) -> Self {
        self.message_lifetime = lifetime;
        self
    }

    /// The lifetime assumed for a session whose answer says none (default
    /// [`DEFAULT_SESSION_LIFETIME`]): a session renews after it, or on a 401.
    pub fn session_lifetime(mut self, lifetime: Duration) -> Self {
        self.session_lifetime = lifetime;
        self
    }

    auth_provider::client_config_setters!(config);

    /// Builds the client: checks the base URL, and that the domain and URI are of the
    /// base URL's site and the chain id fits the standard.
    pub fn build(self) -> Result<SiwxClient<S>, SiwxError> {
        let api = self.config.build()?;
        let config_error = |setting: &'static str, reason: String| ApiError::Config {
            api: S::NAME,
            setting,
            reason,
        };
        let base = authority_of(api.base_url())
            .ok_or_else(|| config_error("base URL", "it has no host".to_owned()))?;
        let base_host = host_of(&base);
        let domain = self.domain.unwrap_or_else(|| base.clone());
        if domain.is_empty() || domain.contains(|c: char| c.is_whitespace() || c == '/') {
            return Err(config_error(
                "domain",
                "a domain is an authority such as `example.com` or `127.0.0.1:8080`, without scheme, path or spaces".to_owned(),
            )
            .into());
        }
        if !same_site(&host_of(&domain), &base_host) {
            return Err(config_error(
                "domain",
                format!("`{domain}` is another site than the base URL's `{base_host}`: a message for it would sign in elsewhere"),
            )
            .into());
        }
        let uri = self.uri.unwrap_or_else(|| api.base_url().to_owned());
        if let Some(uri_host) = authority_of(&uri).map(|a| host_of(&a))
            && !same_site(&uri_host, &base_host)
        {
            return Err(config_error(
                "uri",
                format!("`{uri}` is another site than the base URL's `{base_host}`"),
            )
            .into());
        }
        let chain_id = self
            .chain_id
            .unwrap_or_else(|| S::DEFAULT_CHAIN_ID.to_owned());
        if S::NUMERIC_CHAIN_ID && chain_id.parse::<u64>().is_err() {
            return Err(config_error(
                "chain id",
                format!("`{chain_id}` is not a decimal EIP-155 chain id (1 is Ethereum mainnet)"),
            )
            .into());
        }
        if let Some(statement) = &self.statement
            && statement.contains('\n')
        {
            return Err(
                config_error("statement", "it is one line: no line breaks".to_owned()).into(),
            );
        }
        Ok(SiwxClient {
            inner: Arc::new(Inner {
                api,
                endpoints: self.endpoints,
                template: MessageTemplate {
                    domain,
                    uri,
                    statement: self.statement,
                    chain_id,
                    resources: self.resources,
                    lifetime: self.message_lifetime,
                },
                session_lifetime: self.session_lifetime,
            }),
            standard: PhantomData,
        })
    }
}
