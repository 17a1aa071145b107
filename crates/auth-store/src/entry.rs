//! A stored entry: the tokens, who they belong to, and the entry's generation.

use std::time::SystemTime;

use auth_types::{AccessToken, RefreshToken};

use crate::identity::Identity;

/// Tokens as they are stored. `Debug` shows no token text.
#[derive(Debug, Clone)]
pub struct StoredTokens {
    /// The access token.
    pub access_token: AccessToken,
    /// The refresh token, if the provider has refresh.
    pub refresh_token: Option<RefreshToken>,
    /// When the access token expires, on the wall clock (monotonic instants do not survive
    /// a restart).
    pub expires_at: SystemTime,
}

/// Stored tokens with the identity they belong to.
#[derive(Debug, Clone)]
pub struct StoreEntry {
    /// Who the tokens belong to; `None` when unknown (an entry written before identities
    /// existed, or by a store that does not keep them). A session uses only entries of
    /// its own identity.
    pub identity: Option<Identity>,
    /// The tokens.
    pub tokens: StoredTokens,
    /// Counts the entry's versions: every save by a session sharing the store adds one, so
    /// a session that re-reads the entry under the lease sees whether another renewed
    /// meanwhile. `0` for a store that does not keep it.
    pub generation: u64,
}

impl StoreEntry {
    /// An entry of generation 0.
    pub fn new(identity: Option<Identity>, tokens: StoredTokens) -> Self {
        StoreEntry {
            identity,
            tokens,
            generation: 0,
        }
    }
}
