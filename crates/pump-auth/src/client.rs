//! The pump.fun auth API client.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use auth_provider::{Answer, ApiClient, ApiError, ClientConfig, JsonBody};
use auth_signing::SolanaSigner;
use auth_transport::http::HeaderValue;
use auth_transport::http::header::{ORIGIN, SET_COOKIE};
use auth_types::{AccessToken, Clock, SolanaPubkey};
use serde::Deserialize;
use serde_json::Value;

use crate::error::{PumpError, PumpFailure, may_be_reused_signature};
use crate::message::{
    MESSAGE_PREFIX, MessageSource, SignedLogin, check_message, sign_in_millis, sign_in_text,
};
use crate::sign_in_time::next_sign_in_millis;

/// The name errors give the API.
pub(crate) const API: &str = "pump.fun";

/// pump.fun's production API.
pub const DEFAULT_BASE_URL: &str = "https://frontend-api-v3.pump.fun";
/// The `Origin` pump.fun's API requires.
pub const DEFAULT_ORIGIN: &str = "https://pump.fun";

/// Which login request the client sends. All three sign the same text,
/// `Sign in to pump.fun: <unix ms>`; they differ in what is sent and how the token comes
/// back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LoginFormat {
    /// `POST /auth/login {wallet, signature, message}`, answered with
    /// `{token, expiresIn, user}`: the specification's format.
    #[default]
    Documented,
    /// `POST /auth/login {address, signature, timestamp}`, answered with an `auth_token`
    /// cookie (the body may be empty or not JSON): what the live site's own pages send.
    Cookie,
    /// `POST /auth/login/token {address, signature, timestamp, authType: "non_custodial"}`,
    /// answered with `{access_token}`: what several public bots use.
    Token,
}

impl LoginFormat {
    /// Every format, in the order of the CLI's `--format` choices.
    pub const ALL: [LoginFormat; 3] = [
        LoginFormat::Documented,
        LoginFormat::Cookie,
        LoginFormat::Token,
    ];

    /// The name the CLI's `--format` takes: `documented`, `cookie` or `token`.
    pub fn name(self) -> &'static str {
        match self {
            LoginFormat::Documented => "documented",
            LoginFormat::Cookie => "cookie",
            LoginFormat::Token => "token",
        }
    }

    /// The path the login is posted to.
    pub fn path(self) -> &'static str {
        match self {
            LoginFormat::Token => "/auth/login/token",
            LoginFormat::Documented | LoginFormat::Cookie => "/auth/login",
        }
    }
}

impl fmt::Display for LoginFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for LoginFormat {
    type Err = String;

    /// `documented`, `cookie` or `token`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LoginFormat::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| "expected one of: documented, cookie, token".to_owned())
    }
}

/// A pump.fun user, as the API describes it: the login answer's `user` (with `wallet`,
/// per the specification) or `GET /auth/my-profile` (with `address`, as the live service
/// answers). Either name fills [`PumpUser::wallet`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RawUser")]
#[non_exhaustive]
pub struct PumpUser {
    /// The user's id (a number is written in decimal).
    pub id: Option<String>,
    /// The wallet (base58 public key): the answer's `address`, or `wallet`.
    pub wallet: String,
    /// The display name.
    pub username: Option<String>,
}

#[derive(Deserialize)]
struct RawUser {
    #[serde(default)]
    id: Option<Value>,
    #[serde(default)]
    wallet: Option<String>,
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    username: Option<String>,
}

impl TryFrom<RawUser> for PumpUser {
    type Error = String;

    fn try_from(raw: RawUser) -> Result<Self, String> {
        let wallet = raw
            .address
            .or(raw.wallet)
            .ok_or_else(|| "missing field `address` (or `wallet`)".to_owned())?;
        let id = match raw.id {
            Some(Value::String(s)) => Some(s),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        Ok(PumpUser {
            id,
            wallet,
            username: raw.username,
        })
    }
}

/// A successful login.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PumpLogin {
    /// The JWT for pump.fun's API.
    pub token: AccessToken,
    /// How long it lives from receipt: the earlier of `expiresIn` (rounded down to whole
    /// seconds) and the JWT's `exp`, whichever are present.
    pub expires_in: Option<Duration>,
    /// The user, when the answer includes one that reads.
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

/// A custom message source, if one was set (`Debug` says only whether).
#[derive(Clone, Default)]
struct CustomSource(Option<Arc<dyn MessageSource>>);

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

/// A login answer, read leniently: once the server has created a session, an odd field
/// must not turn it into a failed login.
#[derive(Deserialize)]
struct LoginBody {
    #[serde(default)]
    token: Option<AccessToken>,
    #[serde(default)]
    access_token: Option<AccessToken>,
    #[serde(default, rename = "expiresIn")]
    expires_in: Option<Value>,
    #[serde(default)]
    user: Option<Value>,
}

/// Whole seconds of an `expiresIn`, rounded down; `None` for anything that is not a
/// non-negative number.
fn whole_seconds(value: &Value) -> Option<Duration> {
    if let Some(secs) = value.as_u64() {
        return Some(Duration::from_secs(secs));
    }
    let secs = value.as_f64()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs(secs.min(u64::MAX as f64) as u64))
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

    /// The login format in use.
    pub fn login_format(&self) -> LoginFormat {
        self.inner.format
    }

    /// The standard text to sign now: `Sign in to pump.fun: <unix ms>` by the client's
    /// clock, as it reads. (A custom [`MessageSource`] is asked at login.) To sign a
    /// sign-in elsewhere, take the text from [`PumpClient::message_for`] instead: it never
    /// hands out one wallet's millisecond twice.
    pub fn sign_in_message(&self) -> String {
        sign_in_text(self.inner.api.clock().unix_millis())
    }

    /// The text `wallet` would sign to log in now: the custom source's, checked with
    /// [`check_message`], or the standard one. For signing elsewhere (then
    /// [`PumpClient::login_signed`]).
    ///
    /// Each call for one wallet, from any client in this process, gets a later millisecond
    /// than the one before it (the clock's, or one past the last, even if clients share a
    /// clock or a clock goes back): ed25519 signs one text the same way every time, and
    /// pump.fun takes each signature once, so two sign-ins must never sign the same text.
    /// Other processes of the same wallet are not seen; see [`PumpClient::login`].
    pub async fn message_for(&self, wallet: &SolanaPubkey) -> Result<String, PumpError> {
        let now = next_sign_in_millis(wallet, self.inner.api.clock().unix_millis());
        let Some(source) = &self.inner.message_source.0 else {
            return Ok(sign_in_text(now));
        };
        let message = source
            .message(wallet, now)
            .await
            .map_err(|source| PumpFailure::MessageSource { source })?;
        check_message(&message).map_err(|reason| PumpFailure::InvalidMessage { reason })?;
        Ok(message)
    }

    /// Signs the sign-in message with `signer` and logs in.
    ///
    /// No two sign-ins of one wallet in this process sign the same millisecond (see
    /// [`PumpClient::message_for`]). Another process or machine signing in with the same
    /// wallet in the same millisecond makes the same signature, and the second to arrive
    /// is refused: when the login is refused the way pump.fun refuses a reused signature
    /// (401 `Invalid credentials`), the client signs a new message, on a later
    /// millisecond, and sends it once more; the second answer is the result. pump.fun
    /// gives the same answer to a message outside its time window (a clock that is off)
    /// or a signature that does not verify: those cost one more request before they fail
    /// (and where pump.fun's limit of about a request a second bites, the second answer
    /// may be a 429). The retry is logged at `debug` (target `pump_auth`). A login with a
    /// signature made elsewhere ([`PumpClient::login_signed`]) is never retried.
    pub async fn login(&self, signer: &dyn SolanaSigner) -> Result<PumpLogin, PumpError> {
        self.sign_and_send(signer, None).await
    }

    /// Logs in again while holding `current` (live or not): as the specification shows,
    /// the login carries `Authorization: Bearer <current>`. The old token is not logged
    /// out here ([`crate::PumpAuthenticator`] does that for sessions).
    pub async fn relogin(
        &self,
        signer: &dyn SolanaSigner,
        current: &AccessToken,
    ) -> Result<PumpLogin, PumpError> {
        self.sign_and_send(signer, Some(current)).await
    }

    /// [`PumpClient::login`] and [`PumpClient::relogin`]: sign, send, and once more on a
    /// refusal that may be for a reused signature.
    async fn sign_and_send(
        &self,
        signer: &dyn SolanaSigner,
        current: Option<&AccessToken>,
    ) -> Result<PumpLogin, PumpError> {
        let wallet = signer.pubkey();
        tracing::trace!(target: "pump_auth", %wallet, format = %self.inner.format, "signing in");
        let message = self.message_for(&wallet).await?;
        let first = sign(signer, wallet, message).await?;
        let error = match self.send_login(&first, current).await {
            Err(error) if may_be_reused_signature(&error) => error,
            done => return done,
        };
        let message = self.message_for(&wallet).await?;
        if message == first.message {
            // A custom source that ignores the time: the same text would make the same
            // signature, refused again. Nothing more is signed or sent.
            return Err(error);
        }
        // The texts stay out of the log, as every body does.
        tracing::debug!(
            target: "pump_auth",
            %wallet,
            "login refused as a reused signature is (another process of this wallet may have signed the same millisecond); sending a later message, once"
        );
        let second = sign(signer, wallet, message).await?;
        self.send_login(&second, current).await
    }

    /// Logs in with a sign-in signed elsewhere (`current`: the token held, if any, sent as
    /// `Authorization: Bearer`). The signature is verified here first, and for the cookie
    /// and token formats the text must be the standard one (they send only its time):
    /// otherwise nothing is sent.
    ///
    /// The client cannot know whether the signature was used before, and cannot make a
    /// new one: a refusal is returned as it is, never retried. Take the text from
    /// [`PumpClient::message_for`] so that no other sign-in of this process signs the same
    /// millisecond.
    pub async fn login_signed(
        &self,
        signed: &SignedLogin,
        current: Option<&AccessToken>,
    ) -> Result<PumpLogin, PumpError> {
        check_message(&signed.message).map_err(|reason| PumpFailure::InvalidMessage { reason })?;
        auth_signing::solana::verify(&signed.wallet, signed.message.as_bytes(), &signed.signature)
            .map_err(|_| PumpFailure::SignatureMismatch)?;
        self.send_login(signed, current).await
    }

    async fn send_login(
        &self,
        signed: &SignedLogin,
        current: Option<&AccessToken>,
    ) -> Result<PumpLogin, PumpError> {
        let format = self.inner.format;
        let signature = signed.signature.to_base58();
        let address = signed.wallet.to_base58();
        let body = match format {
            LoginFormat::Documented => JsonBody::new()
                .field("wallet", address)
                .secret("signature", &signature)
                .field("message", signed.message.as_str()),
            LoginFormat::Cookie | LoginFormat::Token => {
                let millis =
                    sign_in_millis(&signed.message).ok_or_else(|| PumpFailure::InvalidMessage {
                        reason: format!(
                            "the {format} format sends only the time, so the signed text must be \
                         exactly `{MESSAGE_PREFIX}<unix ms>`"
                        ),
                    })?;
                let body = JsonBody::new()
                    .field("address", address)
                    .secret("signature", &signature)
                    .field("timestamp", millis);
                if format == LoginFormat::Token {
                    body.field("authType", "non_custodial")
                } else {
                    body
                }
            }
        };
        let mut request = self.inner.api.post(format.path()).json(body);
        if let Some(current) = current {
            request = request.bearer(current);
        }
        let answer = request.send().await?;
        let (token, parsed) = match cookie_token(&answer) {
            // The cookie alone is enough: the body may be empty or not JSON.
            Some(token) => (token, answer.json::<LoginBody>().ok()),
            None => {
                let parsed: LoginBody = answer.json()?;
                let token = match (parsed.token.clone(), parsed.access_token.clone()) {
                    (Some(t), _) | (None, Some(t)) => t,
                    (None, None) => {
                        return Err(PumpFailure::NoToken {
                            status: answer.status(),
                        }
                        .into());
                    }
                };
                (token, Some(parsed))
            }
        };
        // Whole seconds, as `exp` and `expiresIn` are written.
        let now = self.inner.api.clock().unix_seconds();
        let from_jwt = auth_session::jwt_expiry(token.expose_secret())
            .and_then(|exp| exp.duration_since(UNIX_EPOCH).ok())
            .map(|exp| Duration::from_secs(exp.as_secs().saturating_sub(now)));
        let (from_body, user) = match parsed {
            Some(body) => (
                body.expires_in.as_ref().and_then(whole_seconds),
                body.user.and_then(|u| serde_json::from_value(u).ok()),
            ),
            None => (None, None),
        };
        let expires_in = match (from_body, from_jwt) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Ok(PumpLogin {
            token,
            expires_in,
            user,
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

/// `message` signed by `signer` for `wallet`.
async fn sign(
    signer: &dyn SolanaSigner,
    wallet: SolanaPubkey,
    message: String,
) -> Result<SignedLogin, PumpError> {
    let signature = signer
        .sign_message(message.as_bytes())
        .await
        .map_err(|source| ApiError::Signer { source })?;
    Ok(SignedLogin::new(wallet, message, signature))
}
