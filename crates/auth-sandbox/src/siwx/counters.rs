//! What a SIWE or SIWS unit counts, read by name with `Sandbox::api_counts`.

use std::sync::atomic::AtomicU64;

use crate::counters::read;

/// The counters of one unit, bumped by its handlers.
#[derive(Default)]
pub(crate) struct SiwxCounters {
    /// Nonces issued (both modes).
    pub(crate) nonces_issued: AtomicU64,
    /// Logins that succeeded (both modes).
    pub(crate) logins: AtomicU64,
    /// Of those, cookie logins (`POST /verify`).
    pub(crate) cookie_logins: AtomicU64,
    /// Of those, token logins (`POST /auth/login`).
    pub(crate) token_logins: AtomicU64,
    /// Logins refused, for any reason (the four below add up to it).
    pub(crate) refused: AtomicU64,
    /// Refused with 422: a body, message text or signature encoding that does not parse.
    pub(crate) refused_malformed: AtomicU64,
    /// Refused with 401: the message's domain, chain or times.
    pub(crate) refused_message: AtomicU64,
    /// Refused with 401: a nonce unknown, of the other mode, expired or used.
    pub(crate) refused_nonce: AtomicU64,
    /// Refused with 401: a signature that does not prove the message's address.
    pub(crate) refused_signature: AtomicU64,
    /// Refreshes that succeeded.
    pub(crate) refreshes: AtomicU64,
    /// Refresh tokens presented a second time (refused).
    pub(crate) refresh_reuses: AtomicU64,
    /// Logouts (both modes).
    pub(crate) logouts: AtomicU64,
    /// Calls of `/personal_information` or `/me` that presented a live session.
    pub(crate) authorized: AtomicU64,
    /// Requests refused for a missing, dead or expired session (401).
    pub(crate) unauthorized: AtomicU64,
}

impl SiwxCounters {
    /// The counts now, by name.
    pub(crate) fn counts(&self) -> Vec<(&'static str, u64)> {
        vec![
            ("nonces_issued", read(&self.nonces_issued)),
            ("logins", read(&self.logins)),
            ("cookie_logins", read(&self.cookie_logins)),
            ("token_logins", read(&self.token_logins)),
            ("refused", read(&self.refused)),
            ("refused_malformed", read(&self.refused_malformed)),
            ("refused_message", read(&self.refused_message)),
            ("refused_nonce", read(&self.refused_nonce)),
            ("refused_signature", read(&self.refused_signature)),
            ("refreshes", read(&self.refreshes)),
            ("refresh_reuses", read(&self.refresh_reuses)),
            ("logouts", read(&self.logouts)),
            ("authorized", read(&self.authorized)),
            ("unauthorized", read(&self.unauthorized)),
        ]
    }
}
