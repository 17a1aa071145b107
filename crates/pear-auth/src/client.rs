//! The Pear auth API client.

use std::sync::Arc;
use std::time::Duration;

use auth_provider::{ApiClient, ApiError, ClientConfig, JsonBody};
use auth_signing::EthSigner;
use auth_signing::eip712::TypedData;
use auth_signing::ethereum::EthSignature;
use auth_transport::http::StatusCode;
use auth_types::{
    ApiKey, Clock, EvmAddress, PrivyAccessToken, RefreshToken, escape_unprintable_cut,
};

use crate::API;
use crate::error::{PearError, PearFailure};
use crate::login::{sign, timestamp_already_used};
use crate::message::{LoginCheck, LoginMessage, PearDomain};
use crate::tokens::{PearTokens, TokenResponse};
use auth_provider::Failure;

/// What `GET /auth/eip712-message` carries beside the typed data.
#[derive(serde::Deserialize)]
struct MessageEnvelope {
    #[serde(default)]
    timestamp: Option<serde_json::Value>,
}

/// How many characters of an EIP-712 parse error (which quotes the server's type names
/// and paths) a refusal shows.
const TYPED_DATA_ERROR_CHARS: usize = 300;

/// Pear's production API.
pub const DEFAULT_BASE_URL: &str = "https://hl-v2.pearprotocol.io";
/// Pear's client id for individual traders.
pub const DEFAULT_CLIENT_ID: &str = "APITRADER";
/// How far the login message's timestamp may be from the local clock.
pub const DEFAULT_TIMESTAMP_WINDOW: Duration = Duration::from_secs(300);

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
#[derive(Debug, Clone)]
pub struct PearClient {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) api: ApiClient,
    client_id: String,
    timestamp_window: Duration,
    domain: PearDomain,
    login_chain_id: Option<u64>,
}

/// Builds a [`PearClient`].
#[derive(Debug)]
pub struct PearClientBuilder {
    config: ClientConfig,
    client_id: String,
    timestamp_window: Duration,
    domain: PearDomain,
    login_chain_id: Option<u64>,
}

impl PearClientBuilder {
    auth_provider::client_config_setters!(config);

    /// The client id (default [`DEFAULT_CLIENT_ID`]).
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = client_id.into();
        self
    }

    /// How far a login message's timestamp may be from the clock (default 5 minutes).
    pub fn timestamp_window(mut self, window: Duration) -> Self {
        self.timestamp_window = window;
        self
    }

    /// The EIP-712 domain login messages must carry (default [`PearDomain::default`],
    /// live Pear's): a message in any other domain is refused before signing.
    pub fn expected_domain(mut self, domain: PearDomain) -> Self {
        self.domain = domain;
        self
    }

    /// A chain id to send as `details.chainId` on EIP-712 logins (Pear's optional field);
    /// unset by default, when none is sent.
    pub fn login_chain_id(mut self, chain_id: u64) -> Self {
        self.login_chain_id = Some(chain_id);
        self
    }

    /// Builds the client. An empty client id is refused: without one Pear serves a
    /// message without `clientId`, which no login can use.
    pub fn build(self) -> Result<PearClient, PearError> {
        if self.client_id.trim().is_empty() {
            return Err(ApiError::Config {
                api: API,
                setting: "client_id",
                reason: format!(
                    "the client id is empty; Pear needs one (individual traders use `{DEFAULT_CLIENT_ID}`)"
                ),
            }
            .into());
        }
        Ok(PearClient {
            inner: Arc::new(Inner {
                api: self.config.build()?,
                client_id: self.client_id,
                timestamp_window: self.timestamp_window,
                domain: self.domain,
                login_chain_id: self.login_chain_id,
            }),
        })
    }
}

impl PearClient {
    /// A client with every default: production URL, `APITRADER`, reqwest.
    pub fn new() -> Result<PearClient, PearError> {
        PearClient::builder().build()
    }

    /// A builder starting from the defaults.
    pub fn builder() -> PearClientBuilder {
        PearClientBuilder {
            config: ClientConfig::new(API, DEFAULT_BASE_URL).with_quota(auth_provider::Quota::PEAR),
            client_id: DEFAULT_CLIENT_ID.to_owned(),
            timestamp_window: DEFAULT_TIMESTAMP_WINDOW,
            domain: PearDomain::default(),
            login_chain_id: None,
        }
    }

    /// The base URL in use.
    pub fn base_url(&self) -> &str {
        self.inner.api.base_url()
    }

    /// The client id in use.
    pub fn client_id(&self) -> &str {
        &self.inner.client_id
    }

    /// `GET /auth/eip712-message`, checked: the typed data is returned only if it is a
    /// Pear login for `address` with this client id and a fresh timestamp, in the expected
    /// domain ([`PearClientBuilder::expected_domain`]).
    pub async fn eip712_message(&self, address: &EvmAddress) -> Result<LoginMessage, PearError> {
        let sent = self.sent_at();
        let answer = self
            .inner
            .api
            .get("/auth/eip712-message")
            .query("address", &address.to_lowercase_hex())
            .query("clientId", &self.inner.client_id)
            .send()
            .await?;
        // A body that is not a JSON object is the server's fault: malformed, with status.
        let envelope = answer.json::<MessageEnvelope>()?;
        self.observe_message_time(sent, envelope.timestamp.as_ref());
        self.read_message(answer.body(), address)
    }

    /// Reads a login message from JSON: what `GET /auth/eip712-message` answers, or what
    /// [`LoginMessage::to_json`] wrote (for a login signed elsewhere), checked exactly as
    /// [`PearClient::eip712_message`] checks the server's: a Pear login for `address`
    /// with this client id, a fresh timestamp, the expected domain.
    pub fn login_message_from_json(
        &self,
        address: &EvmAddress,
        json: &str,
    ) -> Result<LoginMessage, PearError> {
        self.read_message(json.as_bytes(), address)
    }

    fn read_message(&self, body: &[u8], address: &EvmAddress) -> Result<LoginMessage, PearError> {
        // Pear's own member beside the typed data; the typed data itself is read by
        // auth-signing from the same text.
        let envelope: MessageEnvelope =
            auth_provider::decode_json(body).map_err(|e| PearFailure::UnsafeMessage {
                reason: format!("the typed data is not a JSON object: {e}"),
            })?;
        let text = std::str::from_utf8(body).map_err(|_| PearFailure::UnsafeMessage {
            reason: "the typed data is not UTF-8".to_owned(),
        })?;
        // auth-signing's errors quote type names and paths as the server wrote them.
        let typed = TypedData::from_json_str(text).map_err(|e| PearFailure::UnsafeMessage {
            reason: format!(
                "the typed data is invalid: {}",
                escape_unprintable_cut(&e.to_string(), TYPED_DATA_ERROR_CHARS)
            ),
        })?;
        LoginCheck {
            address,
            client_id: &self.inner.client_id,
            now: self.inner.api.clock().unix_seconds(),
            window_secs: self.inner.timestamp_window.as_secs(),
            domain: &self.inner.domain,
        }
        .check(typed, envelope.timestamp.as_ref())
    }

    /// Logs in with a wallet: fetches the message, checks it, signs it, posts the login.
    ///
    /// Pear's login timestamps are single use: if Pear answers that the timestamp was
    /// already used (another process of the same wallet logged in within the same
    /// second), this fetches a new message, waits (at most [`TIMESTAMP_WAIT`]) for its
    /// timestamp to move past the used one, signs it and tries once more. A signature is
    /// never sent twice.
    pub async fn login_eip712(&self, signer: &dyn EthSigner) -> Result<PearTokens, PearError> {
        let address = signer.address();
        tracing::trace!(target: "pear_auth", %address, "fetching the login message");
        let message = self.eip712_message(&address).await?;
        let signature = sign(signer, &message).await?;
        match self
            .login_eip712_signed(&address, &message, &signature)
            .await
        {
            Err(e) if timestamp_already_used(&e) => {
                tracing::debug!(target: "pear_auth", %address, "login timestamp already used; signing a new message");
                let Some(next) = self.message_after(&address, message.timestamp()).await? else {
                    return Err(e);
                };
                let signature = sign(signer, &next).await?;
                self.login_eip712_signed(&address, &next, &signature).await
            }
            other => other,
        }
    }

    /// A checked login message whose timestamp is past `used`, fetched again once a second
    /// for at most [`TIMESTAMP_WAIT`] (`None` if it never moved on).
    async fn message_after(
        &self,
        address: &EvmAddress,
        used: u64,
    ) -> Result<Option<LoginMessage>, PearError> {
        let mut waited = Duration::ZERO;
        loop {
            let message = self.eip712_message(address).await?;
            if message.timestamp() > used {
                return Ok(Some(message));
            }
            if waited >= TIMESTAMP_WAIT {
                return Ok(None);
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
            waited += Duration::from_secs(1);
        }
    }

    /// Posts an EIP-712 login for a message from [`PearClient::eip712_message`] (or
    /// [`PearClient::login_message_from_json`]) that you signed yourself (for signers
    /// outside [`EthSigner`], or to show each step). The signature must recover to
    /// `address` ([`PearFailure::SignatureMismatch`] otherwise, and nothing is sent). Sends
    /// `details.chainId` when [`PearClientBuilder::login_chain_id`] is set.
    pub async fn login_eip712_signed(
        &self,
        address: &EvmAddress,
        message: &LoginMessage,
        signature: &EthSignature,
    ) -> Result<PearTokens, PearError> {
        let recovered = auth_signing::ethereum::recover_address(
            &message.typed_data().signing_hash(),
            signature,
        );
        if recovered.as_ref().ok() != Some(address) {
            return Err(PearFailure::SignatureMismatch {
                address: *address,
                recovered: recovered.map_or_else(|_| "none".to_owned(), |a| a.to_checksum()),
            }
            .into());
        }
        let mut details = JsonBody::new()
            .secret("signature", &signature.to_string())
            .field("timestamp", message.timestamp());
        if let Some(chain_id) = self.inner.login_chain_id {
            details = details.field("chainId", chain_id);
        }
        self.login("eip712", address, details).await
    }

    /// Logs in with an API key.
    pub async fn login_api_key(
        &self,
        address: &EvmAddress,
        api_key: &ApiKey,
    ) -> Result<PearTokens, PearError> {
        let details = JsonBody::new().secret("apiKey", api_key.expose_secret());
        self.login("api_key", address, details).await
    }

    /// Logs in with a Privy access token.
    pub async fn login_privy(
        &self,
        address: &EvmAddress,
        app_id: &str,
        access_token: &PrivyAccessToken,
    ) -> Result<PearTokens, PearError> {
        let details = JsonBody::new()
            .field("appId", app_id)
            .secret("accessToken", access_token.expose_secret());
        self.login("privy_access_token", address, details).await
    }

    /// `POST /auth/login` with one method's `details`.
    async fn login(
        &self,
        method: &str,
        address: &EvmAddress,
        details: JsonBody,
    ) -> Result<PearTokens, PearError> {
        let body = JsonBody::new()
            .field("method", method)
            .field("address", address.to_lowercase_hex())
            .field("clientId", self.inner.client_id.as_str())
            .object("details", details);
        let response: TokenResponse = self
            .inner
            .api
            .post("/auth/login")
            .json(body)
            .send_json()
            .await?;
        response.try_into()
    }

    /// `POST /auth/refresh`: trades the single-use refresh token for a new pair.
    ///
    /// A refused token is [`PearFailure::RefreshRejected`]; a failure after the request may
    /// have reached Pear is [`PearFailure::RefreshUncertain`]: in both cases the token must
    /// not be presented again, log in instead. Only a failure that provably never reached
    /// Pear (or a 429) leaves the token usable.
    pub async fn refresh(&self, refresh_token: &RefreshToken) -> Result<PearTokens, PearError> {
        let body = JsonBody::new().secret("refreshToken", refresh_token.expose_secret());
        let result = self
            .inner
            .api
            .post("/auth/refresh")
            .json(body)
            .send_json::<TokenResponse>()
            .await;
        match result {
            // The old token is spent either way: an unusable answer is a permanent error.
            Ok(response) => response.try_into(),
            Err(ApiError::Refused {
                status, message, ..
            }) if matches!(status.as_u16(), 400 | 401 | 403) => {
                Err(PearFailure::RefreshRejected { status, message }.into())
            }
            // Refused before processing, or provably never sent: the token is still good.
            Err(e) if e.status() == Some(StatusCode::TOO_MANY_REQUESTS) => Err(e.into()),
            Err(e) if !e.may_have_reached_server() => Err(e.into()),
            Err(e) => Err(PearFailure::RefreshUncertain {
                source: Box::new(e.into()),
            }
            .into()),
        }
    }

    /// `POST /auth/logout`: ends the session of this refresh token on the server.
    ///
    /// Success is any 2xx: Pear's `{"message": "Logged out successfully"}`, an empty body,
    /// or 204. A non-empty body that is not JSON is [`ApiError::Malformed`].
    pub async fn logout(&self, refresh_token: &RefreshToken) -> Result<(), PearError> {
        let body = JsonBody::new().secret("refreshToken", refresh_token.expose_secret());
        let answer = self
            .inner
            .api
            .post("/auth/logout")
            .json(body)
            .send()
            .await?;
        if answer.status() == StatusCode::NO_CONTENT
            || answer.body().iter().all(u8::is_ascii_whitespace)
        {
            return Ok(());
        }
        let _: serde_json::Value = answer.json()?;
        Ok(())
    }
}

/// How long [`PearClient::login_eip712`] waits for a new login timestamp after Pear
/// answered that the first one was already used.
pub const TIMESTAMP_WAIT: Duration = Duration::from_secs(3);
