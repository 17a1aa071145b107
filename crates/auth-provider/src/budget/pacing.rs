//! A client's pacing: which budget it uses, its host and its API's quota, and each
//! request sent under it.

use http::{HeaderMap, StatusCode};

use super::RateBudget;
use super::quota::Quota;
use crate::error::ApiError;
use auth_types::lock;

/// Which budget a client paces its requests with.
#[derive(Debug, Clone, Default)]
pub(crate) enum BudgetChoice {
    /// [`RateBudget::process_default`], unless the host is loopback (a sandbox, a test
    /// server): then none.
    #[default]
    Default,
    /// None: requests are never paced.
    Off,
    /// This one.
    Budget(RateBudget),
}

/// A client's pacing: its budget, its host and its API's quota.
#[derive(Debug, Clone)]
pub(crate) struct Pacing {
    budget: RateBudget,
    host: String,
    quota: Option<Quota>,
}

impl Pacing {
    /// The pacing of a client of `base_url` with `choice`; `None` when there is none.
    pub(crate) fn new(
        choice: BudgetChoice,
        base_url: &str,
        quota: Option<Quota>,
    ) -> Option<Pacing> {
        let uri: http::Uri = base_url.parse().ok()?;
        let host = uri.authority()?.as_str().to_owned();
        let budget = match choice {
            BudgetChoice::Off => return None,
            BudgetChoice::Budget(budget) => budget,
            BudgetChoice::Default if is_loopback(uri.host().unwrap_or_default()) => return None,
            BudgetChoice::Default => RateBudget::process_default(),
        };
        Some(Pacing {
            budget,
            host,
            quota,
        })
    }

    /// Waits for this client's next slot; the request counts as in flight until the
    /// [`Sent`] is dropped.
    pub(crate) async fn acquire(&self, api: &'static str) -> Result<Sent, ApiError> {
        self.budget.acquire(api, &self.host, self.quota).await
    }
}

/// A request sent under a budget: in flight until dropped (after its answer, or its
/// failure), when its end is recorded for the sliding-window guard.
#[derive(Debug)]
pub(crate) struct Sent {
    pub(super) budget: RateBudget,
    pub(super) host: String,
    pub(super) id: Option<u64>,
}

impl Sent {
    /// Learns from the answer (see [`RateBudget::learn`]).
    pub(crate) fn learn(&self, status: StatusCode, headers: &HeaderMap) {
        self.budget.learn(&self.host, status, headers);
    }
}

impl Drop for Sent {
    fn drop(&mut self) {
        if let Some(id) = self.id {
            let at = self.budget.now();
            if let Some(state) = lock(&self.budget.inner.hosts).get_mut(&self.host) {
                state.window.done(id, at);
            }
        }
    }
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}
