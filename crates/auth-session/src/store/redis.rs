//! A token store on Redis, for sessions on many machines (feature `redis`).

use std::sync::{Arc, LazyLock, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use futures_util::StreamExt as _;
use redis::aio::{MultiplexedConnection, PubSubStream};
use tokio::time::Instant;
use zeroize::Zeroizing;

use super::format::{self, Place};
use super::seal::Sealer;
use super::{Lease, StoreEntry, StoreError, StoredTokens, TokenStore};

/// How long a connection may take, and a command's answer, unless told otherwise.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

/// The first pause between two tries of a held lease; it doubles up to [`POLL_MAX`] (or
/// [`POLL_MAX_SUBSCRIBED`] while the waiter hears the store's notifications).
const POLL_FIRST: Duration = Duration::from_millis(5);
/// The longest pause between two tries of a held lease without notifications.
const POLL_MAX: Duration = Duration::from_millis(50);
/// The longest pause between two tries of a held lease while subscribed to the store's
/// notifications: a release wakes the waiter at once, so tries are only for a lease that
/// ran out (which publishes nothing).
const POLL_MAX_SUBSCRIBED: Duration = Duration::from_millis(250);

/// How long a store may keep failing (a dropped connection, a restart) while a session
/// waits for the lease before the wait reports the failure.
const FAILING_AT_MOST: Duration = Duration::from_secs(2);

/// The longest a holder keeps its lease alive unless told otherwise
/// ([`RedisStore::lease_time_limit`]).
const DEFAULT_LEASE_TIME_LIMIT: Duration = Duration::from_secs(5 * 60);

/// Extends the lease (`KEYS[1]`) by `ARGV[2]` ms if it still holds this holder's token
/// (`ARGV[1]`): 1 if so, 0 if it is no longer this holder's.
const EXTEND_LUA: &str = r"if redis.call('GET', KEYS[1]) == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return 1
end
return 0";

/// Takes the lease (`KEYS[1]`) for this holder's token (`ARGV[1]`) for `ARGV[2]` ms; a
/// lease that already holds the token (a try whose answer was lost) is this holder's
/// too, and is extended. 1 if taken, 0 if another holds it.
static ACQUIRE: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(&format!(
        "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then\n    return 1\nend\n{EXTEND_LUA}"
    ))
});

/// See [`EXTEND_LUA`].
static EXTEND: LazyLock<redis::Script> = LazyLock::new(|| redis::Script::new(EXTEND_LUA));

/// Deletes the lease (`KEYS[1]`) only if it still holds this holder's token (`ARGV[1]`),
/// and tells the waiters on `KEYS[2]`. 1 if released, 0 if it was no longer this
/// holder's.
static RELEASE: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"if redis.call('GET', KEYS[1]) == ARGV[1] then
    redis.call('DEL', KEYS[1])
    redis.call('PUBLISH', KEYS[2], 'released')
    return 1
end
return 0",
    )
});

/// Reads the entry (`KEYS[1]`) as `{type, bytes}`: the key's type (`none`, `string`, or
/// another) and, for a string, its first `ARGV[1]` + 1 bytes.
static READ: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"local kind = redis.call('TYPE', KEYS[1]).ok
if kind == 'string' then
    return {kind, redis.call('GETRANGE', KEYS[1], 0, ARGV[1])}
end
return {kind, ''}",
    )
});

/// The fenced write of a lease: replaces the entry (`KEYS[1]`) only if the lease
/// (`KEYS[2]`) is not another holder's (`ARGV[1]` is this holder's token) and the entry
/// is still what the holder saw (`ARGV[2]`: `none`, `string` with the first `ARGV[4]` + 1
/// bytes equal to `ARGV[3]`, or `other` for a key of another type); then tells the waiters
/// on `KEYS[3]`. `ARGV[5]` is `set` (with the value `ARGV[6]`) or `del`. While this
/// holder holds the lease, a write that already landed (its answer lost, so it is sent
/// again) counts as done: no other holder can have written the same. Answers `ok`,
/// `lease` (another holds the lease) or `changed`.
static REPLACE: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"local holder = redis.call('GET', KEYS[2])
if holder and holder ~= ARGV[1] then
    return 'lease'
end
local kind = redis.call('TYPE', KEYS[1]).ok
local bytes = ''
if kind == 'string' then
    bytes = redis.call('GETRANGE', KEYS[1], 0, ARGV[4])
elseif kind ~= 'none' then
    kind = 'other'
end
if holder == ARGV[1] and ARGV[5] == 'set' and kind == 'string' and bytes == ARGV[6] then
    return 'ok'
end
if holder == ARGV[1] and ARGV[5] == 'del' and kind == 'none' then
    return 'ok'
end
if kind ~= ARGV[2] or (kind == 'string' and bytes ~= ARGV[3]) then
    return 'changed'
end
if ARGV[5] == 'set' then
    redis.call('SET', KEYS[1], ARGV[6])
    redis.call('PUBLISH', KEYS[3], 'saved')
else
    redis.call('DEL', KEYS[1])
    redis.call('PUBLISH', KEYS[3], 'cleared')
end
return 'ok'",
    )
});

/// What a lease saw at the entry's key, for the fence of its next write.
#[derive(Clone, PartialEq, Eq)]
enum Seen {
    /// No key.
    Absent,
    /// A string: its first bytes (at most one more than an entry may have).
    Bytes(Zeroizing<Vec<u8>>),
    /// A key of another type.
    Other,
}

/// Keeps one session entry in Redis, so sessions on many machines share one login and
/// renew in turns (see [`TokenStore::lease`]).
///
/// - **Where.** The entry is the value at `key` (the same JSON a
///   [`FileStore`](crate::FileStore) writes); the renewal lease is `key:lease`, and
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
/// use auth_session::RedisStore;
///
/// # fn main() -> Result<(), auth_session::StoreError> {
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
    /// `key` is empty. The message never quotes the URL.
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
        if tls {
            ensure_crypto_provider();
        }
        let client = redis::Client::open(url)
            .map_err(|_| invalid("the token store URL is not a valid redis:// or rediss:// URL"))?;
        let name = display_name(client.get_connection_info());
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

    super::seal::sealing_builders!(
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
        self.connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
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

    /// Tries to take the lease once.
    async fn try_lease(&self, token: &str, ttl: Duration) -> Result<bool, StoreError> {
        let taken: i64 = self
            .exchange(async |connection| {
                ACQUIRE
                    .key(&*self.lease_key)
                    .arg(token)
                    .arg(millis(ttl))
                    .invoke_async(connection)
                    .await
            })
            .await?;
        Ok(taken == 1)
    }

    /// Extends the lease by `ttl` if it still holds `token`; `false` if it does not.
    async fn extend_lease(&self, token: &str, ttl: Duration) -> Result<bool, StoreError> {
        let extended: i64 = self
            .exchange(async |connection| {
                EXTEND
                    .key(&*self.lease_key)
                    .arg(token)
                    .arg(millis(ttl))
                    .invoke_async(connection)
                    .await
            })
            .await?;
        Ok(extended == 1)
    }

    /// The entry's key as found: its type and, for a string, its first bytes.
    async fn read(&self) -> Result<Seen, StoreError> {
        let (kind, bytes): (String, Vec<u8>) = self
            .exchange(async |connection| {
                READ.key(&*self.key)
                    .arg(format::MAX_BYTES)
                    .invoke_async(connection)
                    .await
            })
            .await?;
        let bytes = Zeroizing::new(bytes);
        Ok(match kind.as_str() {
            "none" => Seen::Absent,
            "string" => Seen::Bytes(bytes),
            _ => {
                return Err(StoreError::InvalidEntry {
                    store: self.name.to_string(),
                    problem: super::EntryProblem::WrongType { found: kind },
                });
            }
        })
    }

    /// The entry in `seen`.
    fn interpret(&self, seen: &Seen) -> Result<Option<StoreEntry>, StoreError> {
        match seen {
            // An empty value reads as no entry.
            Seen::Absent => Ok(None),
            Seen::Bytes(bytes) if bytes.is_empty() => Ok(None),
            Seen::Bytes(bytes) => self
                .sealer
                .decode(bytes)
                .map(Some)
                .map_err(|e| e.at(Place::Named(&self.name))),
            Seen::Other => Err(StoreError::InvalidEntry {
                store: self.name.to_string(),
                problem: super::EntryProblem::WrongType {
                    found: "not a string".to_owned(),
                },
            }),
        }
    }

    /// The fenced write (see [`REPLACE`]): `Ok(true)` if written, `Ok(false)` if the entry
    /// changed; [`StoreError::LeaseLost`] if another holds the lease.
    async fn replace_fenced(
        &self,
        token: &str,
        seen: &Seen,
        value: Option<&[u8]>,
    ) -> Result<bool, StoreError> {
        let (kind, seen_bytes): (&str, &[u8]) = match seen {
            Seen::Absent => ("none", b""),
            Seen::Bytes(bytes) => ("string", bytes.as_slice()),
            Seen::Other => ("other", b""),
        };
        let answer: String = self
            .exchange(async |connection| {
                REPLACE
                    .key(&*self.key)
                    .key(&*self.lease_key)
                    .key(&*self.events)
                    .arg(token)
                    .arg(kind)
                    .arg(seen_bytes)
                    .arg(format::MAX_BYTES)
                    .arg(if value.is_some() { "set" } else { "del" })
                    .arg(value.unwrap_or_default())
                    .invoke_async(connection)
                    .await
            })
            .await?;
        match answer.as_str() {
            "ok" => Ok(true),
            "lease" => Err(StoreError::LeaseLost {
                store: self.name.to_string(),
            }),
            _ => Ok(false),
        }
    }

    /// Gives the lease back if it still holds `token`.
    async fn release_lease(&self, token: &str) -> Result<(), StoreError> {
        let released: i64 = self
            .exchange(async |connection| {
                RELEASE
                    .key(&*self.lease_key)
                    .key(&*self.events)
                    .arg(token)
                    .invoke_async(connection)
                    .await
            })
            .await?;
        if released == 1 {
            Ok(())
        } else {
            Err(StoreError::LeaseLost {
                store: self.name.to_string(),
            })
        }
    }

    /// The store's notifications, or `None` if the subscription cannot be made in time
    /// (the waiter then polls).
    async fn subscribe(&self) -> Option<PubSubStream> {
        let subscribing = async {
            let mut pubsub = self.client.get_async_pubsub().await?;
            pubsub.subscribe(&*self.events).await?;
            Ok::<_, redis::RedisError>(pubsub.into_on_message())
        };
        match tokio::time::timeout(self.connect_timeout + self.response_timeout, subscribing).await
        {
            Ok(Ok(stream)) => Some(stream),
            Ok(Err(error)) => {
                tracing::debug!(store = %self.name, error = %self.unavailable(&error), "could not subscribe to the token store's notifications; polling");
                None
            }
            Err(_) => None,
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
        let token = random_token()?;
        let started = Instant::now();
        let mut events: Option<PubSubStream> = None;
        let mut subscribed = false;
        let mut pause = POLL_FIRST;
        let mut failing_since: Option<(Instant, StoreError)> = None;
        loop {
            match self.try_lease(&token, ttl).await {
                Ok(true) => return Ok(Some(Box::new(RedisLease::new(self.clone(), token, ttl)))),
                Ok(false) => failing_since = None,
                Err(error) => {
                    let since = failing_since.take().map_or_else(Instant::now, |(at, _)| at);
                    if since.elapsed() >= FAILING_AT_MOST {
                        return Err(error);
                    }
                    tracing::debug!(store = %self.name, %error, "the token store failed while waiting for its lease; trying again");
                    failing_since = Some((since, error));
                }
            }
            let waited = started.elapsed();
            if waited >= wait {
                return Err(match failing_since {
                    Some((_, error)) => error,
                    None => StoreError::LeaseTimeout { waited },
                });
            }
            if !subscribed {
                // Subscribe, then try again at once: a release between the first try and
                // the subscription would otherwise go unheard.
                subscribed = true;
                events = self.subscribe().await;
                continue;
            }
            let left = wait - waited;
            match &mut events {
                Some(stream) if failing_since.is_none() => {
                    match tokio::time::timeout(pause.min(left), stream.next()).await {
                        // A release or a save: try again now.
                        Ok(Some(_)) => {}
                        // The subscription broke: poll from now on.
                        Ok(None) => events = None,
                        // Quiet: try anyway (a lease that ran out publishes nothing).
                        Err(_) => {}
                    }
                    pause = (pause * 2).min(POLL_MAX_SUBSCRIBED);
                }
                _ => {
                    tokio::time::sleep(pause.min(left)).await;
                    pause = (pause * 2).min(POLL_MAX);
                }
            }
        }
    }
}

/// The lease of a [`RedisStore`]: `{key}:lease` holding this holder's random token, kept
/// alive by a task of its own while held.
struct RedisLease {
    store: RedisStore,
    token: String,
    released: bool,
    /// What this lease last read or wrote; `None` before a read.
    seen: Option<Seen>,
    /// Extends the lease every third of its ttl; aborted when the lease ends.
    keep_alive: tokio::task::JoinHandle<()>,
}

impl RedisLease {
    fn new(store: RedisStore, token: String, ttl: Duration) -> Self {
        let keep_alive = tokio::spawn(keep_alive(store.clone(), token.clone(), ttl));
        RedisLease {
            store,
            token,
            released: false,
            seen: None,
            keep_alive,
        }
    }
}

/// Extends the lease holding `token` every third of `ttl`, until it is no longer this
/// holder's or the store's lease time limit is reached. A failed extension is tried again
/// at the next tick (the lease survives a failure shorter than two thirds of its ttl).
async fn keep_alive(store: RedisStore, token: String, ttl: Duration) {
    let every = (ttl / 3).max(Duration::from_millis(10));
    let until = Instant::now() + store.lease_time_limit;
    loop {
        tokio::time::sleep(every).await;
        if Instant::now() >= until {
            tracing::warn!(store = %store.name, limit = ?store.lease_time_limit, "a renewal has held the token store's lease for its time limit; no longer keeping it alive");
            return;
        }
        match store.extend_lease(&token, ttl).await {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!(store = %store.name, "the token store's renewal lease ran out before it could be extended; this holder's writes will be refused");
                return;
            }
            Err(error) => {
                tracing::debug!(store = %store.name, %error, "could not extend the renewal lease; trying again");
            }
        }
    }
}

impl std::fmt::Debug for RedisLease {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisLease")
            .field("store", &self.store.name)
            .field("key", &self.store.lease_key)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl Lease for RedisLease {
    async fn load_entry(&mut self) -> Result<Option<StoreEntry>, StoreError> {
        let seen = match self.store.read().await {
            Ok(seen) => seen,
            Err(
                error @ StoreError::InvalidEntry {
                    problem: super::EntryProblem::WrongType { .. },
                    ..
                },
            ) => {
                // Remembered, so that the next write may replace it.
                self.seen = Some(Seen::Other);
                return Err(error);
            }
            Err(error) => {
                self.seen = None;
                return Err(error);
            }
        };
        let entry = self.store.interpret(&seen);
        self.seen = Some(seen);
        entry
    }

    async fn replace(&mut self, entry: Option<&StoreEntry>) -> Result<(), StoreError> {
        let Some(seen) = self.seen.clone() else {
            return Err(StoreError::Conflict {
                store: self.store.name.to_string(),
            });
        };
        let bytes = entry
            .map(|entry| {
                self.store
                    .sealer
                    .encode(entry)
                    .map(Zeroizing::new)
                    .map_err(|e| e.at(Place::Named(&self.store.name)))
            })
            .transpose()?;
        let written = self
            .store
            .replace_fenced(&self.token, &seen, bytes.as_deref().map(Vec::as_slice))
            .await;
        match written {
            Ok(true) => {
                self.seen = Some(match bytes {
                    Some(bytes) => Seen::Bytes(bytes),
                    None => Seen::Absent,
                });
                Ok(())
            }
            Ok(false) => {
                self.seen = None;
                Err(StoreError::Conflict {
                    store: self.store.name.to_string(),
                })
            }
            Err(error) => Err(error),
        }
    }

    async fn release(mut self: Box<Self>) -> Result<(), StoreError> {
        self.released = true;
        self.keep_alive.abort();
        self.store.release_lease(&self.token).await
    }
}

impl Drop for RedisLease {
    /// Best effort: gives the lease back from a spawned task (on a Tokio runtime); else
    /// its time runs out.
    fn drop(&mut self) {
        self.keep_alive.abort();
        if self.released {
            return;
        }
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let store = self.store.clone();
            let token = std::mem::take(&mut self.token);
            runtime.spawn(async move {
                if let Err(error) = store.release_lease(&token).await {
                    tracing::debug!(%error, "could not give back a dropped renewal lease; it ends by its time limit");
                }
            });
        }
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

/// rustls needs a crypto provider for `rediss://`; this crate brings ring. Installs it as
/// the process default unless one is already installed.
fn ensure_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race with another installer is fine: one is installed either way.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}
