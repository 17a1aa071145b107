//! The client of one SIWE or SIWS backend.
//!
//! [`SiwxClient`] lives here with what every standard shares; the rest is split by
//! subject: `builder` ([`SiwxClientBuilder`]), `nonce` (fetching and checking it),
//! `ethereum` and `solana` (making, signing and checking each standard's message),
//! `send` (the login request), `answer` (reading the session: [`SiwxLogin`]) and
//! `tokens` (refresh and logout).

mod answer;
mod builder;
mod ethereum;
mod nonce;
mod pending;
mod send;
mod solana;
mod tokens;

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use auth_provider::{ApiClient, ServerClock};

pub use answer::SiwxLogin;
pub use builder::SiwxClientBuilder;
pub use pending::PendingSignIn;

use crate::settings::{Endpoints, MessageTemplate, SessionFrom};
use crate::standard::{Siwe, Siws, Standard};

/// A client of a Sign-In with Ethereum backend.
pub type SiweClient = SiwxClient<Siwe>;
/// A client of a Sign In With Solana backend.
pub type SiwsClient = SiwxClient<Siws>;

/// A client of one backend that logs users in with EIP-4361 ([`Siwe`]) or Sign In With
/// Solana ([`Siws`]) messages: it fetches a nonce, writes the message, has the wallet sign
/// it, sends both, and reads the session (a cookie or a token) from the answer. Cheap to
/// clone; `Send + Sync`.
///
/// ```no_run
/// use auth_signing::ethereum::LocalEthSigner;
/// use siwx_auth::SiweClient;
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let wallet = LocalEthSigner::from_hex(&std::env::var("KEY")?)?;
/// // spruceid's quickstart shape: GET /nonce, POST /verify, a session cookie.
/// let client = SiweClient::builder("https://app.example.com").build()?;
/// let login = client.login(&wallet).await?;
/// # let _ = login; Ok(()) }
/// ```
pub struct SiwxClient<S: Standard> {
    inner: Arc<Inner>,
    standard: PhantomData<S>,
}

#[derive(Debug)]
struct Inner {
    api: ApiClient,
    endpoints: Endpoints,
    template: MessageTemplate,
    session_lifetime: Duration,
}

impl<S: Standard> Clone for SiwxClient<S> {
    fn clone(&self) -> Self {
        SiwxClient {
            inner: Arc::clone(&self.inner),
            standard: PhantomData,
        }
    }
}

impl<S: Standard> fmt::Debug for SiwxClient<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SiwxClient")
            .field("standard", &S::NAME)
            .field("api", &self.inner.api)
            .field("endpoints", &self.inner.endpoints)
            .field("template", &self.inner.template)
            .finish()
    }
}

impl<S: Standard> SiwxClient<S> {
    /// The base URL in use.
    pub fn base_url(&self) -> &str {
        self.inner.api.base_url()
    }

    /// The backend's clock as this client learned it from the `Date` headers of its
    /// answers: its offset from the local clock and how it was learned
    /// ([`ServerClock::stats`]). `Issued At`, `Expiration Time` and token lifetimes are
    /// read on it.
    pub fn server_clock(&self) -> &ServerClock {
        self.inner.api.server_clock()
    }

    /// The domain the client's messages name (default: the base URL's authority).
    pub fn domain(&self) -> &str {
        &self.inner.template.domain
    }

    /// The URI the client's messages name (default: the base URL).
    pub fn uri(&self) -> &str {
        &self.inner.template.uri
    }

    /// The chain id the client's messages name, as written in them.
    pub fn chain_id(&self) -> &str {
        &self.inner.template.chain_id
    }

    /// Where the session comes back, and so how requests are authorized.
    pub fn session_from(&self) -> &SessionFrom {
        &self.inner.endpoints.session
    }

    /// The lifetime assumed for a session whose answer says none.
    pub fn session_lifetime(&self) -> Duration {
        self.inner.session_lifetime
    }
}
