//! A model check of the session's real code under `shuttle`.
//!
//! In this crate's unit tests the runtime seam ([`crate::rt`]) puts the session on
//! shuttle's scheduler and a virtual clock, so every lock, every load or swap of the
//! current token, every spawned flight and every timer is a point where the scheduler
//! chooses which task runs next. Each scenario ([`scenarios`]) is a few actors (tasks
//! that ask for tokens, report them refused, force refreshes, log out, or move the
//! clock) run against the model server ([`server`]); shuttle's random and PCT schedulers,
//! from fixed seeds, pick the interleavings. After every hand-out and every logout, and
//! once more at the end, the ledger of what the server and the actors saw is checked:
//!
//! - (a) a refresh token is never presented twice (at refresh or logout): checked by the
//!   server as it is presented;
//! - (b) no caller is handed a token that has expired by the injected wall clock at the
//!   moment it gets it;
//! - (c) a logout leaves no live token: when it returns, neither the current token nor
//!   the store holds a token issued before it began; a call made after it returned never
//!   gets such a token, nor one the server revoked before the call; at the end, after a
//!   last logout, every refresh token the server issued has been presented (spent or
//!   revoked) unless a logout gave up waiting (documented to forget tokens without
//!   telling the server);
//! - (d) a token reported refused with `invalidate` (which returned `true`) is never
//!   handed out to a call made after the report.
//!
//! A failing schedule is printed by shuttle and can be replayed with `shuttle::replay`.

mod scenarios;
mod server;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use auth_types::AccessToken;
use shuttle::scheduler::{PctScheduler, RandomScheduler};
use shuttle::{Config, Runner};

use self::server::{Server, SharedLedger, ledger};
use super::{Session, SessionBuilder};
use crate::authenticator::{AuthError as _, FailureKind};
use crate::rt::clock;
use crate::session::SessionError;
use auth_store::{MemoryStore, TokenStore as _};

/// One step of an actor.
#[derive(Debug, Clone, Copy)]
enum Op {
    /// `access_token`, checking what it hands out.
    Access,
    /// `invalidate` the last token this actor got.
    Invalidate,
    /// `refresh_now`, checking what it hands out.
    RefreshNow,
    /// `logout`, checking what is left.
    Logout,
    /// Moves the virtual clock on by this many seconds.
    Advance(u64),
}

/// A session's settings and the actors that use it.
struct Scenario {
    /// How long the server's tokens live.
    lifetime: Duration,
    /// Settings beyond the defaults of every scenario (no jitter, the model's clock and
    /// store).
    configure: fn(SessionBuilder<Server>) -> SessionBuilder<Server>,
    /// Whether logins and refreshes may fail transiently.
    transient_failures: bool,
    /// Events some execution must reach (see [`Ledger::saw`](server::Ledger::saw)), so
    /// that the scenario is known to cover them.
    must_see: &'static [&'static str],
    /// Whether the store holds a pair from an earlier run (of this identity) to resume.
    stored: bool,
    /// Each actor's steps, run as a task of its own.
    actors: &'static [&'static [Op]],
}

/// Schedules tried per seed, and the seeds, per scheduler.
const RANDOM_SEEDS: [u64; 2] = [0x5e55_1011, 0xf11e_47a5];
const PCT_SEEDS: [u64; 2] = [0x0b5e_55ed, 0x1d1e_0123];
/// PCT's bound on the number of priority changes (bugs of depth up to this are found with
/// a probability PCT guarantees).
const PCT_DEPTH: usize = 3;

/// Runs `scenario` under `iterations` random schedules and as many PCT schedules for each
/// fixed seed. A broken invariant panics with the schedule that broke it.
fn explore(scenario: fn() -> Scenario, iterations: usize) {
    let config = || {
        let mut config = Config::new();
        config.stack_size = 0x8_0000;
        config
    };
    let seen = Arc::new(Mutex::new(BTreeMap::new()));
    let totals = Arc::clone(&seen);
    let body = move || shuttle::future::block_on(run(scenario(), Arc::clone(&totals)));
    for seed in RANDOM_SEEDS {
        let scheduler = RandomScheduler::new_from_seed(seed, iterations);
        Runner::new(scheduler, config()).run(body.clone());
    }
    for seed in PCT_SEEDS {
        let scheduler = PctScheduler::new_from_seed(seed, PCT_DEPTH, iterations);
        Runner::new(scheduler, config()).run(body.clone());
    }
    let seen = auth_types::lock(&seen);
    for what in scenario().must_see {
        assert!(
            seen.get(what).is_some_and(|&n| n > 0),
            "no schedule reached {what:?}; seen: {seen:?}"
        );
    }
}

/// One execution of `scenario`.
async fn run(scenario: Scenario, totals: Arc<Mutex<BTreeMap<&'static str, usize>>>) {
    clock::reset();
    let shared = SharedLedger::default();
    let server = Server {
        ledger: Arc::clone(&shared),
        lifetime: scenario.lifetime,
        transient_failures: scenario.transient_failures,
    };
    let store = Arc::new(MemoryStore::private());
    if scenario.stored {
        let earlier = server.earlier_run();
        store
            .save_entry(&earlier)
            .await
            .expect("a memory store saves");
    }
    let builder = Session::builder(server)
        .token_store(Arc::clone(&store))
        .wall_clock(clock::wall)
        .refresh_jitter(Duration::ZERO);
    let session = (scenario.configure)(builder).build();
    let actor = Actor {
        session: session.clone(),
        shared: Arc::clone(&shared),
        store: Arc::clone(&store),
        transient_failures: scenario.transient_failures,
    };
    let tasks: Vec<_> = scenario
        .actors
        .iter()
        .map(|&ops| shuttle::future::spawn(actor.clone().play(ops)))
        .collect();
    for task in tasks {
        task.await.expect("an actor panicked");
    }
    // A last logout waits for a flight still running (it takes the same mutex), then
    // nothing may be left alive.
    actor.logout().await;
    let ledger = ledger(&shared);
    if !ledger.gave_up {
        let mut live: Vec<_> = ledger.refresh.difference(&ledger.presented).collect();
        live.sort();
        assert!(
            live.is_empty(),
            "invariant (c): refresh tokens {live:?} are still alive on the server after the last logout"
        );
    }
    let mut totals = auth_types::lock(&totals);
    for (what, n) in &ledger.seen {
        *totals.entry(*what).or_default() += n;
    }
}

/// A task that uses the session, checking what it gets.
#[derive(Clone)]
struct Actor {
    session: Session<Server>,
    shared: SharedLedger,
    store: Arc<MemoryStore>,
    transient_failures: bool,
}

impl Actor {
    async fn play(self, ops: &'static [Op]) {
        let mut last: Option<AccessToken> = None;
        for &op in ops {
            match op {
                Op::Access => {
                    let start = ledger(&self.shared).tick();
                    let result = self.session.access_token().await;
                    last = self.check_handout(start, result).or(last);
                }
                Op::RefreshNow => {
                    let start = ledger(&self.shared).tick();
                    let result = self.session.refresh_now().await;
                    last = self.check_handout(start, result).or(last);
                }
                Op::Invalidate => {
                    if let Some(token) = &last
                        && self.session.invalidate(token)
                    {
                        let mut ledger = ledger(&self.shared);
                        let step = ledger.tick();
                        ledger.saw("invalidated");
                        ledger
                            .invalidated
                            .entry(token.expose_secret().to_owned())
                            .or_insert(step);
                    }
                }
                Op::Logout => self.logout().await,
                Op::Advance(seconds) => {
                    shuttle::future::yield_now().await;
                    clock::advance(Duration::from_secs(seconds));
                }
            }
        }
    }

    /// Checks a token handed out by a call that began at ledger step `start`.
    fn check_handout(
        &self,
        start: u64,
        result: Result<AccessToken, SessionError<server::ModelError>>,
    ) -> Option<AccessToken> {
        let token = match result {
            Ok(token) => token,
            Err(error) => {
                self.check_error(&error);
                return None;
            }
        };
        let mut ledger = ledger(&self.shared);
        ledger.saw("handout");
        let text = token.expose_secret();
        let issued = ledger
            .access
            .get(text)
            .expect("a token the server never issued was handed out");
        let now = clock::wall();
        assert!(
            now < issued.expires_at,
            "invariant (b): a token that expired {:?} ago was handed out",
            now.duration_since(issued.expires_at).unwrap_or_default()
        );
        if let Some(&at) = ledger.invalidated.get(text) {
            assert!(
                at > start,
                "invariant (d): a token reported refused at step {at} was handed out to a call made at step {start}"
            );
        }
        if let Some(at) = issued.revoked_at {
            assert!(
                at > start,
                "invariant (c): a token revoked by a logout at step {at} was handed out to a call made at step {start}"
            );
        }
        for &(begun, ended) in &ledger.logouts {
            assert!(
                ended > start || issued.at > begun,
                "invariant (c): a token issued before a logout (steps {begun}..{ended}) was handed out to a call made after it, at step {start}"
            );
        }
        Some(token)
    }

    /// Only these failures are expected of a session whose server fails only as the
    /// scenario allows; each is counted.
    fn check_error(&self, error: &SessionError<server::ModelError>) {
        let kind = match error {
            SessionError::LoggedOut => "logged out",
            SessionError::Timeout { .. } => "timeout",
            SessionError::ExpiredOnArrival => "expired on arrival",
            SessionError::Backoff { .. } => "backoff",
            SessionError::Login { source } | SessionError::Refresh { source }
                if self.transient_failures && source.kind() == FailureKind::Transient =>
            {
                "transient error"
            }
            _ => panic!("unexpected failure: {error}"),
        };
        ledger(&self.shared).saw(kind);
    }

    /// Logs out and checks that nothing issued before the logout began is left current or
    /// stored.
    async fn logout(&self) {
        let begun = ledger(&self.shared).tick();
        match self.session.logout().await {
            Ok(()) => ledger(&self.shared).saw("logout"),
            Err(SessionError::LogoutTimeout { .. }) => {
                let mut ledger = ledger(&self.shared);
                ledger.gave_up = true;
                ledger.saw("logout gave up");
            }
            Err(error) => panic!("logout failed: {error}"),
        }
        let current = self
            .session
            .subscribe()
            .borrow()
            .as_ref()
            .map(|news| news.access_token.clone());
        let stored = self
            .store
            .load_entry()
            .await
            .expect("the memory store does not fail")
            .map(|entry| entry.tokens.access_token);
        let mut ledger = ledger(&self.shared);
        let ended = ledger.tick();
        for (what, token) in [("current", current), ("stored", stored)] {
            if let Some(token) = token {
                let issued_at = ledger.access.get(token.expose_secret()).map(|i| i.at);
                assert!(
                    issued_at.is_some_and(|at| at > begun),
                    "invariant (c): after a logout (steps {begun}..{ended}) the {what} token is one issued before it began"
                );
            }
        }
        ledger.logouts.push((begun, ended));
    }
}
