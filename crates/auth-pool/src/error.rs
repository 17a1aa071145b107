//! [`PoolError`]: what can go wrong when the pool hands out a session or a token.

use std::sync::Arc;

use auth_session::{AuthError, FailureKind, SessionError};
use auth_store::{Identity, StoreError};

/// An error of the factory that makes a key's authenticator, as the pool keeps it.
pub type FactoryError = Arc<dyn std::error::Error + Send + Sync + 'static>;

/// Why the pool could not hand out a session or a token. `E` is the authenticator's
/// error. Messages never contain token text (the session's errors hold none, and the pool
/// adds none).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PoolError<E> {
    /// The factory could not make the key's authenticator (a bad key, a signer that
    /// could not be opened). Nothing was kept: the next call tries the factory again.
    #[error("could not make the authenticator of this key: {source}")]
    Factory {
        /// The factory's error.
        source: FactoryError,
    },
    /// The pool's [`StoreFactory`](crate::StoreFactory) could not open the token store of
    /// `identity` (a directory that cannot be created, a bad Redis URL). Nothing was kept.
    #[error("could not open the token store of {identity}: {source}")]
    Store {
        /// Whose store it was.
        identity: Box<Identity>,
        /// What the store said.
        source: Arc<StoreError>,
    },
    /// The session failed (login, refresh, timeout, backoff, ...).
    #[error(transparent)]
    Session(#[from] SessionError<E>),
}

impl<E: AuthError> AuthError for PoolError<E> {
    fn kind(&self) -> FailureKind {
        match self {
            // Settings, not the network: trying again at once gives the same answer.
            PoolError::Factory { .. } | PoolError::Store { .. } => FailureKind::Permanent,
            PoolError::Session(error) => error.kind(),
        }
    }

    fn may_have_reached_server(&self) -> bool {
        match self {
            PoolError::Factory { .. } | PoolError::Store { .. } => false,
            PoolError::Session(error) => error.may_have_reached_server(),
        }
    }

    fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            PoolError::Session(error) => error.retry_after(),
            PoolError::Factory { .. } | PoolError::Store { .. } => None,
        }
    }
}
