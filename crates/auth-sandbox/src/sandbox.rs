//! The running sandbox: every registered API on its own loopback listener.

use std::net::SocketAddr;
use std::sync::Arc;

use auth_types::lock;
use axum::middleware;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::api::{SandboxApi, Unit};
use crate::clock;
use crate::config::{Faults, SandboxConfig};
use crate::counters::Counters;
use crate::faults;
use crate::shared::Shared;

/// A running sandbox: each of its APIs on its own loopback port.
///
/// [`Sandbox::start`] serves Pear Protocol, pump.fun, SIWE and SIWS; [`Sandbox::builder`]
/// serves the APIs you register. Dropping it stops the servers; [`Sandbox::shutdown`] stops them and
/// waits.
pub struct Sandbox {
    apis: Vec<Served>,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

/// One API being served.
struct Served {
    name: &'static str,
    addr: SocketAddr,
    unit: Arc<dyn Unit>,
}

/// Registers the APIs a [`Sandbox`] serves, then starts it. Made by [`Sandbox::builder`];
/// see "APIs as units" in the crate documentation for an example.
#[derive(Debug)]
#[must_use = "a builder does nothing until it is started"]
pub struct SandboxBuilder {
    config: SandboxConfig,
    apis: Vec<SandboxApi>,
}

impl SandboxBuilder {
    /// Adds an API to serve, on its own listener.
    pub fn api(mut self, api: impl Into<SandboxApi>) -> SandboxBuilder {
        self.apis.push(api.into());
        self
    }

    /// Binds a listener for each API and starts serving them. With the default addresses
    /// the OS picks free ports. Fails if a listener cannot be bound, or if two APIs have
    /// the same name.
    pub async fn start(self) -> std::io::Result<Sandbox> {
        let SandboxBuilder { config, apis } = self;
        for (i, api) in apis.iter().enumerate() {
            if apis[..i].iter().any(|a| a.name() == api.name()) {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("the api {:?} is registered twice", api.name()),
                ));
            }
        }
        // Every listener is bound before anything is served, so a failure leaves nothing
        // running.
        let mut bound = Vec::with_capacity(apis.len());
        for api in apis {
            let mount = api.into_mount();
            let listener = TcpListener::bind(mount.listen_on(&config)).await?;
            let addr = listener.local_addr()?;
            bound.push((mount, listener, addr));
        }
        let shared = Arc::new(Shared::new(&config));
        let (stop, stopped) = watch::channel(false);
        let mut served = Vec::with_capacity(bound.len());
        let mut tasks = Vec::with_capacity(bound.len());
        for (mount, listener, addr) in bound {
            let name = mount.name();
            let unit = mount.mount(shared.clone(), &config, addr);
            // Outermost last: every answer, the drifted and the faulted too, has the
            // (offset) clock's Date.
            let router = unit
                .clone()
                .router()
                .layer(middleware::from_fn_with_state(
                    shared.clone(),
                    faults::apply,
                ))
                .layer(middleware::from_fn_with_state(
                    std::sync::Arc::<[crate::Drift]>::from(config.drifts.as_slice()),
                    crate::drift::apply,
                ))
                .layer(middleware::from_fn_with_state(
                    config.clock_offset_ms,
                    clock::serve,
                ));
            let mut stopped = stopped.clone();
            tasks.push(tokio::spawn(async move {
                let shutdown = async move {
                    let _ = stopped.wait_for(|s| *s).await;
                };
                let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
                let _ = axum::serve(listener, service)
                    .with_graceful_shutdown(shutdown)
                    .await;
            }));
            served.push(Served { name, addr, unit });
        }
        Ok(Sandbox {
            apis: served,
            shared,
            stop,
            tasks,
        })
    }
}

impl Sandbox {
    /// A builder of a sandbox with these settings that serves the APIs registered with
    /// [`SandboxBuilder::api`], and no others.
    pub fn builder(config: SandboxConfig) -> SandboxBuilder {
        SandboxBuilder {
            config,
            apis: Vec::new(),
        }
    }

    /// The base URL of the API served under `name` (like `http://127.0.0.1:41234`), or
    /// `None` if this sandbox does not serve it.
    pub fn url_of(&self, name: &str) -> Option<String> {
        self.apis
            .iter()
            .find(|api| api.name == name)
            .map(|api| format!("http://{}", api.addr))
    }

    /// The names of the APIs this sandbox serves, in the order they were registered.
    pub fn api_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.apis.iter().map(|api| api.name)
    }

    /// What has happened so far.
    pub fn counters(&self) -> Counters {
        let mut counters = Counters::default();
        self.shared.counters.report(&mut counters);
        for api in &self.apis {
            api.unit.report(&mut counters);
        }
        counters
    }

    /// What each egress (peer IP address) has been answered so far under
    /// [`SandboxConfig::egress_rate_limit`](crate::SandboxConfig::egress_rate_limit),
    /// ordered by address; empty without that limit.
    pub fn egress_counts(&self) -> Vec<crate::EgressCount> {
        self.shared.egress.counts()
    }

    /// The counts of the API registered as `name`, by counter name (for pump.fun:
    /// `logins`, `logins_with_bearer`, `login_refusals`, `signature_reuses`, `logouts`);
    /// empty if no such API is served or it reports only through [`Sandbox::counters`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let sandbox = auth_sandbox::Sandbox::start(Default::default()).await?;
    /// let pump = sandbox.api_counts(auth_sandbox::PumpApi::NAME);
    /// assert!(pump.contains(&("logins", 0)));
    /// assert!(sandbox.api_counts("no-such-api").is_empty());
    /// # Ok(()) }
    /// ```
    pub fn api_counts(&self, name: &str) -> Vec<(&'static str, u64)> {
        self.apis
            .iter()
            .find(|api| api.name == name)
            .map(|api| api.unit.counts())
            .unwrap_or_default()
    }

    /// Ends the login session `token` belongs to on the server side, as an operator or a
    /// security system revoking it early would: from now on every token of that session
    /// (access and refresh token alike, or the pump.fun token) is refused with 401, while
    /// the client still counts them as alive. `token` is a token issued by one of this
    /// sandbox's APIs; returns `false` if it is not one, or is dead already.
    pub fn revoke(&self, token: &str) -> bool {
        self.apis
            .iter()
            .find_map(|api| api.unit.session_of(token))
            .is_some_and(|session| self.shared.sessions.end(&session))
    }

    /// Replaces the injected faults from now on.
    pub fn set_faults(&self, faults: Faults) {
        *lock(&self.shared.faults) = faults;
    }

    /// Stops every server and waits until they have finished (in-flight requests
    /// complete first).
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        for task in self.tasks.drain(..) {
            let _ = task.await;
        }
    }

    /// The running API of type `T`, for that API's own conveniences.
    pub(crate) fn unit<T: 'static>(&self) -> Option<&T> {
        self.apis
            .iter()
            .find_map(|api| api.unit.as_any().downcast_ref::<T>())
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = f.debug_struct("Sandbox");
        for api in &self.apis {
            out.field(
                &format!("{}_url", api.name),
                &format!("http://{}", api.addr),
            );
        }
        out.finish_non_exhaustive()
    }
}
