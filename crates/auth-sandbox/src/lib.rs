#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
// Handlers return ready-made error responses early; this is a test server, not a hot path.
#![allow(clippy::result_large_err)]

mod config;
mod counters;
mod faults;
mod headers;
mod jwt;
mod pear;
mod pump;
mod reply;
mod state;
mod time;
mod verify;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use auth_types::{ApiKey, EvmAddress};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use config::{Faults, RateLimit, SandboxConfig};
pub use counters::Counters;
pub use pump::{MESSAGE_PREFIX as PUMP_MESSAGE_PREFIX, ORIGIN as PUMP_ORIGIN};

use state::{State, TokenType, lock};
use std::time::SystemTime;
use time::unix_secs;

/// A running sandbox: both APIs on their own loopback ports.
///
/// Dropping it stops the servers; [`Sandbox::shutdown`] stops them and waits.
pub struct Sandbox {
    pear_addr: SocketAddr,
    pump_addr: SocketAddr,
    state: Arc<State>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Sandbox {
    /// Starts both APIs. With the default addresses the OS picks free ports.
    pub async fn start(config: SandboxConfig) -> std::io::Result<Sandbox> {
        let pear_listener = TcpListener::bind(config.pear_addr).await?;
        let pump_listener = TcpListener::bind(config.pump_addr).await?;
        let pear_addr = pear_listener.local_addr()?;
        let pump_addr = pump_listener.local_addr()?;
        let state = Arc::new(State::new(config));
        let (stop, stopped) = watch::channel(false);
        let mut tasks = Vec::new();
        for (listener, router) in [
            (pear_listener, pear::router(state.clone())),
            (pump_listener, pump::router(state.clone())),
        ] {
            let mut stopped = stopped.clone();
            tasks.push(tokio::spawn(async move {
                let shutdown = async move {
                    let _ = stopped.wait_for(|s| *s).await;
                };
                let _ = axum::serve(listener, router)
                    .with_graceful_shutdown(shutdown)
                    .await;
            }));
        }
        Ok(Sandbox {
            pear_addr,
            pump_addr,
            state,
            stop,
            tasks,
        })
    }

    /// The Pear API's base URL, like `http://127.0.0.1:41234`.
    pub fn pear_url(&self) -> String {
        format!("http://{}", self.pear_addr)
    }

    /// The pump.fun API's base URL.
    pub fn pump_url(&self) -> String {
        format!("http://{}", self.pump_addr)
    }

    /// What has happened so far.
    pub fn counters(&self) -> Counters {
        self.state.counters.snapshot()
    }

    /// Issues a Pear API key for `address` directly, as if created through `POST /api-keys`.
    pub fn issue_api_key(&self, address: EvmAddress) -> ApiKey {
        ApiKey::new(pear::issue_api_key(&self.state, address, None))
    }

    /// Whether `token` is a Pear access token this sandbox would accept at wall-clock time
    /// `at` (signature, type, expiry, not logged out). Not subject to injected faults, so
    /// tests can check every token a client hands out.
    pub fn pear_access_token_valid_at(&self, token: &str, at: SystemTime) -> bool {
        self.state
            .verify_at(token, TokenType::Access, unix_secs(at))
            .is_some()
    }

    /// Whether `token` is a pump.fun token this sandbox would accept at time `at`.
    pub fn pump_token_valid_at(&self, token: &str, at: SystemTime) -> bool {
        self.state
            .verify_at(token, TokenType::Pump, unix_secs(at))
            .is_some()
    }

    /// Ends the login session `token` belongs to on the server side, as an operator or a
    /// security system revoking it early would: from now on every token of that session
    /// (access and refresh token alike, or the pump.fun token) is refused with 401, while
    /// the client still counts them as alive. `token` is a Pear access or refresh token or
    /// a pump.fun token issued by this sandbox; returns `false` if it is not one, or is
    /// dead already.
    pub fn revoke(&self, token: &str) -> bool {
        self.state.revoke_session_of(token)
    }

    /// Replaces the injected faults from now on.
    pub fn set_faults(&self, faults: Faults) {
        *lock(&self.state.faults) = faults;
    }

    /// Turns hostile mode on or off from now on.
    pub fn set_hostile(&self, hostile: bool) {
        self.state.hostile.store(hostile, Ordering::Relaxed);
    }

    /// Stops both servers and waits until they have finished (in-flight requests
    /// complete first).
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        for task in self.tasks.drain(..) {
            let _ = task.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("pear_url", &self.pear_url())
            .field("pump_url", &self.pump_url())
            .finish_non_exhaustive()
    }
}
