//! The APIs a plain [`Sandbox::start`] serves.

use crate::config::SandboxConfig;
use crate::pear::PearApi;
use crate::pump::PumpApi;
use crate::sandbox::Sandbox;

impl Sandbox {
    /// Starts a sandbox that serves Pear Protocol ([`PearApi`]) and pump.fun
    /// ([`PumpApi`]), each on its own listener. With the default addresses the OS picks
    /// free ports. [`Sandbox::builder`] chooses the APIs instead.
    pub async fn start(config: SandboxConfig) -> std::io::Result<Sandbox> {
        Sandbox::builder(config)
            .api(PearApi)
            .api(PumpApi)
            .start()
            .await
    }
}
