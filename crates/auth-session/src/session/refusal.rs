//! A 401 is evidence, not a verdict: what the session does when a caller reports that the
//! server refused its token ([`Session::report_refused`]).
//!
//! A server may answer 401 to a token that is alive (pump.fun does, for actions the wallet
//! may not take), and a renewal can cost every other holder of the token theirs (a new
//! pump.fun login rotates the wallet's token). So a report is judged, one at a time per
//! session (an async mutex held across the check):
//!
//! 1. a token that is no longer current was judged already: the caller may try again
//!    with the current one;
//! 2. a token the authenticator found alive within the last 10 s ([`ALIVE_FOR`]) is kept
//!    (a revocation in those seconds is noticed after them);
//! 3. past the cap of 401-triggered renewals in the last minute
//!    ([`SessionBuilder::renewals_for_401_per_minute`](super::SessionBuilder::renewals_for_401_per_minute)),
//!    the token is kept;
//! 4. else the authenticator is asked ([`Authenticator::confirm_refused`]): alive, the
//!    token is kept (and the verdict remembered); dead, it is invalidated (compare and
//!    swap, as [`Session::invalidate`]) and the next call renews; no answer (an error, or
//!    none within the wait timeout), the token is kept and the next report asks again.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use auth_types::AccessToken;

use super::meter::Event;
use super::policy::Freshness;
use super::{Inner, Session};
use crate::authenticator::Authenticator;
use crate::rt::{self, Instant};

/// The window of the renewal cap.
pub(super) const WINDOW: Duration = Duration::from_secs(60);

/// How long after a check found a token alive a 401 for it is taken as a business refusal
/// without a new check: at most one check per token this often. A real revocation of a
/// token just found alive is noticed once this has passed.
pub(super) const ALIVE_FOR: Duration = Duration::from_secs(10);

/// Default cap on 401-triggered renewals per [`WINDOW`].
pub(super) const DEFAULT_RENEWALS_FOR_401: u32 = 3;

/// What [`Session::report_refused`] made of a refused token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Refusal {
    /// The token was confirmed dead and taken out of use: the next
    /// [`access_token`](Session::access_token) renews. Send the request once more.
    Renewing,
    /// The token is no longer the current one (another report took it out of use, or a
    /// renewal replaced it): the next [`access_token`](Session::access_token) gives the
    /// current one. Send the request once more.
    Replaced,
    /// The authenticator confirmed the token alive (now, or in the last 10 s): the 401 is
    /// the server's refusal of the request itself. Kept; pass the 401 on.
    Alive,
    /// The cap on 401-triggered renewals per minute is reached: kept; pass the 401 on.
    LimitReached,
    /// The authenticator could not say whether the token is alive (its check failed or
    /// took longer than the wait timeout): kept; pass the 401 on. The next report asks
    /// again.
    Unconfirmed,
}

impl Refusal {
    /// Whether the refused request should be authorized again and sent once more.
    pub fn replay(self) -> bool {
        matches!(self, Refusal::Renewing | Refusal::Replaced)
    }
}

/// The state of the judgement, behind the session's `refusals` mutex.
#[derive(Default)]
pub(super) struct Refusals {
    /// When the 401-triggered renewals of the last [`WINDOW`] happened, oldest first.
    renewals: VecDeque<Instant>,
    /// The token the authenticator last confirmed alive, and until when that stands.
    alive: Option<(AccessToken, Instant)>,
}

impl<A: Authenticator> Session<A> {
    /// Reports that the server refused `token` (a 401 on a call made with it), and says
    /// what the session made of it: the rule of `auth_http`'s layer and middleware, for
    /// any HTTP stack.
    ///
    /// Unlike [`invalidate`](Session::invalidate), a 401 is taken as evidence, not a
    /// verdict. If `token` is still current, the authenticator is asked whether it is dead
    /// ([`Authenticator::confirm_refused`]; the default says yes without a network call),
    /// at most once per token every 10 s (a token found alive stays so that long), and
    /// only while fewer than the cap of 401-triggered
    /// renewals happened in the last minute (default 3, see
    /// [`SessionBuilder::renewals_for_401_per_minute`](crate::SessionBuilder::renewals_for_401_per_minute)).
    /// Reports are judged one at a time, so a burst of 401s for one token costs one check
    /// and at most one renewal. Counted in [`stats`](Session::stats).
    ///
    /// ```no_run
    /// # async fn call_api(_: &str) -> Result<(), u16> { Ok(()) }
    /// # async fn run<A: auth_session::Authenticator>(session: auth_session::Session<A>)
    /// # -> Result<(), Box<dyn std::error::Error>> {
    /// let token = session.access_token().await?;
    /// if call_api(token.expose_secret()).await == Err(401)
    ///     && session.report_refused(&token).await.replay()
    /// {
    ///     let again = session.access_token().await?;
    ///     call_api(again.expose_secret()).await.ok(); // its answer, whatever it is
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn report_refused(&self, token: &AccessToken) -> Refusal {
        let refusal = self.inner.report_refused(token).await;
        tracing::debug!(?refusal, "the server refused an access token (401)");
        refusal
    }
}

impl<A: Authenticator> Inner<A> {
    /// See [`Session::report_refused`].
    async fn report_refused(self: &Arc<Self>, token: &AccessToken) -> Refusal {
        let mut refusals = self.refusals.lock().await;
        if !self.is_current(token) {
            return Refusal::Replaced;
        }
        let now = rt::now();
        let refusal = self.judge(&mut refusals, token, now).await;
        if refusal.replay() {
            self.count(Event::Replay);
        } else {
            self.count(Event::RefusalPassedThrough);
        }
        refusal
    }

    /// The judgement of a report of `token`, the current token, under the mutex.
    async fn judge(&self, refusals: &mut Refusals, token: &AccessToken, now: Instant) -> Refusal {
        if let Some((alive, until)) = &refusals.alive
            && *until > now
            && alive.expose_secret() == token.expose_secret()
        {
            return Refusal::Alive;
        }
        while refusals
            .renewals
            .front()
            .is_some_and(|at| now.saturating_duration_since(*at) >= WINDOW)
        {
            refusals.renewals.pop_front();
        }
        let cap = usize::try_from(self.config.renewals_for_401).unwrap_or(usize::MAX);
        if refusals.renewals.len() >= cap {
            return Refusal::LimitReached;
        }
        let started = rt::now();
        let check = self.authenticator.confirm_refused(token);
        match rt::timeout(self.config.wait_timeout, check).await {
            Ok(Ok(true)) => {}
            Ok(Ok(false)) => {
                self.count(Event::RefusalNotConfirmed);
                refusals.alive = Some((token.clone(), started + ALIVE_FOR));
                return Refusal::Alive;
            }
            Ok(Err(error)) => {
                self.count(Event::RefusalCheckFailed);
                tracing::debug!(%error, "could not check whether a refused token is alive; keeping it");
                return Refusal::Unconfirmed;
            }
            Err(rt::Elapsed) => {
                self.count(Event::RefusalCheckFailed);
                tracing::debug!(
                    "checking whether a refused token is alive took too long; keeping it"
                );
                return Refusal::Unconfirmed;
            }
        }
        if self.invalidate(token) {
            refusals.renewals.push_back(now);
            self.count(Event::RenewalFor401);
            Refusal::Renewing
        } else {
            Refusal::Replaced
        }
    }

    /// Whether `token` is the current token and still usable.
    fn is_current(&self, token: &AccessToken) -> bool {
        let current = self.current.load();
        current.as_deref().is_some_and(|live| {
            live.access_token.expose_secret() == token.expose_secret()
                && self.freshness(live) != Freshness::Unusable
        })
    }
}
