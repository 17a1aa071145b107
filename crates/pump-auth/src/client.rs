//! The pump.fun auth API client.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use auth_provider::{Answer, ApiClient, ApiError, ClientConfig, JsonBody};
use auth_signing::SolanaSigner;
use auth_transport::http::HeaderValue;
use auth_transport::http::header::{ORIGIN, SET_COOKIE};
use auth_types::{AccessToken, Clock};
use serde::Deserialize;

use crate::error::PumpError;

/// The name errors give the API.
pub(crate) const API: &str = "pump.fun";

/// pump.fun's production API.
pub const DEFAULT_BASE_URL: &str = "https://frontend-api-v3.pump.fun";
/// The `Origin` pump.fun's API requires.
pub const DEFAULT_ORIGIN: &str = "https://pump.fun";
/// The sign-in text; the unix time in milliseconds follows.
pub const MESSAGE_PREFIX: &str = "Sign in to pump.fun: ";

/// Makes the text to sign from the unix time in milliseconds.
pub type MessageSource = Arc<dyn Fn(u64) -> String + Send + Sync>;

/// Which body `POST /auth/login` sends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoginFormat {
    /// `{wallet, signature, message}`, answered with `{token, expiresIn, user}`: the
    /// documented API.
    #[default]
    Documented,
    /// `{address, signature, timestamp}`, answered with an `auth_token` cookie: what the
    /// live site has been seen doing.
    Observed,
}

/// A pump.fun user, as the API describes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct PumpUser {
    /// The user's id.
    #[serde(default)]
    pub id: Option<String>,
    /// The wallet (base58 public key).
    pub wallet: String,
    /// The display name.
    #[serde(default)]
    pub username: Option<String>,
}

/// A successful login.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PumpLogin {
    /// The JWT for pump.fun's API.
    pub token: AccessToken,
    /// How long it lives from receipt: the earlier of `expiresIn` and the JWT's `exp`,
    /// whichever are present.
    pub expires_in: Option<Duration>,
    /// The user, when the answer includes it.
    pub user: Option<PumpUser>,
}

/// A client of pump.fun's auth API. Cheap to clone; `Send + Sync`.
///
/// ```no_run
/// use auth_signing::solana::SolanaKeypair;
/// use pump_auth::PumpClient;
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let keypair = SolanaKeypair::from_keypair_json(&std::fs::read_to_string("id.json")?)?;
/// let client = PumpClient::new()?;
/// let login = client.login(&keypair).await?;
/// let me = client.profile(&login.token).await?;
/// client.logout(&login.token).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct PumpClient {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    api: ApiClient,
    origin: HeaderValue,
    message_source: CustomSource,
    format: LoginFormat,
}

/// A custom sign-in text, if one was set (`Debug` says only whether).
#[derive(Clone, Default)]
struct CustomSource(Option<MessageSource>);

impl fmt::Debug for CustomSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "custom"
        } else {
            "standard"
        })
    }
}

/// Builds a [`PumpClient`].
#[derive(Debug)]
pub struct PumpClientBuilder {
    format: LoginFormat,
    message_source: CustomSource,
    origin: String,
    config: ClientConfig,
}

impl PumpClientBuilder {
    /// The login body format (default [`LoginFormat::Documented`]).
    pub fn login_format(mut self, format: LoginFormat) -> Self {
        self.format = format;
        self
    }

    /// Replaces the sign-in text: receives the unix time in milliseconds. (The observed
    /// login format always signs the standard text, since it sends only the time.)
    pub fn message_source(
        mut self,
        source: impl Fn(u64) -> String + Send + Sync + 'static,
    ) -> Self {
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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LoginBody {
    #[serde(default)]
    token: Option<AccessToken>,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    user: Option<PumpUser>,
}

impl PumpClient {
    /// A client with every default: production URL, `Origin: https://pump.fun`, reqwest.
    pub fn new() -> Result<PumpClient, PumpError> {
        PumpClient::builder().build()
    }

    /// A builder starting from the defaults.
    pub fn builder() -> PumpClientBuilder {
        PumpClientBuilder {
            config: ClientConfig::new(API, DEFAULT_BASE_URL),
            origin: DEFAULT_ORIGIN.to_owned(),
            message_source: CustomSource::default(),
            format: LoginFormat::Documented,
        }
    }

    /// The base URL in use.
    pub fn base_url(&self) -> &str {
        self.inner.api.base_url()
    }

    /// The `Origin` every request carries (default [`DEFAULT_ORIGIN`]).
    pub fn origin(&self) -> &HeaderValue {
        &self.inner.origin
    }

    /// The text to sign now: `Sign in to pump.fun: <unix ms>` (or the custom source's).
    pub fn sign_in_message(&self) -> String {
        let now = self.inner.api.clock().unix_millis();
        match &self.inner.message_source.0 {
            Some(source) => source(now),
            None => format!("{MESSAGE_PREFIX}{now}"),
        }
    }

    /// Signs the sign-in message with `signer` and logs in.
    pub async fn login(&self, signer: &dyn SolanaSigner) -> Result<PumpLogin, PumpError> {
        let wallet = signer.pubkey();
        tracing::trace!(target: "pump_auth", %wallet, format = ?self.inner.format, "signing in");
        let body = match self.inner.format {
            LoginFormat::Documented => {
                let message = self.sign_in_message();
                let signature = sign(signer, &message).await?;
                JsonBody::new()
                    .field("wallet", wallet.to_base58())
                    .secret("signature", &signature)
                    .field("message", message)
            }
            LoginFormat::Observed => {
                let millis = self.inner.api.clock().unix_millis();
                let signature = sign(signer, &format!("{MESSAGE_PREFIX}{millis}")).await?;
                JsonBody::new()
                    .field("address", wallet.to_base58())
                    .secret("signature", &signature)
                    .field("timestamp", millis)
            }
        };
        let answer = self.inner.api.post("/auth/login").json(body).send().await?;
        let parsed: LoginBody = answer.json()?;
        let token = match parsed.token {
            Some(t) => t,
            None => cookie_token(&answer).ok_or(PumpError::NoToken {
                status: answer.status(),
            })?,
        };
        // Whole seconds, as `exp` and `expiresIn` are written.
        let now = self.inner.api.clock().unix_seconds();
        let from_jwt = auth_session::jwt_expiry(token.expose_secret())
            .and_then(|exp| exp.duration_since(UNIX_EPOCH).ok())
            .map(|exp| Duration::from_secs(exp.as_secs().saturating_sub(now)));
        let from_body = parsed.expires_in.map(Duration::from_secs);
        let expires_in = match (from_body, from_jwt) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Ok(PumpLogin {
            token,
            expires_in,
            user: parsed.user,
        })
    }

    /// `POST /auth/logout`: the token is dead afterwards.
    pub async fn logout(&self, token: &AccessToken) -> Result<(), PumpError> {
        self.inner
            .api
            .post("/auth/logout")
            .bearer(token)
            .send()
            .await?;
        Ok(())
    }

    /// `GET /auth/my-profile`.
    pub async fn profile(&self, token: &AccessToken) -> Result<PumpUser, PumpError> {
        Ok(self
            .inner
            .api
            .get("/auth/my-profile")
            .bearer(token)
            .send_json()
            .await?)
    }
}

async fn sign(signer: &dyn SolanaSigner, message: &str) -> Result<String, PumpError> {
    let signature = signer
        .sign_message(message.as_bytes())
        .await
        .map_err(|source| ApiError::Signer { source })?;
    Ok(signature.to_base58())
}

/// The `auth_token` cookie of a response, if set.
fn cookie_token(answer: &Answer) -> Option<AccessToken> {
    answer
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|cookie| {
            let first = cookie.split(';').next()?.trim();
            first
                .strip_prefix("auth_token=")
                .filter(|t| !t.is_empty())
                .map(AccessToken::new)
        })
}
