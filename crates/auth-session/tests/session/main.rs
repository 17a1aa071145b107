//! The session's token life cycle, on Tokio's paused clock; idle logout.
#![allow(clippy::unwrap_used)]

#[path = "../support/mod.rs"]
mod support;

mod api;
mod expiry;
mod failures;
mod idle;
mod invalidate;
mod logout;
mod refusal;
mod renewal;
mod waiting;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use auth_session::{
    Authenticator as _, FailureKind, MemoryStore, Session, SessionError, StoreEntry, StoreError,
    StoredTokens, TokenStore,
};
use auth_test_support::tokens::jwt_with_exp;
use auth_types::{AccessToken, RefreshToken};
use support::{FakeAuth, FakeError, WALL_START, paused_wall_clock, settle, token};
use tokio::time::{Instant, advance};

const SECOND: Duration = Duration::from_secs(1);

/// A 15-minute-token session with a 60 s buffer and no jitter: it refreshes at 840 s.
fn session(auth: &FakeAuth) -> Session<FakeAuth> {
    Session::builder(auth.clone())
        .refresh_jitter(Duration::ZERO)
        .wall_clock(paused_wall_clock())
        .build()
}
