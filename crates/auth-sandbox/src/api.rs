//! What makes a login API a unit of the sandbox: it owns its routes, its state, its
//! counters and its signature checks, and the sandbox serves it on its own listener.
//!
//! An API is two small traits: [`Mount`], the API before the sandbox starts (its name,
//! where it listens, how it builds its state), and [`Unit`], the running API (its router,
//! the sessions of its tokens, its counts). A value that implements [`Mount`] becomes a
//! public [`SandboxApi`] and is registered with the sandbox's builder.

use std::any::Any;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;

use crate::config::SandboxConfig;
use crate::counters::Counters;
use crate::shared::Shared;

/// One login API the sandbox can serve, ready to be registered with
/// `SandboxBuilder::api`: made from `PearApi`, `PumpApi`, `SiweApi` or `SiwsApi` (see
/// "APIs as units" in the crate documentation).
pub struct SandboxApi {
    mount: Box<dyn Mount>,
}

impl SandboxApi {
    /// Wraps an API of this crate.
    pub(crate) fn new(mount: impl Mount) -> SandboxApi {
        SandboxApi {
            mount: Box::new(mount),
        }
    }

    /// The name the API is served under, for `Sandbox::url_of`.
    pub fn name(&self) -> &'static str {
        self.mount.name()
    }

    /// The API before the sandbox starts.
    pub(crate) fn into_mount(self) -> Box<dyn Mount> {
        self.mount
    }
}

impl std::fmt::Debug for SandboxApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxApi")
            .field("name", &self.name())
            .finish()
    }
}

/// An API before the sandbox starts.
pub(crate) trait Mount: Send + Sync + 'static {
    /// The name it is served under, unique within a sandbox.
    fn name(&self) -> &'static str;

    /// The address to listen on.
    fn listen_on(&self, config: &SandboxConfig) -> SocketAddr;

    /// Builds the running API on the sandbox's shared state and settings, knowing the
    /// address its listener was bound to (an API that checks its own authority needs it).
    fn mount(
        self: Box<Self>,
        shared: Arc<Shared>,
        config: &SandboxConfig,
        bound: SocketAddr,
    ) -> Arc<dyn Unit>;
}

/// A running API.
pub(crate) trait Unit: Send + Sync + 'static {
    /// Its routes, with its own state and middleware. The sandbox wraps them in the
    /// shared rate limit and injected faults.
    fn router(self: Arc<Self>) -> Router;

    /// The session of `token` if it is a live token this API issued.
    fn session_of(&self, token: &str) -> Option<String>;

    /// Writes its counts into `counters`, if [`Counters`] has fields for it.
    fn report(&self, counters: &mut Counters) {
        let _ = counters;
    }

    /// Its counts by name, for [`Sandbox::api_counts`](crate::Sandbox::api_counts): how an
    /// API reports what [`Counters`] has no fields for (a new API needs no field there).
    fn counts(&self) -> Vec<(&'static str, u64)> {
        Vec::new()
    }

    /// Itself, for the API's own conveniences on the sandbox to find its state.
    fn as_any(&self) -> &dyn Any;
}
