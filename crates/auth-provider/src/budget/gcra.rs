//! The generic cell rate algorithm with reservations: the arithmetic of a budget, apart
//! from clocks and locks (the Redis script of `auth-store` runs the same steps).

use std::time::Duration;

/// What a reservation decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reservation {
    /// Send after `wait` (zero: at once); the next free slot is now `tat` after the origin.
    Granted {
        /// How long to wait before sending.
        wait: Duration,
        /// The new theoretical arrival time.
        tat: Duration,
    },
    /// The wait would be longer than allowed: nothing was reserved; the earliest slot is
    /// `retry_after` from now.
    TooLong {
        /// How long until a slot is free.
        retry_after: Duration,
    },
}

/// Reserves the next slot of a budget whose theoretical arrival time is `tat` (`None`:
/// never used), at `now` (both measured from the same origin), one every `interval`,
/// up to `tolerance` ahead of that pace (a burst of `tolerance / interval + 1`), waiting at
/// most `max_wait`. A request is due at `max(now, tat - tolerance)`, and the theoretical
/// arrival time moves to `max(tat, due) + interval`.
pub(crate) fn reserve(
    tat: Option<Duration>,
    now: Duration,
    interval: Duration,
    tolerance: Duration,
    max_wait: Duration,
) -> Reservation {
    let (due, tat) = match tat {
        None => (now, now),
        Some(tat) => (tat.saturating_sub(tolerance).max(now), tat.max(now)),
    };
    let wait = due.saturating_sub(now);
    if wait > max_wait {
        return Reservation::TooLong { retry_after: wait };
    }
    Reservation::Granted {
        wait,
        tat: tat.max(due).saturating_add(interval),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn slots_follow_one_another_and_the_wait_is_bounded() {
        let mut tat = None;
        let mut waits = Vec::new();
        for _ in 0..4 {
            match reserve(tat, 100 * MS, 50 * MS, Duration::ZERO, 120 * MS) {
                Reservation::Granted { wait, tat: next } => {
                    waits.push(wait);
                    tat = Some(next);
                }
                Reservation::TooLong { retry_after } => {
                    assert_eq!(retry_after, 150 * MS);
                    waits.push(Duration::MAX);
                }
            }
        }
        assert_eq!(
            waits,
            vec![Duration::ZERO, 50 * MS, 100 * MS, Duration::MAX]
        );
        // A refused reservation took nothing: later, the slot after the third is free.
        assert_eq!(
            reserve(tat, 400 * MS, 50 * MS, Duration::ZERO, Duration::ZERO),
            Reservation::Granted {
                wait: Duration::ZERO,
                tat: 450 * MS
            }
        );
    }

    #[test]
    fn a_burst_leaves_at_once_then_the_pace_resumes() {
        let mut tat = None;
        let mut waits = Vec::new();
        // A burst of 3 at 50 ms: three at once, then one every 50 ms.
        for _ in 0..5 {
            match reserve(tat, 100 * MS, 50 * MS, 100 * MS, Duration::from_secs(1)) {
                Reservation::Granted { wait, tat: next } => {
                    waits.push(wait);
                    tat = Some(next);
                }
                Reservation::TooLong { .. } => waits.push(Duration::MAX),
            }
        }
        assert_eq!(
            waits,
            vec![
                Duration::ZERO,
                Duration::ZERO,
                Duration::ZERO,
                50 * MS,
                100 * MS
            ]
        );
        // After a quiet spell as long as the burst, the whole burst is free again.
        let later = tat.unwrap() + 150 * MS;
        let mut free = 0;
        while let Reservation::Granted { wait, tat: next } =
            reserve(tat, later, 50 * MS, 100 * MS, Duration::ZERO)
        {
            assert_eq!(wait, Duration::ZERO);
            tat = Some(next);
            free += 1;
        }
        assert_eq!(free, 3);
    }
}
