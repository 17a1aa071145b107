//! Pear's clock as the client learns it: every answer's `Date` header (in the send path of
//! `auth-provider`) and the `timestamp` of each login message, a reading of the server's
//! clock in whole seconds. The message check ([`crate::LoginCheck`]) reads the
//! timestamp's freshness on that clock, so a machine whose clock is off still logs in.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use auth_provider::ServerClock;
use auth_types::Clock;

use crate::client::PearClient;
use crate::message::json_u64;

impl PearClient {
    /// Pear's clock as this client learned it from Pear's answers (their `Date` headers
    /// and the login messages' timestamps): its offset from the local clock and how it
    /// was learned ([`ServerClock::stats`]). Message freshness and token lifetimes are
    /// read on it.
    pub fn server_clock(&self) -> &ServerClock {
        self.inner.api.server_clock()
    }

    /// The local time a request leaves, for [`observe_message_time`](Self::observe_message_time).
    pub(crate) fn sent_at(&self) -> SystemTime {
        self.server_clock().local().now()
    }

    /// Takes a login message's top-level `timestamp` (unix seconds, as Pear writes its
    /// clock) in as a reading of Pear's clock, for a request that left at `sent`. A
    /// timestamp that is not a number is left to the message check.
    pub(crate) fn observe_message_time(
        &self,
        sent: SystemTime,
        timestamp: Option<&serde_json::Value>,
    ) {
        let Some(secs) = timestamp.and_then(json_u64) else {
            return;
        };
        let Some(server) = UNIX_EPOCH.checked_add(Duration::from_secs(secs)) else {
            return;
        };
        let clock = self.server_clock();
        clock.observe(sent, clock.local().now(), server, Duration::from_secs(1));
    }
}
