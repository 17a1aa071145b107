//! [`PooledAuthenticator`]: a provider's authenticator that takes its egress's permit
//! around every call, so a pool's sessions need no change to be bounded.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use auth_session::{Authenticator, Session, Tokens};
use auth_store::Identity;
use auth_types::{AccessToken, RefreshToken};

use crate::egress::{Counts, Gate};

/// A session of a pool.
pub type PooledSession<A> = Session<PooledAuthenticator<A>>;

/// The authenticator of a pool's sessions: `A`, with each call (login, re-login, refresh,
/// logout) made while holding a permit of the key's egress, so that at most the pool's
/// [`max_in_flight`](crate::PoolBuilder::max_in_flight) calls run at once per egress,
/// whatever the number of sessions. The session itself is unchanged: its single flight
/// runs inside the permit, and a caller waiting for a permit waits as for a slow login
/// (within the session's wait timeout; the flight, a task of its own, carries on).
///
/// Its [`identity`](Authenticator::identity) is `A`'s. `Debug` shows `A`'s `Debug` and
/// the egress gate's counts, no token.
pub struct PooledAuthenticator<A> {
    inner: A,
    gate: Arc<Gate>,
    egress: Arc<str>,
}

impl<A> PooledAuthenticator<A> {
    pub(crate) fn new(inner: A, gate: Arc<Gate>, egress: Arc<str>) -> Self {
        PooledAuthenticator {
            inner,
            gate,
            egress,
        }
    }

    /// The provider's authenticator.
    pub fn inner(&self) -> &A {
        &self.inner
    }

    /// The egress this authenticator's calls are bounded on.
    pub fn egress(&self) -> &str {
        &self.egress
    }

    fn counts(&self) -> &Counts {
        self.gate.counts()
    }

    /// Counts a login's or refresh's outcome in `success` or in the failures.
    fn count<T, E>(&self, result: &Result<T, E>, success: &std::sync::atomic::AtomicU64) {
        match result {
            Ok(_) => Counts::add(success),
            Err(_) => Counts::add(&self.counts().failures),
        }
    }
}

impl<A: fmt::Debug> fmt::Debug for PooledAuthenticator<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PooledAuthenticator")
            .field("inner", &self.inner)
            .field("egress", &self.egress)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl<A: Authenticator> Authenticator for PooledAuthenticator<A> {
    type Error = A::Error;

    fn identity(&self) -> Identity {
        self.inner.identity()
    }

    async fn login(&self) -> Result<Tokens, A::Error> {
        let _in_flight = self.gate.enter().await;
        let result = self.inner.login().await;
        self.count(&result, &self.counts().logins);
        result
    }

    async fn refresh(&self, refresh_token: &RefreshToken) -> Result<Tokens, A::Error> {
        let _in_flight = self.gate.enter().await;
        let result = self.inner.refresh(refresh_token).await;
        self.count(&result, &self.counts().refreshes);
        result
    }

    async fn relogin(&self, current: &AccessToken) -> Result<Tokens, A::Error> {
        let _in_flight = self.gate.enter().await;
        let result = self.inner.relogin(current).await;
        self.count(&result, &self.counts().logins);
        result
    }

    fn retire_replaced_after(&self) -> Option<Duration> {
        self.inner.retire_replaced_after()
    }

    async fn logout(
        &self,
        access_token: &AccessToken,
        refresh_token: Option<&RefreshToken>,
    ) -> Result<(), A::Error> {
        let _in_flight = self.gate.enter().await;
        self.inner.logout(access_token, refresh_token).await
    }
}
