//! Sign in with a key that stays in a browser wallet.
//!
//! [`BrowserSignIn::start`] serves a one-time page on `127.0.0.1` (a port picked by the
//! OS, a path of 128 random bits). The page asks the wallet for its account over EIP-1193
//! (`eth_requestAccounts`), posts the account back, and the caller's `prepare` callback
//! fetches what that account must sign (for Pear: `GET /auth/eip712-message`). The page
//! shows it, switches the wallet to the message's chain when needed
//! (`wallet_switchEthereumChain`), asks for `eth_signTypedData_v4` and posts the
//! signature. [`BrowserSignIn::sign_typed_data`] returns it only if it recovers to the
//! account the message was fetched for.
//!
//! Safety: the server listens on loopback only; every request must carry
//! `Host: 127.0.0.1:PORT` (DNS rebinding) and every post `Origin: http://127.0.0.1:PORT`
//! and a JSON body (CSRF); the first signature posted consumes the URL, whether it is
//! accepted or not; the wait times out. The server never sees a key, only a signature of
//! the typed data the caller prepared.
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

mod server;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use auth_signing::eip712::TypedData;
use auth_signing::ethereum::EthSignature;
use auth_types::EvmAddress;
use tokio::sync::mpsc;

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
        /// The account the wallet offered.
        address: EvmAddress,
        /// What the callback said.
        reason: String,
    },
    /// What `prepare` returned is not EIP-712 typed data.
    #[error("the message to sign is not valid EIP-712 typed data: {0}")]
    InvalidTypedData(String),
    /// The posted signature does not come from the account the message was fetched for;
    /// nothing was sent anywhere.
    #[error(
        "the wallet signed with {recovered}, not {address}; switch the wallet to {address} and log in again"
    )]
    WrongAccount {
        /// The account the message was fetched for.
        address: EvmAddress,
        /// Who actually signed (or `none` if the signature is invalid).
        recovered: String,
    },
    /// The page posted a signature before any message was prepared.
    #[error("a signature arrived before the wallet's account; reload the page and log in again")]
    OutOfOrder,
    /// The server stopped before a signature arrived.
    #[error("the sign-in page stopped before a signature arrived")]
    Stopped,
}

/// A signature checked against the account and the typed data it was asked for.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SignedTypedData {
    /// The account that signed (the one `prepare` was called with).
    pub address: EvmAddress,
    /// The typed data document `prepare` returned, exactly as sent to the wallet.
    pub typed_data: serde_json::Value,
    /// The signature over its EIP-712 signing hash.
    pub signature: EthSignature,
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

    /// Waits for the page: when the wallet offers its account, calls `prepare` with it to
    /// fetch the typed data to sign (a JSON document with `types`, `primaryType`, `domain`
    /// and `message`), sends it to the page, and returns the signature once it recovers to
    /// that account. The URL is consumed by the first signature posted.
    ///
    /// The page stays up (answering `410 Gone` to any further post) until this value is
    /// dropped.
    pub async fn sign_typed_data<F, Fut, E>(
        &mut self,
        mut prepare: F,
    ) -> Result<SignedTypedData, BrowserError>
    where
        F: FnMut(EvmAddress) -> Fut,
        Fut: Future<Output = Result<serde_json::Value, E>>,
        E: std::fmt::Display,
    {
        let timeout = self.timeout;
        let run = async {
            let mut prepared: Option<(EvmAddress, serde_json::Value, [u8; 32])> = None;
            loop {
                let Some(event) = self.events.recv().await else {
                    return Err(BrowserError::Stopped);
                };
                match event {
                    Event::Account { address, reply } => {
                        let document = match prepare(address).await {
                            Ok(document) => document,
                            Err(e) => {
                                let error = BrowserError::Prepare {
                                    address,
                                    reason: e.to_string(),
                                };
                                let _ = reply.send(Err(error.to_string()));
                                return Err(error);
                            }
                        };
                        let typed = TypedData::from_json_str(&document.to_string())
                            .map_err(|e| BrowserError::InvalidTypedData(e.to_string()));
                        match typed {
                            Ok(typed) => {
                                let _ = reply.send(Ok(document.clone()));
                                prepared = Some((address, document, typed.signing_hash()));
                            }
                            Err(error) => {
                                let _ = reply.send(Err(error.to_string()));
                                return Err(error);
                            }
                        }
                    }
                    Event::Signature {
                        address,
                        signature,
                        reply,
                    } => {
                        let result = check(prepared.take(), address, signature);
                        let _ = reply.send(match &result {
                            Ok(_) => Ok(()),
                            Err(e) => Err(e.to_string()),
                        });
                        return result;
                    }
                }
            }
        };
        match tokio::time::timeout(timeout, run).await {
            Ok(result) => result,
            Err(_) => Err(BrowserError::TimedOut(timeout)),
        }
    }
}

/// Checks a posted signature against what was prepared: same account, recovers to it.
fn check(
    prepared: Option<(EvmAddress, serde_json::Value, [u8; 32])>,
    posted: EvmAddress,
    signature: EthSignature,
) -> Result<SignedTypedData, BrowserError> {
    let Some((address, typed_data, hash)) = prepared else {
        return Err(BrowserError::OutOfOrder);
    };
    let recovered = auth_signing::ethereum::recover_address(&hash, &signature);
    match recovered {
        Ok(who) if who == address && posted == address => Ok(SignedTypedData {
            address,
            typed_data,
            signature,
        }),
        other => Err(BrowserError::WrongAccount {
            address,
            recovered: other.map_or_else(|_| "none".to_owned(), |a| a.to_checksum()),
        }),
    }
}
