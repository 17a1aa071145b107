//! What the sandbox counts, for tests to assert on.

use std::sync::atomic::{AtomicU64, Ordering};

/// What the sandbox has counted so far: Pear Protocol and pump.fun, and the machinery
/// around every API (faults, rate limit, headers, protected endpoints). Read with
/// `Sandbox::counters`; the counts of an API that is not served stay zero. The other APIs
/// (SIWE, SIWS) count by name, read with `Sandbox::api_counts`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Counters {
    /// Pear `GET /auth/eip712-message` answered.
    pub pear_messages: u64,
    /// Pear logins that succeeded (any method).
    pub pear_logins: u64,
    /// Pear logins refused with 401 (bad signature, stale, missing or already used
    /// timestamp, unknown key).
    pub pear_login_refusals: u64,
    /// Pear `eip712` logins refused because their `(address, timestamp)` had already
    /// logged in (login timestamps are single use). Also counted in
    /// [`Counters::pear_login_refusals`]. A client that retries a login by sending the
    /// same signature again shows here.
    pub pear_timestamp_reuses: u64,
    /// Pear refreshes that succeeded.
    pub pear_refreshes: u64,
    /// Refresh tokens presented a second time (always refused). A correct client keeps
    /// this at zero.
    pub refused_reuses: u64,
    /// Login sessions revoked whole because one of their refresh tokens was presented a
    /// second time (only with `SandboxConfig::revoke_family_on_reuse`).
    pub families_revoked: u64,
    /// Pear logouts.
    pub pear_logouts: u64,
    /// pump.fun logins that succeeded (any format).
    pub pump_logins: u64,
    /// pump.fun logins that succeeded and carried an `Authorization: Bearer` header, as
    /// the specification's login example does (the token is never checked on login).
    pub pump_logins_with_bearer: u64,
    /// pump.fun logins refused (malformed, bad or reused signature, stale message, wrong
    /// `authType`).
    pub pump_login_refusals: u64,
    /// pump.fun logins refused because their signature had already logged in (login
    /// signatures are single use). Also counted in [`Counters::pump_login_refusals`].
    pub pump_signature_reuses: u64,
    /// pump.fun logouts.
    pub pump_logouts: u64,
    /// pump.fun protected requests (`my-profile`, logout, `coins/forbidden`) that carried
    /// the token as `Authorization: Bearer` (the token route's clients).
    pub pump_protected_with_bearer: u64,
    /// pump.fun protected requests that carried an `auth_token` cookie (a browser after a
    /// cookie login, the public bots). A request with both counts in both; the bearer
    /// header is the one read.
    pub pump_protected_with_cookie: u64,
    /// pump.fun logins that ended the wallet's previous login session (with
    /// `SandboxConfig::pump_login_rotates`, the default): its token died then.
    pub pump_tokens_rotated: u64,
    /// POST requests to either API without an `Accept` header that admits
    /// `application/json` (`application/json`, `application/*` or `*/*`, not with
    /// `q=0`). Neither server refuses them; a client that sends `Accept` keeps this at
    /// zero.
    pub json_posts_without_accept: u64,
    /// Requests that presented a live token (Pear `whoami` and API keys, pump.fun
    /// `my-profile` and logout).
    pub protected_ok: u64,
    /// Requests refused with 401 for a missing, dead or expired token.
    pub protected_refused: u64,
    /// Requests with a live token refused with 401 all the same, by an endpoint that
    /// refuses the action, not the token (Pear `GET /sandbox/forbidden`, pump.fun
    /// `GET /coins/forbidden`). Also counted in [`Counters::protected_ok`].
    pub business_refusals: u64,
    /// Injected 500 answers.
    pub faults_500: u64,
    /// 429 answers (rate limit or injected).
    pub faults_429: u64,
    /// 429 answers of the rate limits (the whole sandbox's and the per-egress one), not
    /// injected; also counted in [`Counters::faults_429`]. Per egress:
    /// `Sandbox::egress_counts`.
    pub rate_limit_429: u64,
    /// 403 HTML block pages of the per-egress limit
    /// ([`SandboxConfig::egress_block_page`](crate::SandboxConfig::egress_block_page)).
    pub edge_blocks: u64,
    /// Connections dropped before processing.
    pub faults_drop_before: u64,
    /// Connections dropped after processing.
    pub faults_drop_after: u64,
}

/// Adds one to a counter.
pub(crate) fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// The value of a counter now.
pub(crate) fn read(counter: &AtomicU64) -> u64 {
    counter.load(Ordering::Relaxed)
}
