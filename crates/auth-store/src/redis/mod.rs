//! A token store on Redis, for sessions on many machines (feature `redis`): the store and
//! its connection here, its scripts and the commands that run them in `commands.rs`, the
//! renewal lease (waiting for it, keeping it alive, fenced writes) in `lease.rs`.

mod commands;
mod lease;
mod rate_limiter;

pub use rate_limiter::RedisRateLimiter;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use redis::aio::MultiplexedConnection;

use crate::entry::{StoreEntry, StoredTokens};
use crate::error::StoreError;
use crate::format::Place;
use crate::seal::Sealer;
use crate::token_store::{Lease, TokenStore};

/// How long a connection may take, and a command's answer, unless told otherwise.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

/// The longest a holder keeps its lease alive unless told otherwise
/// ([`RedisStore::lease_time_limit`]).
const DEFAULT_LEASE_TIME_LIMIT: Duration = Duration::from_secs(5 * 60);

/// Keeps one session entry in Redis, so sessions on many machines share one login and
/// renew in turns (see [`TokenStore::lease`]).
///
/// - **Where.** The entry is the value at `key` (the same JSON a
///   `FileStore` writes); the renewal lease is `key:lease`, and
///   notifications go out on the channel `key:events`. Give each identity its own key
///   (for example `auth:pear:<account>`): sessions of different accounts must not share
///   an entry (a session ignores an entry of another identity, and both would log in over
///   and over).
/// - **The lease** is `SET key:lease <random token> NX PX <ttl>`, given back by a script
///   that deletes it only if it still holds this holder's token (and publishes
///   `released`), so a holder whose lease ran out never frees another's. While held, a
///   task extends it every third of its `ttl` (compare-and-extend by its token), so a
///   slow login keeps it and a dead holder loses it within `ttl`; a holder keeps it
///   alive at most [`lease_time_limit`](RedisStore::lease_time_limit) (5 min by default).
///   A waiter subscribes to `key:events` and tries again as soon as a lease is released
///   or an entry saved, and every so often anyway (a lease that runs out publishes
///   nothing); a store failure while it waits (a dropped connection) is tried again, and
///   reported only once it has lasted 2 s. A lease dropped without [`Lease::release`] is
///   given back by a spawned task, else it ends after its `ttl`.
/// - **Fenced writes.** A holder's writes are one script that writes only if the lease is
///   not another's and the value is still what the holder last read or wrote (see
///   [`Lease`]): a holder that stalled past its lease never undoes a later renewal.
/// - **URLs.** `redis://[user][:password]@host[:port][/db]`, and `rediss://` for TLS
///   through rustls (with the system's root certificates). The password is never
///   printed: errors and `Debug` name the store by its URL without it.
/// - **TLS needs the application's crypto provider.** This crate never installs a
///   process-wide rustls `CryptoProvider`: for `rediss://`, install one before
///   [`new`](RedisStore::new), once at start (for example
///   `rustls::crypto::ring::default_provider().install_default()`), or `new` fails with
///   [`StoreError::NoCryptoProvider`].
/// - **Bounded.** The connection is made on first use and kept; connecting and each
///   answer are bounded ([`connect_timeout`](RedisStore::connect_timeout),
///   [`response_timeout`](RedisStore::response_timeout), 2 s each by default). A server
///   that cannot be reached fails the call with [`StoreError::Unavailable`] at once (or
///   after those timeouts), and the next call connects again: a session then goes on in
///   memory, and says so once.
/// - With the `sealing` feature, `sealed` seals the value with a key.
/// - An entry larger than 1 MiB is refused unread
///   ([`StoreError::InvalidEntry`]); so is one that is not a valid entry, and a key of
///   another type ([`EntryProblem::WrongType`](crate::EntryProblem::WrongType)).
///
/// The value holds live credentials in clear unless the store is
/// [`sealed`](RedisStore::sealed) (feature `sealing`): protect the server as you
/// would the tokens (a password, TLS, no public port).
///
/// ```no_run
/// use auth_store::RedisStore;
///
/// # fn main() -> Result<(), auth_store::StoreError> {
/// let store = RedisStore::new("redis://:secret@127.0.0.1:6379/0", "auth:pear:0xabc")?;
/// // Session::builder(authenticator).token_store(store).build()
/// # let _ = store;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct RedisStore {
    client: redis::Client,
    /// The URL without its password, for messages.
    name: Arc<str>,
    key: Arc<str>,
    lease_key: Arc<str>,
    events: Arc<str>,
    connect_timeout: Duration,
    response_timeout: Duration,
    /// The connection, once made; cleared after a failure so the next call connects again.
    connection: Arc<Mutex<Option<MultiplexedConnection>>>,
    sealer: Sealer,
    lease_time_limit: Duration,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("url", &self.name)
            .field("key", &self.key)
            .field("connect_timeout", &self.connect_timeout)
            .field("response_timeout", &self.response_timeout)
            .field("content", &self.sealer)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// A store of the entry at `key` on the Redis server at `url` (`redis://` or
    /// `rediss://`, with a password if the server wants one). Connects on first use, not
    /// here.
    ///
    /// `key` should name the identity whose tokens it holds (provider, account), for
    /// example `auth:pear:<account>`: each identity needs its own.
    ///
    /// # Errors
    ///
    /// [`StoreError::InvalidSettings`] if `url` is not a `redis://` or `rediss://` URL or
    /// `key` is empty. The message never quotes the URL. [`StoreError::NoCryptoProvider`]
    /// for a `rediss://` URL when the application has installed no process-default rustls
    /// crypto provider.
    pub fn new(url: &str, key: impl Into<String>) -> Result<Self, StoreError> {
        let key: String = key.into();
        if key.is_empty() {
            return Err(invalid(
                "the Redis key is empty; name it after the identity",
            ));
        }
        let scheme = url.split_once("://").map(|(scheme, _)| scheme);
        let tls = match scheme.map(str::to_ascii_lowercase).as_deref() {
            Some("redis") => false,
            Some("rediss") => true,
            _ => {
                return Err(invalid(
                    "the token store URL does not start with redis:// or rediss://",
                ));
            }
        };
        let client = redis::Client::open(url)
            .map_err(|_| invalid("the token store URL is not a valid redis:// or rediss:// URL"))?;
        let name = display_name(client.get_connection_info());
        // redis-rs builds its TLS configuration with `rustls::ClientConfig::builder()`, on
        // the process's default crypto provider; without one, rustls installs the one its
        // crate features name, or panics when they name none or two. The application
        // chooses: without its choice, this is an error now rather than a panic later.
        if tls && rustls::crypto::CryptoProvider::get_default().is_none() {
            return Err(StoreError::NoCryptoProvider { store: name });
        }
        Ok(RedisStore {
            client,
            name: name.into(),
            lease_key: format!("{key}:lease").into(),
            events: format!("{key}:events").into(),
            key: key.into(),
            connect_timeout: DEFAULT_TIMEOUT,
            response_timeout: DEFAULT_TIMEOUT,
            connection: Arc::default(),
            sealer: Sealer::default(),
            lease_time_limit: DEFAULT_LEASE_TIME_LIMIT,
        })
    }

    crate::seal::sealing_builders!(
        "the value then holds no token in clear.",
        "Every machine sharing the entry"
    );

    /// How long connecting (TCP, TLS, authentication) may take; 2 s by default.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long the answer to one command may take; 2 s by default.
    #[must_use]
    pub fn response_timeout(mut self, timeout: Duration) -> Self {
        self.response_timeout = timeout;
        self
    }

    /// The longest a holder keeps its renewal lease alive (5 min by default): a holder
    /// stuck longer (a login that never answers) then loses it within the lease's `ttl`,
    /// and the next session takes over; the stuck holder's writes are refused.
    #[must_use]
    pub fn lease_time_limit(mut self, limit: Duration) -> Self {
        self.lease_time_limit = limit;
        self
    }

    /// The store's URL without its password (as errors name it).
    pub fn url(&self) -> &str {
        &self.name
    }

    /// The key of the entry.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The key of the renewal lease: `{key}:lease`.
    pub fn lease_key(&self) -> &str {
        &self.lease_key
    }

    /// The channel of the store's notifications (`released`, `saved`, `cleared`):
    /// `{key}:events`.
    pub fn events_channel(&self) -> &str {
        &self.events
    }

    /// The connection, made now if there is none.
    async fn connection(&self) -> Result<MultiplexedConnection, StoreError> {
        if let Some(connection) = self.slot().clone() {
            return Ok(connection);
        }
        let config = redis::AsyncConnectionConfig::new()
            .set_connection_timeout(Some(self.connect_timeout))
            .set_response_timeout(Some(self.response_timeout));
        let connection = match tokio::time::timeout(
            self.connect_timeout,
            self.client
                .get_multiplexed_async_connection_with_config(&config),
        )
        .await
        {
            Ok(Ok(connection)) => connection,
            Ok(Err(error)) => return Err(self.unavailable(&error)),
            Err(_) => return Err(self.timed_out("connecting", self.connect_timeout)),
        };
        *self.slot() = Some(connection.clone());
        Ok(connection)
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<MultiplexedConnection>> {
        auth_types::lock(&self.connection)
    }

    /// Runs one exchange on the connection, bounded by the response timeout. A failure
    /// drops the connection (the next call connects again).
    async fn exchange<T>(
        &self,
        exchange: impl AsyncFnOnce(&mut MultiplexedConnection) -> redis::RedisResult<T>,
    ) -> Result<T, StoreError> {
        let mut connection = self.connection().await?;
        match tokio::time::timeout(self.response_timeout, exchange(&mut connection)).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => {
                self.slot().take();
                Err(self.unavailable(&error))
            }
            Err(_) => {
                self.slot().take();
                Err(self.timed_out("waiting for an answer", self.response_timeout))
            }
        }
    }

    fn unavailable(&self, error: &redis::RedisError) -> StoreError {
        let mut text = error.to_string();
        if let Some(password) = self
            .client
            .get_connection_info()
            .redis_settings()
            .password()
            && !password.is_empty()
        {
            text = text.replace(password, "***");
        }
        StoreError::Unavailable {
            store: self.name.to_string(),
            source: text.into(),
        }
    }

    fn timed_out(&self, doing: &str, after: Duration) -> StoreError {
        StoreError::Unavailable {
            store: self.name.to_string(),
            source: format!("no answer after {after:?} {doing}").into(),
        }
    }

    /// Writes `bytes` as the entry and tells the waiters.
    async fn put(&self, bytes: Vec<u8>) -> Result<(), StoreError> {
        self.exchange(async |connection| {
            redis::pipe()
                .atomic()
                .set(&*self.key, bytes.as_slice())
                .ignore()
                .publish(&*self.events, "saved")
                .ignore()
                .query_async::<()>(connection)
                .await
        })
        .await
    }
}

#[async_trait]
impl TokenStore for RedisStore {
    async fn load(&self) -> Result<Option<StoredTokens>, StoreError> {
        Ok(self.load_entry().await?.map(|entry| entry.tokens))
    }

    /// Saves `tokens` with an unknown owner.
    async fn save(&self, tokens: &StoredTokens) -> Result<(), StoreError> {
        self.save_entry(&StoreEntry::new(None, tokens.clone()))
            .await
    }

    async fn clear(&self) -> Result<(), StoreError> {
        self.exchange(async |connection| {
            redis::pipe()
                .atomic()
                .del(&*self.key)
                .ignore()
                .publish(&*self.events, "cleared")
                .ignore()
                .query_async::<()>(connection)
                .await
        })
        .await
    }

    /// Reads at most one byte more than an entry may have (`GETRANGE`), so a huge value
    /// is refused without being read whole. An empty value reads as no entry.
    async fn load_entry(&self) -> Result<Option<StoreEntry>, StoreError> {
        let seen = self.read().await?;
        self.interpret(&seen)
    }

    async fn save_entry(&self, entry: &StoreEntry) -> Result<(), StoreError> {
        let bytes = self
            .sealer
            .encode(entry)
            .map_err(|e| e.at(Place::Named(&self.name)))?;
        self.put(bytes).await
    }

    /// `SET {key}:lease <random token> NX PX <ttl>`, tried again whenever the store
    /// publishes a release or a save, and every so often, for at most `wait`. A failure
    /// of the store is tried again too, and reported once it has lasted 2 s (or the wait
    /// is over).
    async fn lease(
        &self,
        wait: Duration,
        ttl: Duration,
    ) -> Result<Option<Box<dyn Lease>>, StoreError> {
        lease::wait(self, wait, ttl).await
    }
}

/// `duration` in whole milliseconds, at least 1.
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis())
        .unwrap_or(u64::MAX)
        .max(1)
}

/// 128 random bits in hex, from the operating system.
fn random_token() -> Result<String, StoreError> {
    use ring::rand::SecureRandom as _;
    let mut bytes = [0u8; 16];
    ring::rand::SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| StoreError::other("the operating system's random generator failed"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// `url` without its password: scheme, user, host, port and database.
fn display_name(info: &redis::ConnectionInfo) -> String {
    let settings = info.redis_settings();
    let user = settings
        .username()
        .map(|user| format!("{user}@"))
        .unwrap_or_default();
    let db = settings.db();
    match info.addr() {
        redis::ConnectionAddr::Tcp(host, port) => format!("redis://{user}{host}:{port}/{db}"),
        redis::ConnectionAddr::TcpTls { host, port, .. } => {
            format!("rediss://{user}{host}:{port}/{db}")
        }
        other => format!("redis ({other:?})"),
    }
}

fn invalid(reason: &str) -> StoreError {
    StoreError::InvalidSettings {
        reason: reason.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No test of this binary installs a crypto provider, so none is there: the store
    /// says so, and installs none itself (rustls would pick one, or panic, later).
    #[test]
    fn a_tls_url_without_a_crypto_provider_is_a_clear_error_and_installs_none() {
        let error = RedisStore::new("rediss://user:tls-secret-pw@redis.example:6380/2", "k")
            .expect_err("no crypto provider is installed in this test binary");
        assert!(
            matches!(&error, StoreError::NoCryptoProvider { store } if store == "rediss://user@redis.example:6380/2"),
            "{error:?}"
        );
        let message = error.to_string();
        assert!(message.contains("install_default()"), "{message}");
        assert!(!message.contains("tls-secret"), "{message}");
        assert!(rustls::crypto::CryptoProvider::get_default().is_none());
        // Without TLS no provider is needed.
        assert!(RedisStore::new("redis://127.0.0.1:6379/0", "k").is_ok());
    }
}
