//! The core every adapter shares: authorize a request, and judge its answer.

use std::fmt;

use auth_session::{Session, SessionError};
use auth_types::AccessToken;
use http::{HeaderMap, StatusCode};

use crate::authorize::AuthorizeRequest;
use crate::error::AuthorizedError;

/// A session seen as a request authorizer: the logic of `AuthorizeLayer` (feature `tower`)
/// and `AuthorizeMiddleware` (feature `reqwest-middleware`), usable with any other HTTP stack.
///
/// 1. [`authorize`](Authorizer::authorize) puts the session's current token (and the
///    provider's extras) on the request and returns the token it used.
/// 2. [`report_if_refused`](Authorizer::report_if_refused) looks at the status of the
///    answer: on a 401 it reports that token to the session ([`Session::report_refused`]),
///    which judges it (a burst of 401s for one token costs one check and at most one
///    renewal; at most a few 401-triggered renewals a minute per session, default 3), and
///    says whether the request should be sent once more, authorized again, if it can be
///    replayed. A 401 the session does not renew for (the token was confirmed alive, or
///    the cap is reached) is passed on as it is.
///
/// A cheap handle: clones share the session. `Debug` shows no token.
pub struct Authorizer<A: AuthorizeRequest> {
    session: Session<A>,
}

impl<A: AuthorizeRequest> Authorizer<A> {
    /// An authorizer over `session`.
    pub fn new(session: Session<A>) -> Self {
        Authorizer { session }
    }

    /// The session.
    pub fn session(&self) -> &Session<A> {
        &self.session
    }

    /// Puts the session's access token on `headers` (through
    /// [`AuthorizeRequest::authorize`]) and returns that token, to hand to
    /// [`report_if_refused`](Authorizer::report_if_refused) with the answer. `E`
    /// is the caller's own send error, which this never produces.
    ///
    /// # Errors
    ///
    /// [`AuthorizedError::Token`] when the session has no token to give,
    /// [`AuthorizedError::Authorize`] when the provider cannot carry it.
    pub async fn authorize<E>(
        &self,
        headers: &mut HeaderMap,
    ) -> Result<AccessToken, AuthorizedError<A::Error, E>> {
        let token = self
            .session
            .access_token()
            .await
            .map_err(|source: SessionError<A::Error>| AuthorizedError::Token { source })?;
        self.session
            .authenticator()
            .authorize(headers, &token)
            .map_err(|source| AuthorizedError::Authorize { source })?;
        Ok(token)
    }

    /// Reports `token` to the session ([`Session::report_refused`]) if the server refused
    /// it (status 401), and says whether the request should be sent once more: on `true`, a
    /// request that can be replayed should be authorized again and sent once more (and
    /// the answer to that second try not reported again). `false` for any other status,
    /// and for a 401 the session passes on (the token was confirmed alive, the cap of
    /// 401-triggered renewals per minute is reached, or the check failed).
    pub async fn report_if_refused(&self, status: StatusCode, token: &AccessToken) -> bool {
        if status != StatusCode::UNAUTHORIZED {
            return false;
        }
        self.session.report_refused(token).await.replay()
    }

    /// Reports `token` to the session with [`Session::invalidate`] if the server refused it
    /// (status 401), and says whether it did: without the session's check or its cap of
    /// 401-triggered renewals per minute.
    #[deprecated(
        note = "use `report_if_refused`, which asks the provider and keeps to the session's cap of renewals per minute"
    )]
    pub fn invalidate_if_refused(&self, status: StatusCode, token: &AccessToken) -> bool {
        if status != StatusCode::UNAUTHORIZED {
            return false;
        }
        let reported = self.session.invalidate(token);
        tracing::debug!(
            target: "auth_http",
            reported,
            "the server refused the access token (401)"
        );
        true
    }

    /// The former name of `invalidate_if_refused`, which reports a refused token to the
    /// session with [`Session::invalidate`] as well as answering.
    #[deprecated(
        note = "use `report_if_refused`, which asks the provider and keeps to the session's cap of renewals per minute"
    )]
    #[allow(deprecated)]
    pub fn refused(&self, status: StatusCode, token: &AccessToken) -> bool {
        self.invalidate_if_refused(status, token)
    }
}

impl<A: AuthorizeRequest> Clone for Authorizer<A> {
    fn clone(&self) -> Self {
        Authorizer {
            session: self.session.clone(),
        }
    }
}

impl<A: AuthorizeRequest> fmt::Debug for Authorizer<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authorizer")
            .field("session", &self.session)
            .finish()
    }
}
