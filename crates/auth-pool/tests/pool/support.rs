//! A pump.fun pool on the sandbox, and an authenticator that counts what reaches it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use auth_pool::{PoolBuilder, SessionPool};
use auth_sandbox::Sandbox;
use auth_session::{Authenticator, Identity, Tokens};
use auth_test_support::keys::solana_keypair;
use auth_transport::ReqwestTransport;
use auth_types::{AccessToken, RefreshToken};
use pump_auth::{PumpAuthenticator, PumpClient, PumpError};

/// Logins and re-logins reaching the provider: how many at once now, at most, in all.
#[derive(Debug, Default)]
pub(crate) struct Gauge {
    now: AtomicUsize,
    pub(crate) max: AtomicUsize,
    pub(crate) logins: AtomicUsize,
    pub(crate) logouts: AtomicUsize,
}

impl Gauge {
    pub(crate) fn max(&self) -> usize {
        self.max.load(Ordering::SeqCst)
    }

    pub(crate) fn logins(&self) -> usize {
        self.logins.load(Ordering::SeqCst)
    }

    async fn around<T>(&self, call: impl Future<Output = T>) -> T {
        let here = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(here, Ordering::SeqCst);
        // Stay in flight a little, so overlapping calls do overlap.
        tokio::time::sleep(Duration::from_millis(2)).await;
        let out = call.await;
        self.now.fetch_sub(1, Ordering::SeqCst);
        out
    }
}

/// pump.fun's authenticator, counted.
#[derive(Debug)]
pub(crate) struct Counted {
    inner: PumpAuthenticator,
    gauge: Arc<Gauge>,
}

#[async_trait]
impl Authenticator for Counted {
    type Error = PumpError;

    fn identity(&self) -> Identity {
        self.inner.identity()
    }

    async fn login(&self) -> Result<Tokens, PumpError> {
        self.gauge.logins.fetch_add(1, Ordering::SeqCst);
        self.gauge.around(self.inner.login()).await
    }

    async fn relogin(&self, current: &AccessToken) -> Result<Tokens, PumpError> {
        self.gauge.logins.fetch_add(1, Ordering::SeqCst);
        self.gauge.around(self.inner.relogin(current)).await
    }

    fn retire_replaced_after(&self) -> Option<Duration> {
        self.inner.retire_replaced_after()
    }

    async fn logout(
        &self,
        access_token: &AccessToken,
        refresh_token: Option<&RefreshToken>,
    ) -> Result<(), PumpError> {
        self.gauge.logouts.fetch_add(1, Ordering::SeqCst);
        self.gauge
            .around(self.inner.logout(access_token, refresh_token))
            .await
    }
}

/// A client on the sandbox's pump.fun API.
pub(crate) fn client(sb: &Sandbox) -> PumpClient {
    PumpClient::builder()
        .base_url(sb.pump_url())
        .transport(ReqwestTransport::new().unwrap())
        .build()
        .unwrap()
}

/// A pool of counted pump.fun wallets keyed by seed (the wallet whose key bytes are all
/// the seed), all counted by `gauge`.
pub(crate) fn pool(sb: &Sandbox, gauge: &Arc<Gauge>) -> PoolBuilder<u8, Counted> {
    let client = client(sb);
    let gauge = Arc::clone(gauge);
    SessionPool::builder(move |seed: &u8| {
        Ok::<_, std::convert::Infallible>(Counted {
            inner: PumpAuthenticator::new(client.clone(), Arc::new(solana_keypair(*seed))),
            gauge: Arc::clone(&gauge),
        })
    })
}

/// Waits (polling, at most 30 s) until `done` holds; whether it did.
pub(crate) async fn eventually(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..3000 {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    done()
}

/// Wallet `seed` on `client`, counted by `gauge`.
pub(crate) fn counted(client: &PumpClient, seed: u8, gauge: &Arc<Gauge>) -> Counted {
    Counted {
        inner: PumpAuthenticator::new(client.clone(), Arc::new(solana_keypair(seed))),
        gauge: Arc::clone(gauge),
    }
}
