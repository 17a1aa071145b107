//! What the sandbox tests of both adapters share: sessions of both providers, a burst of
//! requests, a revocation that happens while requests are in flight, and what such a
//! revocation may cost.

#![allow(dead_code, unreachable_pub)] // each test file uses its own part

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use auth_sandbox::{Counters, Sandbox};
use auth_test_support::keys::{eth_signer, solana_keypair};
use http::header::AUTHORIZATION;
use http::{HeaderMap, StatusCode};
use pear_auth::{PearAuthenticator, PearClient, PearSession};
use pump_auth::{PumpAuthenticator, PumpClient, PumpSession};

/// How many concurrent requests the burst tests send.
pub const BURST: usize = 100;

/// A wallet session against the sandbox's Pear API.
pub fn pear_session(sb: &Sandbox, seed: u8) -> PearSession {
    pear_session_at(sb.pear_url(), seed)
}

/// A wallet session whose Pear client points at the sandbox's pump.fun server: every
/// login fails, so the session never has a token to give.
pub fn pear_session_that_cannot_log_in(sb: &Sandbox, seed: u8) -> PearSession {
    pear_session_at(sb.pump_url(), seed)
}

fn pear_session_at(base_url: String, seed: u8) -> PearSession {
    PearSession::new(pear_authenticator_at(base_url, seed))
}

/// A wallet authenticator against the sandbox's Pear API, for a session built by hand.
pub fn pear_authenticator(sb: &Sandbox, seed: u8) -> PearAuthenticator {
    pear_authenticator_at(sb.pear_url(), seed)
}

fn pear_authenticator_at(base_url: String, seed: u8) -> PearAuthenticator {
    let client = PearClient::builder().base_url(base_url).build().unwrap();
    PearAuthenticator::wallet(client, Arc::new(eth_signer(seed)))
}

/// A wallet session against the sandbox's pump.fun API.
pub fn pump_session(sb: &Sandbox, seed: u8) -> PumpSession {
    PumpSession::new(pump_authenticator(sb, seed))
}

/// A wallet authenticator against the sandbox's pump.fun API, for a session built by hand.
pub fn pump_authenticator(sb: &Sandbox, seed: u8) -> PumpAuthenticator {
    let client = PumpClient::builder()
        .base_url(sb.pump_url())
        .build()
        .unwrap();
    PumpAuthenticator::new(client, Arc::new(solana_keypair(seed)))
}

/// The server revokes the token carried by the `at`-th request that passes, just before
/// that request reaches it: requests before it succeed with the old token, it and those
/// after it (until the renewal) are refused.
#[derive(Clone)]
pub struct Revoker {
    sandbox: Arc<Sandbox>,
    at: usize,
    seen: Arc<AtomicUsize>,
    revoked: Arc<AtomicUsize>,
}

impl Revoker {
    /// Revokes at the `at`-th request (`usize::MAX`: never, only counts).
    pub fn new(sandbox: Arc<Sandbox>, at: usize) -> Self {
        Revoker {
            sandbox,
            at,
            seen: Arc::default(),
            revoked: Arc::default(),
        }
    }

    /// Counts a request; revokes its token if it is the `at`-th.
    pub fn see(&self, headers: &HeaderMap) {
        if self.seen.fetch_add(1, Ordering::SeqCst) + 1 == self.at {
            let bearer = headers[AUTHORIZATION].to_str().unwrap();
            let token = bearer.strip_prefix("Bearer ").unwrap();
            assert!(self.sandbox.revoke(token), "the token was live");
            self.revoked.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Requests seen (first tries and replays).
    pub fn seen(&self) -> usize {
        self.seen.load(Ordering::SeqCst)
    }

    /// Whether the revocation happened.
    pub fn revoked(&self) -> bool {
        self.revoked.load(Ordering::SeqCst) == 1
    }
}

/// Sends `BURST` requests at once, each on its own task (`send` makes each one's future),
/// and returns their statuses.
pub async fn burst_statuses<F, Fut>(send: F) -> Vec<StatusCode>
where
    F: Fn() -> Fut,
    Fut: Future<Output = StatusCode> + Send + 'static,
{
    let tasks: Vec<_> = (0..BURST).map(|_| tokio::spawn(send())).collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    statuses
}

/// Checks what a revocation in the middle of a burst may cost: no failed request, and
/// each refused request sent once more, no other. `checks_refused` is how many of the
/// sandbox's refusals were the provider's own checks of the token
/// (`Authenticator::confirm_refused`, sent beside the burst: pump.fun's). Returns the
/// sandbox's counters for the provider's own checks (its logins and refreshes).
pub fn assert_burst_healed(
    statuses: &[StatusCode],
    revoker: &Revoker,
    sb: &Sandbox,
    checks_refused: u64,
) -> Counters {
    assert!(revoker.revoked());
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
    let c = sb.counters();
    assert_eq!(c.protected_ok, BURST as u64, "{c:?}");
    assert!(
        c.protected_refused > checks_refused,
        "the revocation was seen: {c:?}"
    );
    assert_eq!(
        revoker.seen() as u64,
        BURST as u64 + c.protected_refused - checks_refused,
        "each refused request was sent once more, no other: {c:?}"
    );
    c
}

/// The sandbox's `(refused, accepted)` protected requests and Pear logins so far.
pub fn pear_tally(sb: &Sandbox) -> (u64, u64, u64) {
    let c = sb.counters();
    (c.protected_refused, c.protected_ok, c.pear_logins)
}
