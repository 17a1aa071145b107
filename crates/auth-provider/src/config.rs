//! The client configuration every provider builder shares: a checked base URL, a
//! transport, the wall clock and the headers sent with every request.

use std::fmt;
use std::sync::Arc;

use auth_transport::{HttpTransport, UrlPolicy, default_transport};
use auth_types::{Clock, SharedClock};
use http::HeaderMap;
use http::header::{HeaderName, HeaderValue};

use crate::budget::{BudgetChoice, Pacing, Quota, RateBudget};
use crate::client::ApiClient;
use crate::error::ApiError;
use crate::server_clock::ServerClock;

/// The settings every provider client has. Provider builders hold one and expose its
/// setters with [`client_config_setters!`](crate::client_config_setters).
pub struct ClientConfig {
    api: &'static str,
    base_url: String,
    transport: Option<Arc<dyn HttpTransport>>,
    allow_insecure_http: bool,
    clock: SharedClock,
    server_clock: Option<ServerClock>,
    headers: HeaderMap,
    budget: BudgetChoice,
    quota: Option<Quota>,
}

impl ClientConfig {
    /// The defaults for `api` (its display name, like `"Pear"`): `default_base_url`, the
    /// default transport, the system clock, no extra headers.
    pub fn new(api: &'static str, default_base_url: &str) -> Self {
        ClientConfig {
            api,
            base_url: default_base_url.to_owned(),
            transport: None,
            allow_insecure_http: false,
            clock: SharedClock::system(),
            server_clock: None,
            headers: HeaderMap::new(),
            budget: BudgetChoice::Default,
            quota: None,
        }
    }

    /// The API's known quota (like [`Quota::PUMP`]), which a budget paces this client's
    /// requests to unless the budget has a quota of its own. Set by the provider.
    pub fn with_quota(mut self, quota: Quota) -> Self {
        self.quota = Some(quota);
        self
    }

    /// The rate budget this client's requests are paced by, shared with every client
    /// given the same handle; `None`: no pacing at all. Default: the process's
    /// [`RateBudget::process_default`] for hosts that are not loopback, none for loopback.
    pub fn set_budget(&mut self, budget: Option<RateBudget>) {
        self.budget = budget.map_or(BudgetChoice::Off, BudgetChoice::Budget);
    }

    /// The API's base URL.
    pub fn set_base_url(&mut self, url: String) {
        self.base_url = url;
    }

    /// The transport (default: [`auth_transport::default_transport`]).
    pub fn set_transport(&mut self, transport: Arc<dyn HttpTransport>) {
        self.transport = Some(transport);
    }

    /// Allows `http://` to non-loopback hosts.
    pub fn set_allow_insecure_http(&mut self, allow: bool) {
        self.allow_insecure_http = allow;
    }

    /// The local wall clock; the client corrects it by the offset it learns from the
    /// server's answers (see [`ServerClock`]).
    pub fn set_clock(&mut self, clock: impl Clock + 'static) {
        self.clock = SharedClock::new(clock);
    }

    /// The server clock to use (and share): its own local clock replaces
    /// [`set_clock`](Self::set_clock)'s. Default: a new [`ServerClock`] on that clock.
    pub fn set_server_clock(&mut self, clock: ServerClock) {
        self.server_clock = Some(clock);
    }

    /// The base URL as set (not yet checked).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A header sent with every request (like pump.fun's `Origin`); `setting` names it
    /// in the error if the value cannot be a header. Returns the checked value.
    pub fn default_header(
        &mut self,
        name: HeaderName,
        value: &str,
        setting: &'static str,
    ) -> Result<HeaderValue, ApiError> {
        let value = HeaderValue::from_str(value).map_err(|_| ApiError::Config {
            api: self.api,
            setting,
            reason: "not a valid header value".to_owned(),
        })?;
        self.headers.insert(name, value.clone());
        Ok(value)
    }

    /// Checks the base URL against the URL policy, picks the transport, and builds the
    /// client.
    pub fn build(self) -> Result<ApiClient, ApiError> {
        let api = self.api;
        let base_url = UrlPolicy::default()
            .allow_insecure_http(self.allow_insecure_http)
            .check_base_url(&self.base_url)
            .map_err(|e| ApiError::Config {
                api,
                setting: "base URL",
                reason: e.to_string(),
            })?;
        let transport = match self.transport {
            Some(t) => t,
            None => default_transport()
                .map_err(|e| ApiError::Config {
                    api,
                    setting: "transport",
                    reason: e.to_string(),
                })?
                .ok_or_else(|| ApiError::Config {
                    api,
                    setting: "transport",
                    reason: "no HTTP backend compiled in: enable the `reqwest` or `hyper` feature, or pass a transport to the builder".to_owned(),
                })?,
        };
        let pacing = Pacing::new(self.budget, &base_url, self.quota);
        Ok(ApiClient::new(
            api,
            base_url,
            transport,
            self.server_clock
                .unwrap_or_else(|| ServerClock::new(self.clock)),
            self.headers,
            pacing,
        ))
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("api", &self.api)
            .field("base_url", &self.base_url)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish_non_exhaustive()
    }
}

/// Generates the setters every provider builder shares, delegating to its
/// [`ClientConfig`] field: `base_url`, `transport`, `shared_transport`,
/// `allow_insecure_http`, `clock`, `server_clock`, `rate_budget` and `no_rate_budget`. Use
/// it inside the builder's `impl` block.
///
/// ```
/// use auth_provider::ClientConfig;
///
/// /// Builds my client.
/// pub struct MyBuilder { config: ClientConfig }
///
/// impl MyBuilder {
///     auth_provider::client_config_setters!(config);
/// }
///
/// let builder = MyBuilder { config: ClientConfig::new("My API", "https://api.example.com") }
///     .base_url("http://127.0.0.1:9")
///     .clock(|| std::time::UNIX_EPOCH);
/// assert_eq!(builder.config.base_url(), "http://127.0.0.1:9");
/// ```
#[macro_export]
macro_rules! client_config_setters {
    ($config:ident) => {
        /// The API's base URL (default: the production API). `http://` is refused unless
        /// the host is loopback or [`allow_insecure_http`](Self::allow_insecure_http) is
        /// set; a base URL with a query is refused.
        pub fn base_url(mut self, url: impl Into<String>) -> Self {
            self.$config.set_base_url(url.into());
            self
        }

        /// The transport (default: reqwest with the `reqwest` feature).
        pub fn transport(mut self, transport: impl $crate::HttpTransport + 'static) -> Self {
            self.$config.set_transport(::std::sync::Arc::new(transport));
            self
        }

        /// A shared transport.
        pub fn shared_transport(
            mut self,
            transport: ::std::sync::Arc<dyn $crate::HttpTransport>,
        ) -> Self {
            self.$config.set_transport(transport);
            self
        }

        /// Allows `http://` to non-loopback hosts. Credentials then cross the network in
        /// the clear: only for a trusted private network.
        pub fn allow_insecure_http(mut self, allow: bool) -> Self {
            self.$config.set_allow_insecure_http(allow);
            self
        }

        /// The local wall clock (default: the system's). Any `Fn() -> SystemTime`
        /// closure pins it, for tests. The client corrects it by the offset it learns
        /// from the server's answers (`auth_provider::ServerClock`); pass
        /// `ServerClock::fixed` to
        /// [`server_clock`](Self::server_clock) to keep it as it is.
        pub fn clock(mut self, clock: impl $crate::Clock + 'static) -> Self {
            self.$config.set_clock(clock);
            self
        }

        /// The server clock (default: a new `auth_provider::ServerClock` on the
        /// [`clock`](Self::clock), learning from this client's answers). Clients of one
        /// server may share one, so the first answer any of them gets corrects them
        /// all; its own local clock replaces [`clock`](Self::clock)'s.
        pub fn server_clock(mut self, clock: $crate::ServerClock) -> Self {
            self.$config.set_server_clock(clock);
            self
        }

        /// The rate budget of this client's egress: requests are paced to the API's
        /// known quota (or the budget's own) before they are sent, together with every
        /// client given the same handle (see [`RateBudget`]($crate::RateBudget)). Default:
        /// the process's default budget for a host that is not loopback, none for
        /// loopback.
        pub fn rate_budget(mut self, budget: $crate::RateBudget) -> Self {
            self.$config.set_budget(Some(budget));
            self
        }

        /// No rate budget: requests are sent as soon as they are made.
        pub fn no_rate_budget(mut self) -> Self {
            self.$config.set_budget(None);
            self
        }
    };
}
