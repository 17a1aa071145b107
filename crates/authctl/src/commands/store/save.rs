//! Writing a login made outside a session (a browser wallet's) into the store entry a
//! `token` command's session reads, by the store's renewal protocol: under the lease, as
//! the next generation, fenced, so it never races another process's renewal and every
//! session sharing the entry adopts it at its next renewal.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use auth_session::{Identity, StoreEntry, StoreError, StoredTokens, TokenStore};
use auth_types::{AccessToken, RefreshToken};

use super::Failure;

/// How long a save waits for another process's renewal to give the lease back.
const LEASE_WAIT: Duration = Duration::from_secs(30);

/// A lease this process dies holding ends after this.
const LEASE_TTL: Duration = Duration::from_secs(10);

/// Tokens of one login, to be saved.
pub(crate) struct LoginTokens {
    /// The access token.
    pub(crate) access_token: AccessToken,
    /// The refresh token, if the provider has refresh.
    pub(crate) refresh_token: Option<RefreshToken>,
    /// When the access token expires, on the issuing server's clock as the client reads it.
    pub(crate) expires_at: SystemTime,
}

/// Saves `tokens` as the entry of `identity` in `store`. On a shared store (a file, Redis)
/// this takes the lease (waiting for a renewal in progress elsewhere), reads the entry and
/// replaces it with the next generation; a store without leases is written plainly.
pub(crate) async fn save_login(
    store: &Arc<dyn TokenStore>,
    identity: &Identity,
    tokens: LoginTokens,
) -> Result<(), Failure> {
    let mut entry = StoreEntry::new(
        Some(identity.clone()),
        StoredTokens {
            access_token: tokens.access_token,
            refresh_token: tokens.refresh_token,
            expires_at: tokens.expires_at,
        },
    );
    let failed = |e: StoreError| Failure::new(format!("saving the tokens in the store: {e}"));
    let Some(mut lease) = store.lease(LEASE_WAIT, LEASE_TTL).await.map_err(failed)? else {
        return store.save_entry(&entry).await.map_err(failed);
    };
    entry.generation = match lease.load_entry().await {
        Ok(Some(old)) => old.generation.wrapping_add(1),
        Ok(None) => 1,
        // An entry no session can use (corrupt, another sealing key or format): the lease
        // remembers it, and the fenced write below replaces it.
        Err(
            StoreError::Malformed { .. }
            | StoreError::TooLarge { .. }
            | StoreError::UnsupportedVersion { .. }
            | StoreError::InvalidEntry { .. },
        ) => 1,
        Err(error) => return Err(failed(error)),
    };
    let written = lease.replace(Some(&entry)).await;
    // Once written, a lease not given back only delays the next renewal until it ends.
    let _ = lease.release().await;
    written.map_err(failed)
}
