//! The store's Lua scripts and the commands that run them: taking, extending and giving
//! back the lease, reading the entry's key, and the fenced write.

use std::sync::LazyLock;
use std::time::Duration;

use redis::aio::PubSubStream;
use zeroize::Zeroizing;

use super::{RedisStore, millis};
use crate::entry::StoreEntry;
use crate::error::{EntryProblem, StoreError};
use crate::format::{self, Place};

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
pub(super) static ACQUIRE: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(&format!(
        "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then\n    return 1\nend\n{EXTEND_LUA}"
    ))
});

/// See [`EXTEND_LUA`].
pub(super) static EXTEND: LazyLock<redis::Script> =
    LazyLock::new(|| redis::Script::new(EXTEND_LUA));

/// Deletes the lease (`KEYS[1]`) only if it still holds this holder's token (`ARGV[1]`),
/// and tells the waiters on `KEYS[2]`. 1 if released, 0 if it was no longer this
/// holder's.
pub(super) static RELEASE: LazyLock<redis::Script> = LazyLock::new(|| {
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
pub(super) static READ: LazyLock<redis::Script> = LazyLock::new(|| {
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
pub(super) static REPLACE: LazyLock<redis::Script> = LazyLock::new(|| {
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
pub(super) enum Seen {
    /// No key.
    Absent,
    /// A string: its first bytes (at most one more than an entry may have).
    Bytes(Zeroizing<Vec<u8>>),
    /// A key of another type (its type's name).
    Other(String),
}

impl RedisStore {
    /// Tries to take the lease once.
    pub(super) async fn try_lease(&self, token: &str, ttl: Duration) -> Result<bool, StoreError> {
        self.lease_script(&ACQUIRE, token, ttl).await
    }

    /// Extends the lease by `ttl` if it still holds `token`; `false` if it does not.
    pub(super) async fn extend_lease(
        &self,
        token: &str,
        ttl: Duration,
    ) -> Result<bool, StoreError> {
        self.lease_script(&EXTEND, token, ttl).await
    }

    /// Runs `script` on the lease with this holder's `token` and `ttl`: whether it answered 1.
    async fn lease_script(
        &self,
        script: &redis::Script,
        token: &str,
        ttl: Duration,
    ) -> Result<bool, StoreError> {
        let answer: i64 = self
            .exchange(async |connection| {
                script
                    .key(&*self.lease_key)
                    .arg(token)
                    .arg(millis(ttl))
                    .invoke_async(connection)
                    .await
            })
            .await?;
        Ok(answer == 1)
    }

    /// The entry's key as found: its type and, for a string, its first bytes.
    pub(super) async fn read(&self) -> Result<Seen, StoreError> {
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
            _ => Seen::Other(kind),
        })
    }

    /// The entry in `seen`.
    pub(super) fn interpret(&self, seen: &Seen) -> Result<Option<StoreEntry>, StoreError> {
        match seen {
            // An empty value reads as no entry.
            Seen::Absent => Ok(None),
            Seen::Bytes(bytes) if bytes.is_empty() => Ok(None),
            Seen::Bytes(bytes) => self
                .sealer
                .decode(bytes)
                .map(Some)
                .map_err(|e| e.at(Place::Named(&self.name))),
            Seen::Other(kind) => Err(StoreError::InvalidEntry {
                store: self.name.to_string(),
                problem: EntryProblem::WrongType {
                    found: kind.clone(),
                },
            }),
        }
    }

    /// The fenced write (see [`REPLACE`]): `Ok(true)` if written, `Ok(false)` if the entry
    /// changed; [`StoreError::LeaseLost`] if another holds the lease.
    pub(super) async fn replace_fenced(
        &self,
        token: &str,
        seen: &Seen,
        value: Option<&[u8]>,
    ) -> Result<bool, StoreError> {
        let (kind, seen_bytes): (&str, &[u8]) = match seen {
            Seen::Absent => ("none", b""),
            Seen::Bytes(bytes) => ("string", bytes.as_slice()),
            Seen::Other(_) => ("other", b""),
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
    pub(super) async fn release_lease(&self, token: &str) -> Result<(), StoreError> {
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
    pub(super) async fn subscribe(&self) -> Option<PubSubStream> {
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
}
