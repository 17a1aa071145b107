//! Sign in with a key that stays in a browser wallet.
//!
//! [`BrowserSignIn::start`] serves a one-time page on `127.0.0.1` (a port picked by the
//! OS, a path of 128 random bits). The page asks the wallet for its account, posts the
//! account back, and the caller's `prepare` callback fetches what that account must sign.
//! The page shows it, has the wallet sign it and posts the signature, which is returned
//! only once it is checked against that account:
//!
//! - [`BrowserSignIn::sign_typed_data`]: an Ethereum wallet (EIP-1193:
//!   `eth_requestAccounts`, `wallet_switchEthereumChain` to the message's chain when
//!   needed, `eth_signTypedData_v4`) signs EIP-712 typed data (Pear's
//!   `GET /auth/eip712-message`); the signature must recover to the account.
//! - [`BrowserSignIn::sign_message_ethereum`]: the same wallet signs a text with
//!   `personal_sign` (EIP-191; a SIWE message); the signature must recover to the account.
//! - [`BrowserSignIn::sign_message_solana`]: a Solana wallet (Phantom's provider,
//!   `window.phantom.solana` or `window.solana`: `connect`, `signMessage`) signs a text (a
//!   pump.fun sign-in, a SIWS message); the ed25519 signature must verify against the
//!   wallet's public key over exactly that text.
//!
//! Safety: the server listens on loopback only; every request must carry
//! `Host: 127.0.0.1:PORT` (DNS rebinding) and every post `Origin: http://127.0.0.1:PORT`
//! and a JSON body (CSRF); the first signature posted consumes the URL, whether it is
//! accepted or not; the wait times out. The server never sees a key, only a signature of
//! what the caller prepared; nothing else is offered to the wallet.
//!
//! ```no_run
//! # async fn demo() -> Result<(), auth_browser::BrowserError> {
//! use auth_browser::{BrowserSignIn, SignInOptions};
//! let mut sign_in = BrowserSignIn::start(SignInOptions::default()).await?;
//! println!("open {}", sign_in.url());
//! let signed = sign_in
//!     .sign_typed_data(|address| async move {
//!         // Fetch the message for `address` from the service here.
//!         let _ = address;
//!         Ok::<_, String>(serde_json::json!({}))
//!     })
//!     .await?;
//! println!("{} signed", signed.address);
//! # Ok(()) }
//! ```

mod ethereum;
mod flow;
mod server;
mod solana;

use std::net::SocketAddr;
use std::time::Duration;

use tokio::sync::mpsc;

pub use ethereum::{SignedEthereumMessage, SignedTypedData};
pub use solana::SignedSolanaMessage;

use server::{Event, Served};

/// How long [`BrowserSignIn::sign_typed_data`] waits for the wallet by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// Options of a browser sign-in.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SignInOptions {
    /// What the page calls the sign-in (e.g. "Pear Protocol login"); shown as text.
    pub title: String,
    /// How long to wait for the signature before giving up.
    pub timeout: Duration,
}

impl Default for SignInOptions {
    fn default() -> Self {
        SignInOptions {
            title: "Wallet sign-in".to_owned(),
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

impl SignInOptions {
    /// Sets the title shown on the page.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// Sets how long to wait for the signature.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// Why a browser sign-in failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BrowserError {
    /// The loopback server could not start.
    #[error("could not listen on 127.0.0.1: {0}; check that loopback networking is available")]
    Listen(#[source] std::io::Error),
    /// No signature arrived in time.
    #[error("no signature arrived within {0:?}; open the URL again with a new login")]
    TimedOut(Duration),
    /// The caller's `prepare` callback failed for the account the wallet chose.
    #[error("could not prepare the message for {address}: {reason}")]
    Prepare {
        /// The account the wallet offered (an Ethereum address or a Solana public key).
        address: String,
        /// What the callback said.
        reason: String,
    },
    /// What `prepare` returned is not EIP-712 typed data.
    #[error("the message to sign is not valid EIP-712 typed data: {0}")]
    InvalidTypedData(String),
    /// The page posted a signature that is not one (wrong length or encoding); the URL is
    /// used up.
    #[error("the page posted a malformed {0}; start a new login")]
    Malformed(String),
    /// The posted signature does not come from the account the message was fetched for;
    /// nothing was sent anywhere.
    #[error(
        "the wallet signed with {recovered}, not {address}; switch the wallet to {address} and log in again"
    )]
    WrongAccount {
        /// The account the message was fetched for.
        address: String,
        /// Who actually signed (or `none` if the signature is invalid; for Solana, which
        /// has no recovery, "another key").
        recovered: String,
    },
    /// The page posted a signature before any message was prepared.
    #[error("a signature arrived before the wallet's account; reload the page and log in again")]
    OutOfOrder,
    /// The server stopped before a signature arrived.
    #[error("the sign-in page stopped before a signature arrived")]
    Stopped,
}

/// A running one-time sign-in page; see the crate docs.
#[derive(Debug)]
pub struct BrowserSignIn {
    served: Served,
    events: mpsc::Receiver<Event>,
    timeout: Duration,
}

impl BrowserSignIn {
    /// Starts the page server on `127.0.0.1` with a port the OS picks.
    pub async fn start(options: SignInOptions) -> Result<Self, BrowserError> {
        let (served, events) = server::serve(options.title).await?;
        Ok(BrowserSignIn {
            served,
            events,
            timeout: options.timeout,
        })
    }

    /// The one-time URL to open in the browser that has the wallet.
    pub fn url(&self) -> String {
        self.served.url()
    }

    /// The server's address (always on 127.0.0.1).
    pub fn local_addr(&self) -> SocketAddr {
        self.served.addr
    }
}
