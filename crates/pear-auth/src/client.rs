//! The Pear auth API client.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use auth_signing::EthSigner;
use auth_signing::eip712::TypedData;
use auth_signing::ethereum::EthSignature;
use auth_transport::http::header::{AUTHORIZATION, HeaderValue};
use auth_transport::http::{Method, Request, Uri};
use auth_transport::{
    HttpTransport, ServerError, UrlPolicy, bytes::Bytes, decode_json, get_request, json_request,
};
use auth_types::{AccessToken, ApiKey, EvmAddress, PrivyAccessToken, RefreshToken};
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::error::PearError;
use crate::message::{LoginMessage, check_login_message};
use crate::tokens::{ApiKeyInfo, CreatedApiKey, PearTokens, TokenResponse};

/// Pear's production API.
pub const DEFAULT_BASE_URL: &str = "https://hl-v2.pearprotocol.io";
/// Pear's client id for individual traders.
pub const DEFAULT_CLIENT_ID: &str = "APITRADER";
/// How far the login message's timestamp may be from the local clock.
pub const DEFAULT_TIMESTAMP_WINDOW: Duration = Duration::from_secs(300);

/// The unix time in seconds, from an injectable clock.
pub type UnixClock = Arc<dyn Fn() -> u64 + Send + Sync>;

/// A client of Pear's auth API. Cheap to clone; `Send + Sync`.
///
/// ```no_run
/// use pear_auth::PearClient;
/// use auth_signing::ethereum::LocalEthSigner;
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let client = PearClient::new()?; // https://hl-v2.pearprotocol.io, client id APITRADER
/// let signer = LocalEthSigner::from_hex(&std::env::var("PEAR_PRIVATE_KEY")?)?;
/// let tokens = client.login_eip712(&signer).await?;
/// let key = client.create_api_key(&tokens.access_token, Some("my bot")).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct PearClient {
    inner: Arc<Inner>,
}

struct Inner {
    base_url: String,
    client_id: String,
    transport: Arc<dyn HttpTransport>,
    clock: UnixClock,
    timestamp_window: Duration,
}

impl fmt::Debug for PearClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PearClient")
            .field("base_url", &self.inner.base_url)
            .field("client_id", &self.inner.client_id)
            .field("transport", &self.inner.transport)
            .finish_non_exhaustive()
    }
}

/// Builds a [`PearClient`].
pub struct PearClientBuilder {
    base_url: String,
    client_id: String,
    transport: Option<Arc<dyn HttpTransport>>,
    allow_insecure_http: bool,
    clock: Option<UnixClock>,
    timestamp_window: Duration,
}

impl fmt::Debug for PearClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PearClientBuilder")
            .field("base_url", &self.base_url)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl PearClientBuilder {
    /// The API's base URL (default [`DEFAULT_BASE_URL`]). `http://` is refused unless the
    /// host is loopback or [`allow_insecure_http`](Self::allow_insecure_http) is set.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The client id (default [`DEFAULT_CLIENT_ID`]).
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = client_id.into();
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

    /// Allows `http://` to non-loopback hosts. Credentials then cross the network in the
    /// clear: only for a trusted private network.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// The wall clock (unix seconds) that login messages are checked against.
    pub fn clock(mut self, clock: impl Fn() -> u64 + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// How far a login message's timestamp may be from the clock (default 5 minutes).
    pub fn timestamp_window(mut self, window: Duration) -> Self {
        self.timestamp_window = window;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<PearClient, PearError> {
        let base_url = UrlPolicy::default()
            .allow_insecure_http(self.allow_insecure_http)
            .check_base_url(&self.base_url)
            .map_err(|e| PearError::InvalidBaseUrl {
                reason: e.to_string(),
            })?;
        let transport = match self.transport {
            Some(t) => t,
            None => default_transport()?,
        };
        Ok(PearClient {
            inner: Arc::new(Inner {
                base_url,
                client_id: self.client_id,
                transport,
                clock: self.clock.unwrap_or_else(|| Arc::new(system_unix_seconds)),
                timestamp_window: self.timestamp_window,
            }),
        })
    }
}

#[cfg(feature = "reqwest")]
fn default_transport() -> Result<Arc<dyn HttpTransport>, PearError> {
    Ok(Arc::new(auth_transport::ReqwestTransport::new()?))
}

#[cfg(not(feature = "reqwest"))]
fn default_transport() -> Result<Arc<dyn HttpTransport>, PearError> {
    Err(PearError::InvalidBaseUrl {
        reason: "no transport: enable the `reqwest` feature or pass one to the builder".to_owned(),
    })
}

fn system_unix_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Percent-encodes a query value (everything but unreserved characters).
fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl PearClient {
    /// A client with every default: production URL, `APITRADER`, reqwest.
    pub fn new() -> Result<PearClient, PearError> {
        PearClient::builder().build()
    }

    /// A builder starting from the defaults.
    pub fn builder() -> PearClientBuilder {
        PearClientBuilder {
            base_url: DEFAULT_BASE_URL.to_owned(),
            client_id: DEFAULT_CLIENT_ID.to_owned(),
            transport: None,
            allow_insecure_http: false,
            clock: None,
            timestamp_window: DEFAULT_TIMESTAMP_WINDOW,
        }
    }

    /// The base URL in use.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The client id in use.
    pub fn client_id(&self) -> &str {
        &self.inner.client_id
    }

    fn uri(&self, path_and_query: &str) -> Result<Uri, PearError> {
        format!("{}{path_and_query}", self.inner.base_url)
            .parse()
            .map_err(|_| PearError::InvalidBaseUrl {
                reason: "the base URL and path do not form a valid URL".to_owned(),
            })
    }

    /// Sends a request and decodes a success body; maps error statuses, hiding
    /// `secrets` if the server echoes them.
    async fn call<T: DeserializeOwned>(
        &self,
        request: Request<Bytes>,
        secrets: &[&str],
    ) -> Result<T, PearError> {
        // Logged: method, path and status. Never the query, headers or bodies, which
        // carry keys, tokens and signatures.
        let (method, path) = (request.method().clone(), request.uri().path().to_owned());
        let started = std::time::Instant::now();
        let result = self.inner.transport.send(request).await;
        let response = match result {
            Ok(response) => response,
            Err(e) => {
                tracing::debug!(target: "pear_auth", %method, %path, error = %e, "request failed");
                return Err(e.into());
            }
        };
        tracing::debug!(
            target: "pear_auth",
            %method,
            %path,
            status = response.status().as_u16(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "request"
        );
        if let Some(error) = ServerError::from_response(&response) {
            return Err(PearError::from_server(error, secrets));
        }
        decode_json(response.body()).map_err(|source| PearError::MalformedResponse {
            status: response.status(),
            source,
        })
    }

    fn post(&self, path: &str, body: &serde_json::Value) -> Result<Request<Bytes>, PearError> {
        json_request(Method::POST, self.uri(path)?, body).map_err(|e| PearError::InvalidBaseUrl {
            reason: e.to_string(),
        })
    }

    /// `GET /auth/eip712-message`, checked: the typed data is returned only if it is a
    /// Pear login for `address` with this client id and a fresh timestamp.
    pub async fn eip712_message(&self, address: &EvmAddress) -> Result<LoginMessage, PearError> {
        let uri = self.uri(&format!(
            "/auth/eip712-message?address={}&clientId={}",
            address.to_lowercase_hex(),
            encode_query(&self.inner.client_id)
        ))?;
        let document: serde_json::Value = self.call(get_request(uri), &[]).await?;
        let typed = TypedData::from_json_value(document).map_err(|e| PearError::UnsafeMessage {
            reason: format!("the server's typed data is invalid: {e}"),
        })?;
        check_login_message(
            typed,
            address,
            &self.inner.client_id,
            (self.inner.clock)(),
            self.inner.timestamp_window.as_secs(),
        )
    }

    /// Logs in with a wallet: fetches the message, checks it, signs it, posts the login.
    pub async fn login_eip712(&self, signer: &dyn EthSigner) -> Result<PearTokens, PearError> {
        let address = signer.address();
        tracing::trace!(target: "pear_auth", %address, "fetching the login message");
        let message = self.eip712_message(&address).await?;
        tracing::trace!(target: "pear_auth", %address, timestamp = message.timestamp(), "login message checked; signing");
        let signature = signer
            .sign_typed_data(message.typed_data())
            .await
            .map_err(|source| PearError::Signer { source })?;
        self.login_eip712_signed(&address, &message, &signature)
            .await
    }

    /// Posts an EIP-712 login for a message from [`PearClient::eip712_message`] that you
    /// signed yourself (for signers outside [`EthSigner`], or to show each step).
    pub async fn login_eip712_signed(
        &self,
        address: &EvmAddress,
        message: &LoginMessage,
        signature: &EthSignature,
    ) -> Result<PearTokens, PearError> {
        let body = json!({
            "method": "eip712",
            "address": address.to_lowercase_hex(),
            "clientId": self.inner.client_id,
            "details": {"signature": signature.to_string(), "timestamp": message.timestamp()},
        });
        let response: TokenResponse = self.call(self.post("/auth/login", &body)?, &[]).await?;
        Ok(response.into())
    }

    /// Logs in with an API key.
    pub async fn login_api_key(
        &self,
        address: &EvmAddress,
        api_key: &ApiKey,
    ) -> Result<PearTokens, PearError> {
        let body = json!({
            "method": "api_key",
            "address": address.to_lowercase_hex(),
            "clientId": self.inner.client_id,
            "details": {"apiKey": api_key.expose_secret()},
        });
        let request = self.post("/auth/login", &body)?;
        let response: TokenResponse = self.call(request, &[api_key.expose_secret()]).await?;
        Ok(response.into())
    }

    /// Logs in with a Privy access token.
    pub async fn login_privy(
        &self,
        address: &EvmAddress,
        app_id: &str,
        access_token: &PrivyAccessToken,
    ) -> Result<PearTokens, PearError> {
        let body = json!({
            "method": "privy_access_token",
            "address": address.to_lowercase_hex(),
            "clientId": self.inner.client_id,
            "details": {"appId": app_id, "accessToken": access_token.expose_secret()},
        });
        let request = self.post("/auth/login", &body)?;
        let response: TokenResponse = self.call(request, &[access_token.expose_secret()]).await?;
        Ok(response.into())
    }

    /// `POST /auth/refresh`: trades the single-use refresh token for a new pair.
    ///
    /// A refused token is [`PearError::RefreshRejected`]; a failure after the request may
    /// have reached Pear is [`PearError::RefreshUncertain`]: in both cases the token must
    /// not be presented again, log in instead. Only a failure that provably never reached
    /// Pear (or a 429) leaves the token usable.
    pub async fn refresh(&self, refresh_token: &RefreshToken) -> Result<PearTokens, PearError> {
        let body = json!({"refreshToken": refresh_token.expose_secret()});
        let request = self.post("/auth/refresh", &body)?;
        let result: Result<TokenResponse, PearError> =
            self.call(request, &[refresh_token.expose_secret()]).await;
        match result {
            Ok(response) => Ok(response.into()),
            Err(PearError::BadRequest { status, messages }) => Err(PearError::RefreshRejected {
                status,
                message: messages.join("; "),
            }),
            Err(PearError::Unauthorized { status, message }) => {
                Err(PearError::RefreshRejected { status, message })
            }
            // Provably never sent, or refused before processing: the token is still good.
            Err(e @ PearError::Transport { .. }) if !e.may_have_reached_pear() => Err(e),
            Err(e @ (PearError::RateLimited { .. } | PearError::InvalidBaseUrl { .. })) => Err(e),
            Err(e) => Err(PearError::RefreshUncertain {
                source: Box::new(e),
            }),
        }
    }

    /// `POST /auth/logout`: ends the session of this refresh token on the server.
    pub async fn logout(&self, refresh_token: &RefreshToken) -> Result<(), PearError> {
        let body = json!({"refreshToken": refresh_token.expose_secret()});
        let request = self.post("/auth/logout", &body)?;
        let _: serde_json::Value = self.call(request, &[refresh_token.expose_secret()]).await?;
        Ok(())
    }

    /// `POST /api-keys`: creates an API key for the logged-in account.
    pub async fn create_api_key(
        &self,
        access_token: &AccessToken,
        name: Option<&str>,
    ) -> Result<CreatedApiKey, PearError> {
        let body = match name {
            Some(n) => json!({"name": n}),
            None => json!({}),
        };
        let mut request = self.post("/api-keys", &body)?;
        authorize(&mut request, access_token)?;
        self.call(request, &[access_token.expose_secret()]).await
    }

    /// `GET /api-keys`: the account's API keys (without the keys themselves).
    pub async fn list_api_keys(
        &self,
        access_token: &AccessToken,
    ) -> Result<Vec<ApiKeyInfo>, PearError> {
        let mut request = get_request(self.uri("/api-keys")?);
        authorize(&mut request, access_token)?;
        self.call(request, &[access_token.expose_secret()]).await
    }
}

/// Adds `Authorization: Bearer <token>` to any request, marked sensitive (so `http`'s
/// `Debug` hides it), to call the rest of Pear's API with any HTTP client.
///
/// ```
/// let mut request = http::Request::get("https://hl-v2.pearprotocol.io/positions").body(())?;
/// pear_auth::authorize(&mut request, &auth_types::AccessToken::new("eyJ..."))?;
/// assert_eq!(request.headers()["authorization"], "Bearer eyJ...");
/// assert!(request.headers()["authorization"].is_sensitive());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn authorize<B>(request: &mut Request<B>, token: &AccessToken) -> Result<(), PearError> {
    let mut value =
        HeaderValue::from_str(&format!("Bearer {}", token.expose_secret())).map_err(|_| {
            PearError::Unauthorized {
                status: auth_transport::http::StatusCode::UNAUTHORIZED,
                message: "the access token contains characters not allowed in a header".to_owned(),
            }
        })?;
    value.set_sensitive(true);
    request.headers_mut().insert(AUTHORIZATION, value);
    Ok(())
}
