//! What a session has done, for metrics: counters, and a channel of new tokens.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use auth_types::AccessToken;

use crate::rt::{Mutex, lock};

/// What a session has done since it was built; see
/// [`Session::stats`](crate::Session::stats).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SessionStats {
    /// Logins that succeeded.
    pub logins: u64,
    /// Refreshes that succeeded.
    pub refreshes: u64,
    /// Logins and refreshes that failed, and tokens refused as expired on arrival. A
    /// refused refresh followed by a successful login counts one failure and one login.
    pub failures: u64,
    /// [`access_token`](crate::Session::access_token) calls that waited for a login or
    /// refresh (no token, or one within the hard margin of expiry; a call refused at once
    /// during a backoff does not count). A session in steady use counts one (the first
    /// login).
    pub waits: u64,
    /// Tokens reported refused with [`invalidate`](crate::Session::invalidate) (counted
    /// when the report was accepted).
    pub invalidations: u64,
    /// Tokens taken from a shared store that another session (process, machine) renewed,
    /// instead of renewing: see [`TokenStore::lease`](crate::TokenStore::lease).
    pub adopted: u64,
    /// Tokens reported refused with [`report_refused`](crate::Session::report_refused)
    /// that were taken out of use (so the next call renewed): the renewals a 401 caused.
    pub renewals_for_401: u64,
    /// Reports to [`report_refused`](crate::Session::report_refused) passed on to the
    /// caller without a renewal or a second try: the token was confirmed alive, the cap
    /// of renewals per minute was reached, or the check failed.
    pub refusals_passed_through: u64,
    /// Checks ([`Authenticator::confirm_refused`](crate::Authenticator::confirm_refused))
    /// that found a refused token alive: a business refusal, not a dead token.
    pub refusals_not_confirmed: u64,
    /// Checks that failed or took longer than the wait timeout (the token was kept).
    pub refusal_checks_failed: u64,
    /// When the last new token was received (from a login or refresh), on the session's
    /// wall clock.
    pub last_renewal: Option<SystemTime>,
    /// The session's wall clock minus this machine's, in milliseconds (positive: ahead):
    /// the server's clock as the provider client learned it from its answers
    /// ([`Authenticator::server_clock`](crate::Authenticator::server_clock)), against
    /// which token lifetimes are counted; 0 on the system clock.
    pub clock_offset_ms: i64,
}

/// How a session came by a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenSource {
    /// A login.
    Login,
    /// A refresh.
    Refresh,
    /// The token store: when the session resumed, or when another session sharing the
    /// store had renewed.
    Store,
}

/// A token the session just made current, as seen by
/// [`Session::subscribe`](crate::Session::subscribe). `Debug` shows no token text.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct NewToken {
    /// The access token callers now get.
    pub access_token: AccessToken,
    /// When it expires, on the session's wall clock.
    pub expires_at: SystemTime,
    /// Where it came from.
    pub source: TokenSource,
}

/// The counters behind [`SessionStats`]. Only slow paths write them.
#[derive(Default)]
pub(super) struct Counters {
    pub(super) logins: AtomicU64,
    pub(super) refreshes: AtomicU64,
    pub(super) failures: AtomicU64,
    pub(super) waits: AtomicU64,
    pub(super) invalidations: AtomicU64,
    pub(super) adopted: AtomicU64,
    pub(super) renewals_for_401: AtomicU64,
    pub(super) refusals_passed_through: AtomicU64,
    pub(super) refusals_not_confirmed: AtomicU64,
    pub(super) refusal_checks_failed: AtomicU64,
    pub(super) last_renewal: Mutex<Option<SystemTime>>,
    /// The exported gauges' state.
    #[cfg(feature = "metrics")]
    pub(super) gauges: super::meter::Gauges,
}

impl Counters {
    /// A snapshot.
    pub(super) fn snapshot(&self) -> SessionStats {
        let read = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        SessionStats {
            logins: read(&self.logins),
            refreshes: read(&self.refreshes),
            failures: read(&self.failures),
            waits: read(&self.waits),
            invalidations: read(&self.invalidations),
            adopted: read(&self.adopted),
            renewals_for_401: read(&self.renewals_for_401),
            refusals_passed_through: read(&self.refusals_passed_through),
            refusals_not_confirmed: read(&self.refusals_not_confirmed),
            refusal_checks_failed: read(&self.refusal_checks_failed),
            last_renewal: *lock(&self.last_renewal),
            // Read from the clocks by `Session::stats`.
            clock_offset_ms: 0,
        }
    }
}
