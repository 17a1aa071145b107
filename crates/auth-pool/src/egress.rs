//! The bound on logins and renewals in flight at once, per egress.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use auth_types::lock;
use tokio::sync::{Semaphore, SemaphorePermit};

/// The egress of keys that name none.
pub const DEFAULT_EGRESS: &str = "";

/// The gates of a pool, one per egress, made on first use.
#[derive(Debug)]
pub(crate) struct Gates {
    /// Calls in flight at once on one egress.
    permits: usize,
    by_egress: Mutex<HashMap<String, Arc<Gate>>>,
    /// What every gate counts, together.
    pub(crate) counts: Arc<Counts>,
}

impl Gates {
    pub(crate) fn new(permits: usize) -> Self {
        Gates {
            permits: permits.max(1),
            by_egress: Mutex::new(HashMap::new()),
            counts: Arc::new(Counts::default()),
        }
    }

    /// The gate of `egress`.
    pub(crate) fn gate(&self, egress: &str) -> Arc<Gate> {
        let mut gates = lock(&self.by_egress);
        if let Some(gate) = gates.get(egress) {
            return Arc::clone(gate);
        }
        let gate = Arc::new(Gate {
            permits: Semaphore::new(self.permits),
            in_flight: AtomicUsize::new(0),
            counts: Arc::clone(&self.counts),
        });
        gates.insert(egress.to_owned(), Arc::clone(&gate));
        gate
    }

    /// How many egresses have been used.
    pub(crate) fn egresses(&self) -> usize {
        lock(&self.by_egress).len()
    }
}

/// One egress: its permits and what is in flight on it now.
#[derive(Debug)]
pub(crate) struct Gate {
    permits: Semaphore,
    in_flight: AtomicUsize,
    counts: Arc<Counts>,
}

/// Counters of a pool's calls to its authenticators, over all egresses.
#[derive(Debug, Default)]
pub(crate) struct Counts {
    /// Calls (login, refresh, logout) in flight now, all egresses.
    pub(crate) in_flight: AtomicUsize,
    /// The most calls ever in flight at once on any one egress.
    pub(crate) max_in_flight: AtomicUsize,
    /// Calls waiting for a permit now.
    pub(crate) waiting: AtomicUsize,
    /// Logins (and re-logins) that succeeded.
    pub(crate) logins: AtomicU64,
    /// Refreshes that succeeded.
    pub(crate) refreshes: AtomicU64,
    /// Logins, re-logins and refreshes that failed.
    pub(crate) failures: AtomicU64,
}

impl Counts {
    pub(crate) fn add(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// A permit of a gate, held across one call; counts it in flight meanwhile.
pub(crate) struct InFlight<'a> {
    gate: &'a Gate,
    /// `None` only if the semaphore was closed, which the pool never does.
    _permit: Option<SemaphorePermit<'a>>,
}

impl Gate {
    /// Waits for a permit.
    pub(crate) async fn enter(&self) -> InFlight<'_> {
        let permit = {
            // Counted down on drop, also when the call is cancelled while it waits.
            let _waiting = Waiting::new(&self.counts);
            self.permits.acquire().await.ok()
        };
        let here = self.in_flight.fetch_add(1, Ordering::AcqRel) + 1;
        self.counts.in_flight.fetch_add(1, Ordering::Relaxed);
        self.counts.max_in_flight.fetch_max(here, Ordering::Relaxed);
        InFlight {
            gate: self,
            _permit: permit,
        }
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        // Before the permit is given back (fields drop after this), so the gauge never
        // counts more than the permits.
        self.gate.in_flight.fetch_sub(1, Ordering::AcqRel);
        self.gate.counts.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Gate {
    /// The pool's counters.
    pub(crate) fn counts(&self) -> &Counts {
        &self.counts
    }
}

/// A call waiting for a permit, counted while it lives.
struct Waiting<'a>(&'a Counts);

impl<'a> Waiting<'a> {
    fn new(counts: &'a Counts) -> Self {
        counts.waiting.fetch_add(1, Ordering::Relaxed);
        Waiting(counts)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::Relaxed);
    }
}
