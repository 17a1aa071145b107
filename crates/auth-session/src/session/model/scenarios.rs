//! The scenarios: each a few actors over one session, explored by [`explore`].
//!
//! Tokens live 60 s; the refresh buffer is 20 s (no jitter) and the hard margin 5 s, so a
//! clock moved in steps of 15 s takes a token through fresh, due (renewed in the
//! background), urgent (callers wait) and expired.

use std::time::Duration;

use super::Op::{Access, Advance, Invalidate, Logout, RefreshNow};
use super::{Scenario, Server, SessionBuilder, explore};

const LIFETIME: Duration = Duration::from_secs(60);

/// Schedules per seed and scheduler (two seeds each for the random and the PCT scheduler).
const ITERATIONS: usize = 2000;

/// The renew policy of the scenarios, and a wait timeout that never runs out.
fn renewing(builder: SessionBuilder<Server>) -> SessionBuilder<Server> {
    builder
        .refresh_buffer(Duration::from_secs(20))
        .hard_margin(Duration::from_secs(5))
        .wait_timeout(Duration::from_secs(3600))
}

/// Callers racing for the first login, background and urgent renewals as the clock moves,
/// and refused tokens reported while flights run.
#[test]
fn flights_and_invalidations() {
    explore(
        || Scenario {
            lifetime: LIFETIME,
            configure: renewing,
            transient_failures: false,
            stored: false,
            must_see: &[
                "login",
                "refresh",
                "invalidated",
                "expired on arrival",
                "revoked",
            ],
            actors: &[
                &[Access, Access, Invalidate, Access],
                &[Access, Invalidate, Access, Access],
                &[Access, RefreshNow, Access],
                &[Advance(15), Advance(15), Advance(15), Advance(15)],
            ],
        },
        ITERATIONS,
    );
}

/// Logouts racing with logins, refreshes, reports of refused tokens and the clock.
#[test]
fn logouts_race_flights() {
    explore(
        || Scenario {
            lifetime: LIFETIME,
            configure: renewing,
            transient_failures: false,
            stored: false,
            must_see: &["login", "refresh", "invalidated", "logged out", "revoked"],
            actors: &[
                &[Access, Access, Invalidate, Access],
                &[Access, Logout, Access, Access],
                &[Access, RefreshNow, Logout],
                &[Advance(15), Advance(15), Advance(15)],
            ],
        },
        ITERATIONS,
    );
}

/// Idle logout (30 s without a call) racing with callers, a forced refresh and a logout.
#[test]
fn idle_logout_races_callers() {
    explore(
        || Scenario {
            lifetime: LIFETIME,
            configure: |builder| renewing(builder).idle_timeout(Duration::from_secs(30)),
            transient_failures: false,
            stored: false,
            must_see: &["login", "refresh", "invalidated", "logged out", "revoked"],
            actors: &[
                &[Access, Access, Access],
                &[Access, Invalidate, RefreshNow, Logout, Access],
                &[Advance(15), Advance(20), Advance(15), Advance(20)],
            ],
        },
        ITERATIONS,
    );
}

/// Transient failures on the way to the server, and a wait timeout short enough that
/// callers and logouts give up on flights while the clock moves.
#[test]
fn transient_failures_and_timeouts() {
    explore(
        || Scenario {
            lifetime: LIFETIME,
            configure: |builder| {
                builder
                    .refresh_buffer(Duration::from_secs(20))
                    .hard_margin(Duration::from_secs(5))
                    .wait_timeout(Duration::from_secs(10))
            },
            transient_failures: true,
            stored: false,
            must_see: &[
                "refresh",
                "transient failure",
                "transient error",
                "timeout",
                "logout gave up",
                "logged out",
            ],
            actors: &[
                &[Access, Access, Invalidate, Access, Access],
                &[Access, RefreshNow, Logout, Access],
                &[Advance(15), Advance(15), Advance(15), Advance(15)],
            ],
        },
        ITERATIONS,
    );
}

/// A session resuming from a stored pair (read once, by the first flight or logout) while a
/// logout, reports of refused tokens and the clock race it.
#[test]
fn resuming_from_the_store_races_a_logout() {
    explore(
        || Scenario {
            lifetime: LIFETIME,
            configure: renewing,
            transient_failures: false,
            stored: true,
            must_see: &["refresh", "invalidated", "logged out", "revoked"],
            actors: &[
                &[Access, Invalidate, Access, Access],
                &[Logout, Access, RefreshNow],
                &[Access, Access],
                &[Advance(15), Advance(15), Advance(15)],
            ],
        },
        ITERATIONS,
    );
}
