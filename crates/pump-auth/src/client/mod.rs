//! The pump.fun auth API client.
//!
//! [`PumpClient`] lives here with what every request shares; the rest is split by subject:
//! `format` (the [`LoginFormat`]s), `builder` ([`PumpClientBuilder`]), `login` (signing in
//! with a signer, and the retry), `signed` (a sign-in signed elsewhere), `request` (the
//! login request) and `answer` (reading its answer: [`PumpLogin`], [`PumpUser`]).

mod answer;
mod builder;
mod format;
mod login;
mod request;
mod signed;

use std::fmt;
use std::sync::Arc;

use auth_provider::{ApiClient, ServerClock};
use auth_transport::http::HeaderValue;
use auth_types::{AccessToken, Clock, SolanaPubkey};

pub use answer::{PumpLogin, PumpUser};
pub use builder::PumpClientBuilder;
pub use format::LoginFormat;

use crate::error::{PumpError, PumpFailure};
use crate::message::{MessageSource, check_message, sign_in_text};
use crate::sign_in_time::next_sign_in_millis;

/// The name errors give the API.
pub(crate) const API: &str = "pump.fun";

/// pump.fun's production API.
pub const DEFAULT_BASE_URL: &str = "https://frontend-api-v3.pump.fun";
/// The `Origin` pump.fun's API requires.
pub const DEFAULT_ORIGIN: &str = "https://pump.fun";

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

impl PumpClient {
    /// A client with every default: production URL, `Origin: https://pump.fun`, reqwest.
    pub fn new() -> Result<PumpClient, PumpError> {
        PumpClient::builder().build()
    }

    /// The base URL in use.
    pub fn base_url(&self) -> &str {
        self.inner.api.base_url()
    }

    /// The `Origin` every request carries (default [`DEFAULT_ORIGIN`]).
    pub fn origin(&self) -> &HeaderValue {
        &self.inner.origin
    }

    /// The server's clock as this client learned it from pump.fun's answers: its offset
    /// from the local clock and how it was learned ([`ServerClock::stats`]). Sign-in
    /// message times and token lifetimes are read on it.
    pub fn server_clock(&self) -> &ServerClock {
        self.inner.api.server_clock()
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
    ///
    /// The time is on the server's clock ([`PumpClient::server_clock`]): the local clock
    /// corrected by the offset learned from pump.fun's answers. Uniqueness is kept on the
    /// local clock, so two texts of one wallet could only meet if the learned offset fell
    /// by exactly the milliseconds between them (it moves only in steps of a second or
    /// more, when a clock was found off).
    pub async fn message_for(&self, wallet: &SolanaPubkey) -> Result<String, PumpError> {
        // Unique per wallet on the local clock, then moved onto the server's: a change of
        // the learned offset (a server found 10 minutes behind) may move message times
        // back, which the table alone would not allow.
        let server_clock = self.inner.api.server_clock();
        let local = next_sign_in_millis(wallet, server_clock.local().unix_millis());
        let now = local.saturating_add_signed(server_clock.offset_millis());
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
