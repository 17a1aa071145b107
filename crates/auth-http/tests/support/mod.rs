//! What the sandbox tests share: sessions of both providers, and a revocation that happens
//! while requests are in flight.

#![allow(dead_code, unreachable_pub)] // each test file uses its own part

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use auth_sandbox::Sandbox;
use auth_test_support::keys::{eth_signer, solana_keypair};
use http::HeaderMap;
use http::header::AUTHORIZATION;
use pear_auth::{PearAuthenticator, PearClient, PearSession};
use pump_auth::{PumpAuthenticator, PumpClient, PumpSession};

/// How many concurrent requests the burst tests send.
pub const BURST: usize = 100;

/// A wallet session against the sandbox's Pear API.
pub fn pear_session(sb: &Sandbox, seed: u8) -> PearSession {
    let client = PearClient::builder()
        .base_url(sb.pear_url())
        .build()
        .unwrap();
    PearSession::new(PearAuthenticator::wallet(
        client,
        Arc::new(eth_signer(seed)),
    ))
}

/// A wallet session against the sandbox's pump.fun API.
pub fn pump_session(sb: &Sandbox, seed: u8) -> PumpSession {
    let client = PumpClient::builder()
        .base_url(sb.pump_url())
        .build()
        .unwrap();
    PumpSession::new(PumpAuthenticator::new(
        client,
        Arc::new(solana_keypair(seed)),
    ))
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
    /// Revokes at the `at`-th request.
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
