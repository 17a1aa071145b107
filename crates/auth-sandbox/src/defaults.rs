//! The APIs a plain [`Sandbox::start`] serves.

use crate::config::SandboxConfig;
use crate::pear::PearApi;
use crate::pump::PumpApi;
use crate::sandbox::Sandbox;
use crate::siwx::{SiweApi, SiwsApi};

impl Sandbox {
    /// Starts a sandbox that serves Pear Protocol ([`PearApi`]), pump.fun ([`PumpApi`]),
    /// Sign-In with Ethereum ([`SiweApi`]) and Sign In With Solana ([`SiwsApi`]), each on
    /// its own listener. With the default addresses the OS picks free ports.
    /// [`Sandbox::builder`] chooses the APIs instead.
    pub async fn start(config: SandboxConfig) -> std::io::Result<Sandbox> {
        Sandbox::builder(config)
            .api(PearApi)
            .api(PumpApi)
            .api(SiweApi::default())
            .api(SiwsApi::default())
            .start()
            .await
    }
}
