//! What the Pear API counts.

use std::sync::atomic::AtomicU64;

use crate::counters::{Counters, read};

/// The Pear API's counters, bumped by its handlers: see the `pear_` fields (and
/// `refused_reuses`, `families_revoked`) of [`Counters`].
#[derive(Default)]
pub(crate) struct PearCounters {
    pub(crate) messages: AtomicU64,
    pub(crate) logins: AtomicU64,
    pub(crate) login_refusals: AtomicU64,
    pub(crate) timestamp_reuses: AtomicU64,
    pub(crate) refreshes: AtomicU64,
    pub(crate) refused_reuses: AtomicU64,
    pub(crate) families_revoked: AtomicU64,
    pub(crate) logouts: AtomicU64,
}

impl PearCounters {
    /// Writes the counts now into `counters`.
    pub(crate) fn report(&self, counters: &mut Counters) {
        counters.pear_messages = read(&self.messages);
        counters.pear_logins = read(&self.logins);
        counters.pear_login_refusals = read(&self.login_refusals);
        counters.pear_timestamp_reuses = read(&self.timestamp_reuses);
        counters.pear_refreshes = read(&self.refreshes);
        counters.refused_reuses = read(&self.refused_reuses);
        counters.families_revoked = read(&self.families_revoked);
        counters.pear_logouts = read(&self.logouts);
    }
}
