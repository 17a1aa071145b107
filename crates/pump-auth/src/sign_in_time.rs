//! The time a sign-in message carries: never the same millisecond twice for one wallet in
//! one process.
//!
//! ed25519 is deterministic: one wallet signing `Sign in to pump.fun: <ms>` twice in one
//! millisecond makes one signature twice, and pump.fun takes each login signature once
//! (the second login is refused). So every sign-in time handed out for a wallet is later
//! than the one before it for that wallet, whichever [`crate::PumpClient`] asks, whatever
//! its clock says: two clients may share a clock, a clock may stand still (tests) or go
//! back (a corrected system clock).
//!
//! What this cannot cover: sign-ins of the same wallet in other processes or on other
//! machines (the client retries such a refusal once, see `PumpClient::login`), and texts
//! signed outside the client ([`crate::PumpClient::login_signed`] sends what it is given;
//! a text from [`crate::PumpClient::message_for`] did get a time from here).

use std::collections::BTreeMap;
use std::sync::Mutex;

use auth_types::SolanaPubkey;

/// How many wallets the process-wide table remembers by name (about 40 bytes each, plus
/// the map's own). A farm with more wallets than this is still covered: see
/// [`SignInTimes`] for what forgetting a wallet costs (with the system clock, nothing).
const CAPACITY: usize = 1024;

/// The process-wide table.
static TIMES: Mutex<SignInTimes> = Mutex::new(SignInTimes::new(CAPACITY));

/// The unix milliseconds for `wallet`'s next sign-in message: `clock_millis`, or one past
/// the last time handed out for `wallet` in this process if that is not earlier. Strictly
/// increasing per wallet (up to `u64::MAX`, which no clock reaches).
pub(crate) fn next_sign_in_millis(wallet: &SolanaPubkey, clock_millis: u64) -> u64 {
    // The table is consistent after every statement (no panics inside), so a poisoned
    // lock still holds a good table.
    auth_types::lock(&TIMES).next(*wallet.as_bytes(), clock_millis)
}

/// The last sign-in time of up to `capacity` wallets, and a floor for all the others.
///
/// When the table is full, a new wallet pushes out the one with the earliest last time,
/// and the floor rises to that time if it was lower. A wallet not in the table is treated
/// as if its last time were the floor. Since the floor is at least the last time of every
/// wallet ever pushed out, a wallet that comes back still gets a later time than its
/// last, whatever the clocks did: correct with any number of wallets, in bounded memory.
/// With a system clock the floor is a time already past, so it changes nothing; with
/// clocks that stand still or go back, a returning wallet's times may start a little
/// ahead of its clock (within the server's window of minutes unless thousands of
/// sign-ins share one millisecond).
#[derive(Debug)]
struct SignInTimes {
    /// Wallet (public key bytes) -> last time handed out. A `BTreeMap` because its `new`
    /// is `const`, for the `static`.
    last: BTreeMap<[u8; 32], u64>,
    /// At least the last time of every wallet that was pushed out of `last`.
    floor: u64,
    /// At most this many entries in `last` (at least one).
    capacity: usize,
}

impl SignInTimes {
    const fn new(capacity: usize) -> Self {
        SignInTimes {
            last: BTreeMap::new(),
            floor: 0,
            capacity: if capacity == 0 { 1 } else { capacity },
        }
    }

    /// The next time for `wallet` (see [`next_sign_in_millis`]), recorded.
    fn next(&mut self, wallet: [u8; 32], clock_millis: u64) -> u64 {
        let previous = match self.last.get(&wallet) {
            Some(last) => *last,
            None => {
                if self.last.len() >= self.capacity {
                    self.push_out_earliest();
                }
                self.floor
            }
        };
        // A wallet never seen before, with the floor still 0, gets its clock's time (or
        // 1, for a clock at the epoch).
        let next = clock_millis.max(previous.saturating_add(1));
        self.last.insert(wallet, next);
        next
    }

    /// Forgets the wallet with the earliest last time, raising the floor to that time.
    fn push_out_earliest(&mut self) {
        let Some((wallet, last)) = self
            .last
            .iter()
            .min_by_key(|(_, last)| **last)
            .map(|(wallet, last)| (*wallet, *last))
        else {
            return;
        };
        self.last.remove(&wallet);
        self.floor = self.floor.max(last);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> [u8; 32] {
        [n; 32]
    }

    #[test]
    fn a_clock_that_stands_still_or_goes_back_still_gives_later_times() {
        let mut times = SignInTimes::new(8);
        assert_eq!(times.next(key(1), 1000), 1000);
        assert_eq!(times.next(key(1), 1000), 1001);
        assert_eq!(times.next(key(1), 990), 1002);
        // A clock ahead of the last time is taken as it is.
        assert_eq!(times.next(key(1), 5000), 5000);
        // Another wallet has its own times.
        assert_eq!(times.next(key(2), 1000), 1000);
    }

    #[test]
    fn a_wallet_pushed_out_of_a_full_table_still_gets_later_times() {
        let mut times = SignInTimes::new(2);
        assert_eq!(times.next(key(1), 100), 100);
        assert_eq!(times.next(key(1), 100), 101);
        assert_eq!(times.next(key(2), 50), 50);
        // Full: wallet 2 (last 50, the earliest) is pushed out, the floor rises to 50.
        assert_eq!(times.next(key(3), 10), 51);
        assert_eq!(times.last.len(), 2);
        assert_eq!(times.floor, 50);
        // Wallet 2 comes back on a clock that went back. Wallet 3 (51, now the earliest)
        // is pushed out, the floor rises to 51: wallet 2 gets 52, later than its 50.
        assert_eq!(times.next(key(2), 10), 52);
        assert_eq!(times.floor, 51);
        // Wallet 1 stayed and counts on from its own 101.
        assert_eq!(times.next(key(1), 100), 102);
        // Wallet 3 comes back: later than its 51.
        assert_eq!(times.next(key(3), 0), 53);
        assert!(times.last.len() <= 2);
    }

    #[test]
    fn every_wallet_gets_strictly_later_times_through_any_number_of_evictions() {
        // Far more wallets than places, one clock standing still, another going back:
        // every wallet's times must go up strictly.
        let mut times = SignInTimes::new(3);
        let mut seen: BTreeMap<[u8; 32], u64> = BTreeMap::new();
        for round in 0..50u64 {
            for n in 0..10u8 {
                let clock = if n % 2 == 0 { 7 } else { 1000 - round };
                let t = times.next(key(n), clock);
                if let Some(before) = seen.insert(key(n), t) {
                    assert!(t > before, "wallet {n}, round {round}: {t} after {before}");
                }
                assert!(times.last.len() <= 3);
            }
        }
    }

    #[test]
    fn a_capacity_of_zero_is_one() {
        let mut times = SignInTimes::new(0);
        assert_eq!(times.next(key(1), 5), 5);
        assert_eq!(times.next(key(2), 5), 6);
        assert_eq!(times.next(key(1), 5), 7);
        assert_eq!(times.last.len(), 1);
    }

    #[test]
    fn the_process_wide_table_is_per_wallet() {
        // Wallets made for this test only: other tests in this process use the table.
        let a = SolanaPubkey::from([201; 32]);
        let b = SolanaPubkey::from([202; 32]);
        assert_eq!(next_sign_in_millis(&a, 1_000), 1_000);
        assert_eq!(next_sign_in_millis(&a, 1_000), 1_001);
        assert_eq!(next_sign_in_millis(&b, 1_000), 1_000);
    }
}
