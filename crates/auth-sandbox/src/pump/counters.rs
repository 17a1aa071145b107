//! What the pump.fun API counts.

use std::sync::atomic::AtomicU64;

use crate::counters::{Counters, read};

/// The pump.fun API's counters, bumped by its handlers: see the `pump_` fields of
/// [`Counters`].
#[derive(Default)]
pub(crate) struct PumpCounters {
    pub(crate) logins: AtomicU64,
    pub(crate) logins_with_bearer: AtomicU64,
    pub(crate) login_refusals: AtomicU64,
    pub(crate) signature_reuses: AtomicU64,
    pub(crate) logouts: AtomicU64,
    pub(crate) protected_with_bearer: AtomicU64,
    pub(crate) protected_with_cookie: AtomicU64,
    pub(crate) tokens_rotated: AtomicU64,
}

impl PumpCounters {
    /// The counts now, by name.
    pub(crate) fn counts(&self) -> Vec<(&'static str, u64)> {
        vec![
            ("logins", read(&self.logins)),
            ("logins_with_bearer", read(&self.logins_with_bearer)),
            ("login_refusals", read(&self.login_refusals)),
            ("signature_reuses", read(&self.signature_reuses)),
            ("logouts", read(&self.logouts)),
            ("protected_with_bearer", read(&self.protected_with_bearer)),
            ("protected_with_cookie", read(&self.protected_with_cookie)),
            ("tokens_rotated", read(&self.tokens_rotated)),
        ]
    }

    /// Writes the counts now into `counters`.
    pub(crate) fn report(&self, counters: &mut Counters) {
        counters.pump_logins = read(&self.logins);
        counters.pump_logins_with_bearer = read(&self.logins_with_bearer);
        counters.pump_login_refusals = read(&self.login_refusals);
        counters.pump_signature_reuses = read(&self.signature_reuses);
        counters.pump_logouts = read(&self.logouts);
        counters.pump_protected_with_bearer = read(&self.protected_with_bearer);
        counters.pump_protected_with_cookie = read(&self.protected_with_cookie);
        counters.pump_tokens_rotated = read(&self.tokens_rotated);
    }
}
