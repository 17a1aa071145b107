//! What a sandbox instance does: lifetimes, windows, limits, faults.

use std::net::SocketAddr;
use std::time::Duration;

use auth_types::EvmAddress;

/// Settings of one sandbox instance. `Default` behaves like the real services.
///
/// ```
/// use std::time::Duration;
/// use auth_sandbox::SandboxConfig;
/// // Two-second tokens, so a test sees expiry quickly.
/// let config = SandboxConfig::default()
///     .with_access_token_ttl(Duration::from_secs(2))
///     .with_pump_token_ttl(Duration::from_secs(2));
/// assert_eq!(config.access_token_ttl, Duration::from_secs(2));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SandboxConfig {
    /// Address of the Pear API listener. Default: `127.0.0.1:0` (a free port).
    pub pear_addr: SocketAddr,
    /// Address of the pump.fun API listener. Default: `127.0.0.1:0`.
    pub pump_addr: SocketAddr,
    /// Pear access-token lifetime (`expiresIn`). Default: 900 s, as Pear.
    pub access_token_ttl: Duration,
    /// Pear refresh-token lifetime. Default: 7 days.
    pub refresh_token_ttl: Duration,
    /// pump.fun JWT lifetime. Default: 24 hours.
    pub pump_token_ttl: Duration,
    /// How far a signed timestamp (Pear `details.timestamp`, pump.fun's message time) may
    /// be from the server's clock. Default: 5 minutes.
    pub freshness_window: Duration,
    /// The EIP-712 domain's chain id. Default: 42161, as the live Pear server answers.
    pub chain_id: u64,
    /// The EIP-712 domain's verifying contract. Default: `0x…01`, as the live server.
    pub verifying_contract: EvmAddress,
    /// A request limit per window, answered with 429 and `Retry-After`. Default: none.
    pub rate_limit: Option<RateLimit>,
    /// A request limit per egress (the peer's IP address, as pump.fun and Cloudflare
    /// count), in a sliding window: at most `requests` in any `window`, the rest answered
    /// 429 with `Retry-After` (seconds until the oldest request leaves the window). Counted
    /// in [`crate::Counters::rate_limit_429`] and per address by `Sandbox::egress_counts`.
    /// Default: none. WIRE.md's figures: pump.fun about 1 a second, Pear 2000 per 60 s.
    pub egress_rate_limit: Option<RateLimit>,
    /// The per-egress limit answers as Cloudflare in front of pump.fun may (WIRE.md):
    /// 403 with an HTML page and no `Retry-After`, instead of a 429. Counted in
    /// [`crate::Counters::edge_blocks`] (and per address as `refused_429`). Default: off.
    pub egress_block_page: bool,
    /// Injected faults. Default: none.
    pub faults: Faults,
    /// Hands out a token approval instead of a login message from
    /// `GET /auth/eip712-message`, to prove that clients refuse to sign it.
    pub hostile: bool,
    /// Privy access tokens the sandbox accepts: `(appId, accessToken, address)`.
    pub privy_tokens: Vec<(String, String, EvmAddress)>,
    /// Seed of the pseudo-random fault decisions, for repeatable tests.
    pub seed: u64,
    /// When a Pear refresh token that was already used is presented again, revoke its
    /// whole login session (every access and refresh token of that login, including the
    /// ones its rotation handed out since), besides refusing it with 401. A server that
    /// treats a replay as a stolen token does this; with it on, a client that ever
    /// replays a refresh token loses its session, so the replay cannot go unnoticed.
    /// Counted in [`crate::Counters::families_revoked`]. Default: `false` (only the
    /// replayed token is refused).
    pub revoke_family_on_reuse: bool,
    /// The sandbox's clock minus the host's, in milliseconds (positive: ahead), as a
    /// server on a machine whose clock is off: every time it checks or issues (message
    /// timestamps and their windows, SIWE/SIWS times, JWT `iat`/`exp`) and the `Date`
    /// header of every answer are on that clock. Default: 0. See
    /// [`with_clock_ahead`](Self::with_clock_ahead).
    pub clock_offset_ms: i64,
    /// A pump.fun login ends the wallet's previous login session, as the live service
    /// does (WIRE.md: one process's login breaks the others' tokens): its token is
    /// refused from then on. Counted in [`crate::Counters::pump_tokens_rotated`].
    /// Default: `true`.
    pub pump_login_rotates: bool,
    /// Changes to the wire, as a live service might make them (for `authctl doctor`'s
    /// tests). Default: none.
    pub drifts: Vec<crate::Drift>,
}

/// A request limit: `requests` per `window` (fixed windows for the whole sandbox's
/// [`SandboxConfig::rate_limit`], a sliding window for [`SandboxConfig::egress_rate_limit`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per window (both APIs together).
    pub requests: u32,
    /// The window.
    pub window: Duration,
}

/// Faults injected into a fraction of requests (each fraction from 0.0 to 1.0).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Faults {
    /// Answer 500 without processing the request.
    pub error_500: f64,
    /// Answer 429 with `Retry-After: 1` without processing the request.
    pub rate_limited: f64,
    /// Close the connection without processing the request.
    pub drop_before: f64,
    /// Process the request (a refresh token is consumed!), then close the connection
    /// instead of answering.
    pub drop_after: f64,
    /// Delay every answer by this much.
    pub delay: Option<Duration>,
    /// Delay only logins and refreshes (a `POST` to a path ending in `/login` or
    /// `/refresh`) by this much, before they are processed: a slow renewal while every
    /// other call answers at once.
    pub renewal_delay: Option<Duration>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        let mut contract = [0u8; 20];
        contract[19] = 1;
        SandboxConfig {
            pear_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            pump_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            access_token_ttl: Duration::from_secs(900),
            refresh_token_ttl: Duration::from_secs(7 * 24 * 3600),
            pump_token_ttl: Duration::from_secs(24 * 3600),
            freshness_window: Duration::from_secs(300),
            chain_id: 42161,
            verifying_contract: EvmAddress::from_bytes(contract),
            rate_limit: None,
            egress_rate_limit: None,
            egress_block_page: false,
            faults: Faults::default(),
            hostile: false,
            privy_tokens: Vec::new(),
            seed: 0x5eed,
            revoke_family_on_reuse: false,
            clock_offset_ms: 0,
            pump_login_rotates: true,
            drifts: Vec::new(),
        }
    }
}

impl SandboxConfig {
    /// Sets the Pear access-token lifetime.
    pub fn with_access_token_ttl(mut self, ttl: Duration) -> Self {
        self.access_token_ttl = ttl;
        self
    }

    /// Sets the Pear refresh-token lifetime.
    pub fn with_refresh_token_ttl(mut self, ttl: Duration) -> Self {
        self.refresh_token_ttl = ttl;
        self
    }

    /// Sets the pump.fun token lifetime.
    pub fn with_pump_token_ttl(mut self, ttl: Duration) -> Self {
        self.pump_token_ttl = ttl;
        self
    }

    /// Sets the freshness window of signed timestamps.
    pub fn with_freshness_window(mut self, window: Duration) -> Self {
        self.freshness_window = window;
        self
    }

    /// Sets a request limit.
    pub fn with_rate_limit(mut self, requests: u32, window: Duration) -> Self {
        self.rate_limit = Some(RateLimit { requests, window });
        self
    }

    /// Sets a request limit per egress (peer IP address), a sliding window.
    pub fn with_egress_rate_limit(mut self, requests: u32, window: Duration) -> Self {
        self.egress_rate_limit = Some(RateLimit { requests, window });
        self
    }

    /// Has the per-egress limit answer with Cloudflare's 403 HTML page instead of 429
    /// (see [`SandboxConfig::egress_block_page`]).
    pub fn with_egress_block_page(mut self) -> Self {
        self.egress_block_page = true;
        self
    }

    /// Sets the injected faults.
    pub fn with_faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Turns hostile mode on or off.
    pub fn with_hostile(mut self, hostile: bool) -> Self {
        self.hostile = hostile;
        self
    }

    /// Accepts a Privy access token for an app and address.
    pub fn with_privy_token(
        mut self,
        app_id: impl Into<String>,
        token: impl Into<String>,
        address: EvmAddress,
    ) -> Self {
        self.privy_tokens
            .push((app_id.into(), token.into(), address));
        self
    }

    /// Turns refresh-token family revocation on or off: see
    /// [`SandboxConfig::revoke_family_on_reuse`].
    pub fn with_revoke_family_on_reuse(mut self, revoke: bool) -> Self {
        self.revoke_family_on_reuse = revoke;
        self
    }

    /// Runs the sandbox's clock `by` ahead of the host's (see
    /// [`SandboxConfig::clock_offset_ms`]).
    ///
    /// ```
    /// use std::time::Duration;
    /// use auth_sandbox::SandboxConfig;
    /// let ahead = SandboxConfig::default().with_clock_ahead(Duration::from_secs(600));
    /// assert_eq!(ahead.clock_offset_ms, 600_000);
    /// let behind = SandboxConfig::default().with_clock_behind(Duration::from_secs(600));
    /// assert_eq!(behind.clock_offset_ms, -600_000);
    /// ```
    pub fn with_clock_ahead(mut self, by: Duration) -> Self {
        self.clock_offset_ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self
    }

    /// Runs the sandbox's clock `by` behind the host's.
    pub fn with_clock_behind(mut self, by: Duration) -> Self {
        self.clock_offset_ms = i64::try_from(by.as_millis()).map_or(i64::MIN, |ms| -ms);
        self
    }

    /// Turns the rotation of a wallet's pump.fun token at each login on or off: see
    /// [`SandboxConfig::pump_login_rotates`].
    pub fn with_pump_login_rotates(mut self, rotates: bool) -> Self {
        self.pump_login_rotates = rotates;
        self
    }

    /// Adds a change to the wire: see [`crate::Drift`].
    pub fn with_drift(mut self, drift: crate::Drift) -> Self {
        self.drifts.push(drift);
        self
    }

    /// Sets the addresses to listen on (for `authctl sandbox --addr`).
    pub fn with_addrs(mut self, pear: SocketAddr, pump: SocketAddr) -> Self {
        self.pear_addr = pear;
        self.pump_addr = pump;
        self
    }
}

impl Faults {
    /// No faults.
    pub fn none() -> Self {
        Faults::default()
    }

    /// Sets the fraction of requests answered 500.
    pub fn with_error_500(mut self, fraction: f64) -> Self {
        self.error_500 = fraction;
        self
    }

    /// Sets the fraction of requests answered 429.
    pub fn with_rate_limited(mut self, fraction: f64) -> Self {
        self.rate_limited = fraction;
        self
    }

    /// Sets the fraction of connections dropped before processing.
    pub fn with_drop_before(mut self, fraction: f64) -> Self {
        self.drop_before = fraction;
        self
    }

    /// Sets the fraction of connections dropped after processing.
    pub fn with_drop_after(mut self, fraction: f64) -> Self {
        self.drop_after = fraction;
        self
    }

    /// Sets a delay before logins and refreshes only.
    pub fn with_renewal_delay(mut self, delay: Duration) -> Self {
        self.renewal_delay = Some(delay);
        self
    }

    /// Sets a delay before every answer.
    pub fn with_delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }
}
