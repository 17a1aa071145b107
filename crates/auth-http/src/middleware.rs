//! The `reqwest-middleware` adapter: the same rule for a reqwest client.

use std::convert::Infallible;
use std::fmt;

use auth_session::Session;
use reqwest::{Request, Response};
use reqwest_middleware::{Error, Middleware, Next};

use crate::authorize::AuthorizeRequest;
use crate::authorizer::Authorizer;

/// A [`reqwest_middleware::Middleware`] that puts a session's token on every request.
///
/// The rule of [`AuthorizeService`](crate::AuthorizeService) for reqwest: the session's
/// current token goes on each request; on a 401 the token is reported to the session
/// ([`Session::report_refused`]: a burst of 401s for one token costs one check and at
/// most one renewal, at most a few a minute per session) and, if the session renews, a
/// request whose body can be cloned ([`reqwest::Request::try_clone`]: not a stream) is
/// authorized with the renewed token and sent once more. A streaming request, or a 401
/// the session does not renew for, is returned as is.
///
/// A failure to get or carry a token is [`reqwest_middleware::Error::Middleware`] holding
/// an [`AuthorizedError`](crate::AuthorizedError)`<A::Error, Infallible>`.
pub struct AuthorizeMiddleware<A: AuthorizeRequest> {
    authorizer: Authorizer<A>,
}

impl<A: AuthorizeRequest> AuthorizeMiddleware<A> {
    /// A middleware over `session`.
    pub fn new(session: Session<A>) -> Self {
        AuthorizeMiddleware {
            authorizer: Authorizer::new(session),
        }
    }

    /// A middleware over the session of `authorizer`.
    pub fn from_authorizer(authorizer: Authorizer<A>) -> Self {
        AuthorizeMiddleware { authorizer }
    }
}

impl<A: AuthorizeRequest> Clone for AuthorizeMiddleware<A> {
    fn clone(&self) -> Self {
        AuthorizeMiddleware {
            authorizer: self.authorizer.clone(),
        }
    }
}

impl<A: AuthorizeRequest> fmt::Debug for AuthorizeMiddleware<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizeMiddleware")
            .field("authorizer", &self.authorizer)
            .finish()
    }
}

#[async_trait::async_trait]
impl<A: AuthorizeRequest> Middleware for AuthorizeMiddleware<A> {
    async fn handle(
        &self,
        mut request: Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        let replay = request.try_clone();
        let token = self
            .authorizer
            .authorize::<Infallible>(request.headers_mut())
            .await
            .map_err(Error::middleware)?;
        let response = next.clone().run(request, extensions).await?;
        if !self
            .authorizer
            .report_if_refused(response.status(), &token)
            .await
        {
            return Ok(response);
        }
        let Some(mut again) = replay else {
            return Ok(response);
        };
        self.authorizer
            .authorize::<Infallible>(again.headers_mut())
            .await
            .map_err(Error::middleware)?;
        next.run(again, extensions).await
    }
}
