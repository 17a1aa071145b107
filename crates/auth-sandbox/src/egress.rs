//! The per-egress rate limit: requests counted by the peer's IP address, as pump.fun and
//! Cloudflare count them, in a sliding window (at most `requests` in any `window`).

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use auth_types::lock;
use axum::extract::{ConnectInfo, Request};

use crate::config::RateLimit;

/// What one egress (peer IP address) has been answered so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct EgressCount {
    /// The peer's IP address.
    pub ip: Option<IpAddr>,
    /// Requests let through.
    pub allowed: u64,
    /// Requests answered 429 by the per-egress limit.
    pub refused_429: u64,
}

/// The sliding windows of every egress seen.
pub(crate) struct EgressLimits {
    limit: Option<RateLimit>,
    seen: Mutex<HashMap<IpAddr, Window>>,
}

#[derive(Default)]
struct Window {
    /// When each request within the window was let through, oldest first.
    times: VecDeque<Instant>,
    allowed: u64,
    refused: u64,
}

impl EgressLimits {
    pub(crate) fn new(limit: Option<RateLimit>) -> Self {
        EgressLimits {
            limit,
            seen: Mutex::default(),
        }
    }

    /// Counts `request` against its peer's window; the wait in seconds (at least 1) if
    /// over the limit. Requests without a known peer, or with no limit set, pass.
    pub(crate) fn over_limit(&self, request: &Request) -> Option<u64> {
        let limit = self.limit?;
        let ip = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())?;
        let now = Instant::now();
        let mut seen = lock(&self.seen);
        let window = seen.entry(ip).or_default();
        while window
            .times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= limit.window)
        {
            window.times.pop_front();
        }
        if window.times.len() >= limit.requests as usize {
            window.refused += 1;
            let oldest = window.times.front().copied().unwrap_or(now);
            let left = limit.window.saturating_sub(now.duration_since(oldest));
            return Some(left.max(Duration::from_millis(1)).as_secs_f64().ceil() as u64);
        }
        window.times.push_back(now);
        window.allowed += 1;
        None
    }

    /// The counts of every egress seen, by address.
    pub(crate) fn counts(&self) -> Vec<EgressCount> {
        let mut counts: Vec<EgressCount> = lock(&self.seen)
            .iter()
            .map(|(ip, w)| EgressCount {
                ip: Some(*ip),
                allowed: w.allowed,
                refused_429: w.refused,
            })
            .collect();
        counts.sort_by_key(|c| c.ip);
        counts
    }
}
