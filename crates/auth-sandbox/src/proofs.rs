//! Single-use login proofs: a signed timestamp or signature that has logged in once is
//! refused the next time. Proofs that the freshness window refuses anyway are forgotten,
//! so the memory stays bounded.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::Duration;

use auth_types::lock;

use crate::time::unix_now_ms;

/// How long past the freshness window a used login proof is remembered, so that no
/// clock-second boundary between the freshness check and the pruning lets one through
/// twice.
const PRUNE_MARGIN: Duration = Duration::from_secs(60);

/// Login proofs that have been used, each with the time it carries.
pub(crate) struct UsedProofs<K> {
    /// How far from now a proof's time may be and still be kept.
    keep_ms: u64,
    used: Mutex<HashMap<K, u64>>,
}

impl<K: Hash + Eq> UsedProofs<K> {
    /// Remembers proofs as long as a freshness window of `window` could accept them.
    pub(crate) fn new(window: Duration) -> Self {
        let keep = window.saturating_add(PRUNE_MARGIN);
        UsedProofs {
            keep_ms: u64::try_from(keep.as_millis()).unwrap_or(u64::MAX),
            used: Mutex::new(HashMap::new()),
        }
    }

    /// Records that the proof `key`, carrying the time `at_ms` (unix milliseconds), was
    /// used; `false` if it had been used before.
    pub(crate) fn claim(&self, key: K, at_ms: u64) -> bool {
        let now = unix_now_ms();
        let mut used = lock(&self.used);
        used.retain(|_, t| now.abs_diff(*t) <= self.keep_ms);
        used.insert(key, at_ms).is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proof_is_claimed_once() {
        let proofs = UsedProofs::new(Duration::from_secs(300));
        let now = unix_now_ms();
        assert!(proofs.claim(1u8, now));
        assert!(!proofs.claim(1u8, now));
        assert!(proofs.claim(2u8, now));
    }

    #[test]
    fn proofs_far_outside_the_window_are_forgotten() {
        let proofs = UsedProofs::new(Duration::from_secs(1));
        let long_ago = unix_now_ms() - 3_600_000;
        assert!(proofs.claim(1u8, long_ago));
        // Pruned on the next claim, so the old proof counts as new again (the freshness
        // window refuses it before it gets here).
        assert!(proofs.claim(1u8, long_ago));
    }
}
