//! What can go wrong sending an authorized request.

use auth_session::SessionError;

/// A failed authorized request: no token, a token that cannot be carried, or the inner
/// client's own failure. `T` is the session's authenticator error, `E` the inner client's
/// (a tower service's error; [`std::convert::Infallible`] where there is none).
///
/// A refused request (401 after the one replay, 403, …) is not an error: its response is
/// returned as the server sent it. No variant holds the token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthorizedError<T, E> {
    /// The session could not hand out an access token (login or refresh failed, the
    /// server asked to wait, or the wait timed out). The request was not sent.
    #[error("no access token for the request: {source}")]
    Token {
        /// The session's error.
        source: SessionError<T>,
    },
    /// The provider could not put the token on the request. The request was not sent.
    #[error("the access token cannot be put on the request: {source}")]
    Authorize {
        /// The provider's error.
        source: T,
    },
    /// The inner client failed to send the request or to receive its answer.
    #[error("the authorized request failed: {source}")]
    Service {
        /// The inner client's error.
        source: E,
    },
}
