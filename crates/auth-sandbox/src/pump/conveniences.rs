//! What a test or example can do with the pump.fun API of a [`Sandbox`] directly.

use std::time::SystemTime;

use super::PumpApi;
use super::state::PumpState;
use crate::sandbox::Sandbox;
use crate::time::unix_secs;

impl Sandbox {
    /// The pump.fun API's base URL; empty if this sandbox does not serve pump.fun (see
    /// [`Sandbox::url_of`]).
    pub fn pump_url(&self) -> String {
        self.url_of(PumpApi::NAME).unwrap_or_default()
    }

    /// Whether `token` is a pump.fun token this sandbox would accept at time `at`.
    pub fn pump_token_valid_at(&self, token: &str, at: SystemTime) -> bool {
        self.unit::<PumpState>()
            .and_then(|pump| pump.verify_at(token, unix_secs(at)))
            .is_some()
    }
}
