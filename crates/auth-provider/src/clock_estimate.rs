//! The arithmetic of [`ServerClock`](crate::ServerClock): samples of the server's time,
//! smoothed (a median of the recent ones), bounded, with outliers set aside and a real step
//! of either clock still followed. Pure: every input is given, so the tests feed fixed
//! numbers.

use std::collections::VecDeque;
use std::time::{Duration, SystemTime};

/// How many accepted samples the median is taken over.
pub(crate) const WINDOW: usize = 9;

/// Offsets the applied estimate does not move for: the `Date` header has one-second
/// resolution, so a correction smaller than this is noise. The applied offset stays 0 for
/// a clock within this of the server's, and afterwards moves only when the estimate
/// differs from it by at least this much (so message times and deadlines do not wobble).
pub(crate) const APPLY_STEP_MS: i64 = 1_000;

/// A sample further than this (or than its own uncertainty plus one second) from the
/// current median is an outlier.
const OUTLIER_MIN_MS: u64 = 2_000;

/// This many outliers in a row that agree with one another are a real step of a clock
/// (a machine whose clock was corrected), not noise: they replace the window.
const STEP_CONFIRMATIONS: usize = 3;

/// A round trip longer than this says too little about when the server wrote its time.
const MAX_ROUND_TRIP: Duration = Duration::from_secs(60);

/// What one observation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Taken into the window; `changed` when the applied offset moved.
    Accepted {
        /// The applied offset moved.
        changed: bool,
    },
    /// Kept aside as a possible step of a clock (not used yet).
    Outlier,
    /// Thrown away: absurd (beyond the bound), a round trip too long or going back.
    Rejected,
}

/// One sample: the server's clock minus the local clock, with its uncertainty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sample {
    /// Server minus local, in milliseconds.
    pub(crate) offset_ms: i64,
    /// Half the width of the interval the true offset is in.
    pub(crate) uncertainty_ms: u64,
}

impl Sample {
    /// The sample a time `server` (which the server truncated to `resolution`) gives,
    /// for a request sent at local time `sent` and answered at local time `received`:
    /// the server wrote its time somewhere in between, so the offset lies within
    /// `[server - received, server + resolution - sent]`; the sample is that interval's
    /// middle. `None` when the local clock went back during the exchange or the round
    /// trip was too long to say anything.
    pub(crate) fn from_exchange(
        sent: SystemTime,
        received: SystemTime,
        server: SystemTime,
        resolution: Duration,
    ) -> Option<Sample> {
        let round_trip = received.duration_since(sent).ok()?;
        if round_trip > MAX_ROUND_TRIP {
            return None;
        }
        let low = signed_ms_between(received, server)?;
        let high = signed_ms_between(sent, server)?.checked_add(millis(resolution))?;
        let offset_ms = low.checked_add(high.checked_sub(low)? / 2)?;
        let uncertainty_ms = u64::try_from(high.checked_sub(low)?).ok()?.div_ceil(2);
        Some(Sample {
            offset_ms,
            uncertainty_ms,
        })
    }
}

/// `to - from` in signed milliseconds (`None` past ±292 million years).
fn signed_ms_between(from: SystemTime, to: SystemTime) -> Option<i64> {
    match to.duration_since(from) {
        Ok(ahead) => i64::try_from(ahead.as_millis()).ok(),
        Err(behind) => i64::try_from(behind.duration().as_millis())
            .ok()
            .map(|ms| -ms),
    }
}

/// Whole milliseconds of `d`, saturated.
pub(crate) fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// The estimator's state.
#[derive(Debug, Clone)]
pub(crate) struct Estimator {
    /// Accepted samples, newest last, at most [`WINDOW`].
    window: VecDeque<Sample>,
    /// Outliers in a row since the last accepted sample.
    pending: Vec<Sample>,
    /// The offset in use.
    applied_ms: i64,
    /// Samples beyond this bound (either way) are absurd.
    max_offset_ms: i64,
    /// Counts.
    pub(crate) accepted: u64,
    pub(crate) outliers: u64,
    pub(crate) rejected: u64,
    pub(crate) changes: u64,
}

impl Estimator {
    /// An estimator that learns nothing beyond `max_offset` either way.
    pub(crate) fn new(max_offset: Duration) -> Self {
        Estimator {
            window: VecDeque::with_capacity(WINDOW),
            pending: Vec::new(),
            applied_ms: 0,
            max_offset_ms: millis(max_offset),
            accepted: 0,
            outliers: 0,
            rejected: 0,
            changes: 0,
        }
    }

    /// The offset in use (server minus local, milliseconds).
    pub(crate) fn applied_ms(&self) -> i64 {
        self.applied_ms
    }

    /// How many samples the current estimate is made of.
    pub(crate) fn samples(&self) -> usize {
        self.window.len()
    }

    /// Takes one sample in.
    pub(crate) fn observe(&mut self, sample: Sample) -> Outcome {
        if sample.offset_ms.unsigned_abs() > self.max_offset_ms.unsigned_abs() {
            self.rejected += 1;
            return Outcome::Rejected;
        }
        if let Some(median) = self.median() {
            let tolerance = OUTLIER_MIN_MS.max(sample.uncertainty_ms.saturating_add(1_000));
            if sample.offset_ms.abs_diff(median) > tolerance {
                self.outliers += 1;
                self.pending.push(sample);
                if !self.pending_agree() {
                    // Keep only the newest: a step is confirmed by samples in a row that
                    // agree, and this one disagrees with those before it.
                    self.pending.drain(..self.pending.len() - 1);
                    return Outcome::Outlier;
                }
                if self.pending.len() < STEP_CONFIRMATIONS {
                    return Outcome::Outlier;
                }
                // A real step: the outliers in a row become the window.
                self.window.clear();
                self.window.extend(self.pending.drain(..));
                self.accepted += 1;
                return Outcome::Accepted {
                    changed: self.apply(),
                };
            }
        }
        self.pending.clear();
        if self.window.len() == WINDOW {
            self.window.pop_front();
        }
        self.window.push_back(sample);
        self.accepted += 1;
        Outcome::Accepted {
            changed: self.apply(),
        }
    }

    /// Whether every pending outlier agrees with the others (within their tolerance).
    fn pending_agree(&self) -> bool {
        let (Some(min), Some(max)) = (
            self.pending.iter().map(|s| s.offset_ms).min(),
            self.pending.iter().map(|s| s.offset_ms).max(),
        ) else {
            return true;
        };
        let widest = self
            .pending
            .iter()
            .map(|s| s.uncertainty_ms)
            .max()
            .unwrap_or(0);
        max.abs_diff(min) <= OUTLIER_MIN_MS.max(widest.saturating_mul(2).saturating_add(1_000))
    }

    /// The median of the window's offsets (the lower middle of an even count).
    pub(crate) fn median(&self) -> Option<i64> {
        let mut offsets: Vec<i64> = self.window.iter().map(|s| s.offset_ms).collect();
        offsets.sort_unstable();
        offsets.get(offsets.len().saturating_sub(1) / 2).copied()
    }

    /// Moves the applied offset to the median if it differs by at least
    /// [`APPLY_STEP_MS`]; whether it moved.
    fn apply(&mut self) -> bool {
        let Some(median) = self.median() else {
            return false;
        };
        if median.abs_diff(self.applied_ms) < APPLY_STEP_MS.unsigned_abs() {
            return false;
        }
        self.applied_ms = median;
        self.changes += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    const DAY: Duration = Duration::from_secs(86_400);

    fn at_ms(ms: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(ms)
    }

    fn sample(offset_ms: i64) -> Sample {
        Sample {
            offset_ms,
            uncertainty_ms: 600,
        }
    }

    #[test]
    fn a_sample_is_the_middle_of_what_the_exchange_allows() {
        // Sent at 1000.000, answered at 1000.200 (local); the server wrote "1600" (whole
        // seconds). Its time was in [1600.000, 1601.000) while ours was in
        // [1000.000, 1000.200]: offset in [599.800, 601.000], middle 600.400.
        let s = Sample::from_exchange(
            at_ms(1_000_000),
            at_ms(1_000_200),
            at_ms(1_600_000),
            Duration::from_secs(1),
        );
        assert_eq!(
            s,
            Some(Sample {
                offset_ms: 600_400,
                uncertainty_ms: 600
            })
        );
        // Behind: the server wrote 400 for the same exchange.
        let s = Sample::from_exchange(
            at_ms(1_000_000),
            at_ms(1_000_200),
            at_ms(400_000),
            Duration::from_secs(1),
        );
        assert_eq!(s.map(|s| s.offset_ms), Some(-599_600));
        // A local clock that went back during the exchange, or a round trip of minutes,
        // teaches nothing.
        let back = Sample::from_exchange(
            at_ms(1_000_200),
            at_ms(1_000_000),
            at_ms(1_600_000),
            Duration::from_secs(1),
        );
        assert_eq!(back, None);
        let slow = Sample::from_exchange(
            at_ms(1_000_000),
            at_ms(1_000_000 + 61_000),
            at_ms(1_600_000),
            Duration::from_secs(1),
        );
        assert_eq!(slow, None);
    }

    #[test]
    fn the_first_sample_is_applied_at_once_and_noise_below_a_second_never() {
        let mut e = Estimator::new(DAY);
        assert_eq!(
            e.observe(sample(600_400)),
            Outcome::Accepted { changed: true }
        );
        assert_eq!(e.applied_ms(), 600_400);
        // Jitter of the next samples (well within a second) leaves it where it is.
        for jitter in [-450, 300, 499, -200, 100] {
            assert_eq!(
                e.observe(sample(600_400 + jitter)),
                Outcome::Accepted { changed: false }
            );
        }
        assert_eq!(e.applied_ms(), 600_400);
        assert_eq!(e.changes, 1);

        // A clock within the resolution of the server's is never corrected.
        let mut e = Estimator::new(DAY);
        for offset in [400, -450, 120, 499, -300] {
            assert_eq!(
                e.observe(sample(offset)),
                Outcome::Accepted { changed: false }
            );
        }
        assert_eq!(e.applied_ms(), 0);
        assert_eq!(e.samples(), 5);
    }

    #[test]
    fn the_median_smooths_and_the_window_is_bounded() {
        let mut e = Estimator::new(DAY);
        // Samples spread within the outlier tolerance: the median, not the mean.
        for offset in [10_000, 11_500, 9_000, 10_200, 11_900] {
            e.observe(sample(offset));
        }
        assert_eq!(e.median(), Some(10_200));
        assert_eq!(e.applied_ms(), 10_000, "moved only once past a second");
        for _ in 0..20 {
            e.observe(sample(11_500));
        }
        assert_eq!(e.samples(), WINDOW);
        assert_eq!(e.median(), Some(11_500));
        assert_eq!(e.applied_ms(), 11_500);
    }

    #[test]
    fn absurd_samples_are_rejected_and_single_outliers_ignored() {
        let mut e = Estimator::new(DAY);
        assert_eq!(e.observe(sample(90_000_000)), Outcome::Rejected);
        assert_eq!(e.observe(sample(-90_000_000)), Outcome::Rejected);
        assert_eq!(e.observe(sample(i64::MIN)), Outcome::Rejected);
        assert_eq!(e.samples(), 0);
        assert_eq!(e.rejected, 3);
        e.observe(sample(-600_000));
        // One wild answer (a cached page, a proxy's clock) does not move the estimate,
        // and neither do two that disagree with each other.
        assert_eq!(e.observe(sample(3_600_000)), Outcome::Outlier);
        assert_eq!(
            e.observe(sample(-600_200)),
            Outcome::Accepted { changed: false }
        );
        assert_eq!(e.observe(sample(5_000)), Outcome::Outlier);
        assert_eq!(e.observe(sample(7_200_000)), Outcome::Outlier);
        assert_eq!(e.applied_ms(), -600_000);
        assert_eq!(e.outliers, 3);
        // A tighter bound.
        let mut tight = Estimator::new(Duration::from_secs(60));
        assert_eq!(tight.observe(sample(61_000)), Outcome::Rejected);
        assert_eq!(
            tight.observe(sample(-59_000)),
            Outcome::Accepted { changed: true }
        );
    }

    #[test]
    fn a_real_step_is_followed_after_three_agreeing_samples() {
        let mut e = Estimator::new(DAY);
        for _ in 0..WINDOW {
            e.observe(sample(600_000));
        }
        // The local clock was corrected: the server now reads 0 ahead.
        assert_eq!(e.observe(sample(300)), Outcome::Outlier);
        assert_eq!(e.observe(sample(-200)), Outcome::Outlier);
        assert_eq!(e.applied_ms(), 600_000);
        assert_eq!(e.observe(sample(100)), Outcome::Accepted { changed: true });
        assert_eq!(e.samples(), STEP_CONFIRMATIONS);
        assert_eq!(e.median(), Some(100));
        assert_eq!(e.applied_ms(), 100);
        // Back within a second of the server: the next samples keep it there.
        assert_eq!(
            e.observe(sample(-400)),
            Outcome::Accepted { changed: false }
        );
    }
}
