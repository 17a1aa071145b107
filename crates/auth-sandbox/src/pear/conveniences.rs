//! What a test or example can do with the Pear API of a [`Sandbox`] directly.

use std::sync::atomic::Ordering;
use std::time::SystemTime;

use auth_types::{ApiKey, EvmAddress};

use super::PearApi;
use super::api_keys::issue_api_key;
use super::state::{PearState, TokenType};
use crate::sandbox::Sandbox;
use crate::time::unix_secs;

impl Sandbox {
    /// The Pear API's base URL, like `http://127.0.0.1:41234`; empty if this sandbox does
    /// not serve Pear (see [`Sandbox::url_of`]).
    pub fn pear_url(&self) -> String {
        self.url_of(PearApi::NAME).unwrap_or_default()
    }

    /// Issues a Pear API key for `address` directly, as if created through `POST /api-keys`.
    /// If this sandbox does not serve Pear, the key is empty (and no server accepts it).
    pub fn issue_api_key(&self, address: EvmAddress) -> ApiKey {
        let key = self
            .unit::<PearState>()
            .map(|pear| issue_api_key(pear, address, None))
            .unwrap_or_default();
        ApiKey::new(key)
    }

    /// Whether `token` is a Pear access token this sandbox would accept at wall-clock time
    /// `at` (signature, type, expiry, not logged out). Not subject to injected faults, so
    /// tests can check every token a client hands out.
    pub fn pear_access_token_valid_at(&self, token: &str, at: SystemTime) -> bool {
        self.unit::<PearState>()
            .and_then(|pear| pear.verify_at(token, TokenType::Access, unix_secs(at)))
            .is_some()
    }

    /// Turns the Pear API's hostile mode on or off from now on (see
    /// [`crate::SandboxConfig::hostile`]).
    pub fn set_hostile(&self, hostile: bool) {
        if let Some(pear) = self.unit::<PearState>() {
            pear.hostile.store(hostile, Ordering::Relaxed);
        }
    }
}
