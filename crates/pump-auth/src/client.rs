//! The pump.fun auth API client.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use auth_signing::SolanaSigner;
use auth_transport::http::header::{ACCEPT, AUTHORIZATION, HeaderValue, ORIGIN, SET_COOKIE};
use auth_transport::http::{Method, Request, Response, Uri};
use auth_transport::{
    HttpTransport, ServerError, UrlPolicy, bytes::Bytes, decode_json, json_request,
};
use auth_types::AccessToken;
use serde::Deserialize;
use serde_json::json;

use crate::error::PumpError;
use crate::jwt;

/// pump.fun's production API.
pub const DEFAULT_BASE_URL: &str = "https://frontend-api-v3.pump.fun";
/// The `Origin` pump.fun's API requires.
pub const DEFAULT_ORIGIN: &str = "https://pump.fun";
/// The sign-in text; the unix time in milliseconds follows.
pub const MESSAGE_PREFIX: &str = "Sign in to pump.fun: ";

/// The unix time in milliseconds, from an injectable clock.
pub type MillisClock = Arc<dyn Fn() -> u64 + Send + Sync>;
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
#[derive(Clone)]
pub struct PumpClient {
    inner: Arc<Inner>,
}

struct Inner {
    base_url: String,
    origin: HeaderValue,
    transport: Arc<dyn HttpTransport>,
    clock: MillisClock,
    message_source: Option<MessageSource>,
    format: LoginFormat,
}

impl fmt::Debug for PumpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PumpClient")
            .field("base_url", &self.inner.base_url)
            .field("origin", &self.inner.origin)
            .field("format", &self.inner.format)
            .field("transport", &self.inner.transport)
            .finish_non_exhaustive()
    }
}

/// Builds a [`PumpClient`].
pub struct PumpClientBuilder {
    base_url: String,
    origin: String,
    transport: Option<Arc<dyn HttpTransport>>,
    allow_insecure_http: bool,
    clock: Option<MillisClock>,
    message_source: Option<MessageSource>,
    format: LoginFormat,
}

impl fmt::Debug for PumpClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PumpClientBuilder")
            .field("base_url", &self.base_url)
            .field("origin", &self.origin)
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

impl PumpClientBuilder {
    /// The API's base URL (default [`DEFAULT_BASE_URL`]); `http://` only to loopback
    /// unless [`allow_insecure_http`](Self::allow_insecure_http).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The `Origin` header (default [`DEFAULT_ORIGIN`]).
    pub fn origin(mut self, origin: impl Into<String>) -> Self {
        self.origin = origin.into();
        self
    }

    /// The transport (default: reqwest with the `reqwest` feature).
    pub fn transport(mut self, transport: impl HttpTransport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// A shared transport.
    pub fn shared_transport(mut self, transport: Arc<dyn HttpTransport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Allows `http://` to non-loopback hosts.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// The clock (unix milliseconds) whose time goes into the sign-in message.
    pub fn clock(mut self, clock: impl Fn() -> u64 + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Replaces the sign-in text: receives the unix time in milliseconds. (The observed
    /// login format always signs the standard text, since it sends only the time.)
    pub fn message_source(
        mut self,
        source: impl Fn(u64) -> String + Send + Sync + 'static,
    ) -> Self {
        self.message_source = Some(Arc::new(source));
        self
    }

    /// The login body format (default [`LoginFormat::Documented`]).
    pub fn login_format(mut self, format: LoginFormat) -> Self {
        self.format = format;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<PumpClient, PumpError> {
        let invalid = |reason: String| PumpError::InvalidConfig { reason };
        let base_url = UrlPolicy::default()
            .allow_insecure_http(self.allow_insecure_http)
            .check_base_url(&self.base_url)
            .map_err(|e| invalid(e.to_string()))?;
        let origin = HeaderValue::from_str(&self.origin)
            .map_err(|_| invalid("the origin is not a valid header value".to_owned()))?;
        let transport = match self.transport {
            Some(t) => t,
            None => default_transport()?,
        };
        Ok(PumpClient {
            inner: Arc::new(Inner {
                base_url,
                origin,
                transport,
                clock: self.clock.unwrap_or_else(|| Arc::new(system_unix_millis)),
                message_source: self.message_source,
                format: self.format,
            }),
        })
    }
}

#[cfg(feature = "reqwest")]
fn default_transport() -> Result<Arc<dyn HttpTransport>, PumpError> {
    Ok(Arc::new(auth_transport::ReqwestTransport::new()?))
}

#[cfg(not(feature = "reqwest"))]
fn default_transport() -> Result<Arc<dyn HttpTransport>, PumpError> {
    Err(PumpError::InvalidConfig {
        reason: "no transport: enable the `reqwest` feature or pass one to the builder".to_owned(),
    })
}

fn system_unix_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn system_unix_seconds() -> u64 {
    system_unix_millis() / 1000
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
            base_url: DEFAULT_BASE_URL.to_owned(),
            origin: DEFAULT_ORIGIN.to_owned(),
            transport: None,
            allow_insecure_http: false,
            clock: None,
            message_source: None,
            format: LoginFormat::Documented,
        }
    }

    /// The base URL in use.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The text to sign now: `Sign in to pump.fun: <unix ms>` (or the custom source's).
    pub fn sign_in_message(&self) -> String {
        let now = (self.inner.clock)();
        match &self.inner.message_source {
            Some(source) => source(now),
            None => format!("{MESSAGE_PREFIX}{now}"),
        }
    }

    fn uri(&self, path: &str) -> Result<Uri, PumpError> {
        format!("{}{path}", self.inner.base_url)
            .parse()
            .map_err(|_| PumpError::InvalidConfig {
                reason: "the base URL and path do not form a valid URL".to_owned(),
            })
    }

    /// A request with `Accept`, `Origin` and, when given, a JSON body and a bearer token.
    fn request(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        token: Option<&AccessToken>,
    ) -> Result<Request<Bytes>, PumpError> {
        let uri = self.uri(path)?;
        let mut request = match body {
            Some(b) => json_request(method, uri, b).map_err(|e| PumpError::InvalidConfig {
                reason: e.to_string(),
            })?,
            None => {
                let mut r = Request::new(Bytes::new());
                *r.method_mut() = method;
                *r.uri_mut() = uri;
                r
            }
        };
        let headers = request.headers_mut();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(ORIGIN, self.inner.origin.clone());
        if let Some(token) = token {
            let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose_secret()))
                .map_err(|_| PumpError::InvalidConfig {
                    reason: "the token contains characters not allowed in a header".to_owned(),
                })?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        Ok(request)
    }

    async fn send(
        &self,
        request: Request<Bytes>,
        secrets: &[&str],
    ) -> Result<Response<Bytes>, PumpError> {
        // Logged: method, path and status. Never headers or bodies (tokens, signatures).
        let (method, path) = (request.method().clone(), request.uri().path().to_owned());
        let started = std::time::Instant::now();
        let response = match self.inner.transport.send(request).await {
            Ok(response) => response,
            Err(e) => {
                tracing::debug!(target: "pump_auth", %method, %path, error = %e, "request failed");
                return Err(e.into());
            }
        };
        tracing::debug!(
            target: "pump_auth",
            %method,
            %path,
            status = response.status().as_u16(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "request"
        );
        match ServerError::from_response(&response) {
            Some(error) => Err(PumpError::from_server(error, secrets)),
            None => Ok(response),
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
                json!({"wallet": wallet.to_base58(), "signature": signature, "message": message})
            }
            LoginFormat::Observed => {
                let millis = (self.inner.clock)();
                let signature = sign(signer, &format!("{MESSAGE_PREFIX}{millis}")).await?;
                json!({"address": wallet.to_base58(), "signature": signature, "timestamp": millis})
            }
        };
        let response = self
            .send(
                self.request(Method::POST, "/auth/login", Some(&body), None)?,
                &[],
            )
            .await?;
        let status = response.status();
        let parsed: LoginBody = decode_json(response.body())
            .map_err(|source| PumpError::MalformedResponse { status, source })?;
        let token = match parsed.token {
            Some(t) => t,
            None => cookie_token(&response).ok_or(PumpError::NoToken { status })?,
        };
        let from_jwt = jwt::expiry(token.expose_secret())
            .map(|exp| Duration::from_secs(exp.saturating_sub(system_unix_seconds())));
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
        let request = self.request(Method::POST, "/auth/logout", None, Some(token))?;
        self.send(request, &[token.expose_secret()]).await?;
        Ok(())
    }

    /// `GET /auth/my-profile`.
    pub async fn profile(&self, token: &AccessToken) -> Result<PumpUser, PumpError> {
        let request = self.request(Method::GET, "/auth/my-profile", None, Some(token))?;
        let response = self.send(request, &[token.expose_secret()]).await?;
        decode_json(response.body()).map_err(|source| PumpError::MalformedResponse {
            status: response.status(),
            source,
        })
    }
}

async fn sign(signer: &dyn SolanaSigner, message: &str) -> Result<String, PumpError> {
    let signature = signer
        .sign_message(message.as_bytes())
        .await
        .map_err(|source| PumpError::Signer { source })?;
    Ok(signature.to_base58())
}

/// The `auth_token` cookie of a response, if set.
fn cookie_token(response: &Response<Bytes>) -> Option<AccessToken> {
    response
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
