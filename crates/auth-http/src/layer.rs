//! The `tower` adapter: a layer that authorizes every request and heals a 401 once.

use std::fmt;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll};

use auth_session::Session;
use http::{Request, Response};
use tower_layer::Layer;
use tower_service::Service;

use crate::authorize::AuthorizeRequest;
use crate::authorizer::Authorizer;
use crate::error::AuthorizedError;
use crate::replay::{ReplayBody, try_clone_request};

/// A [`tower_layer::Layer`] that puts a session's token on every request.
///
/// Made from a session of any provider whose authenticator implements
/// [`AuthorizeRequest`]; wraps any `Service<http::Request<B>>` (a hyper client, an
/// `axum` router in tests, another layer). See [`AuthorizeService`] for what happens to
/// each request. A cheap handle: clones share the session.
pub struct AuthorizeLayer<A: AuthorizeRequest> {
    authorizer: Authorizer<A>,
}

impl<A: AuthorizeRequest> AuthorizeLayer<A> {
    /// A layer over `session`.
    pub fn new(session: Session<A>) -> Self {
        AuthorizeLayer {
            authorizer: Authorizer::new(session),
        }
    }

    /// A layer over the session of `authorizer`.
    pub fn from_authorizer(authorizer: Authorizer<A>) -> Self {
        AuthorizeLayer { authorizer }
    }
}

impl<A: AuthorizeRequest> Clone for AuthorizeLayer<A> {
    fn clone(&self) -> Self {
        AuthorizeLayer {
            authorizer: self.authorizer.clone(),
        }
    }
}

impl<A: AuthorizeRequest> fmt::Debug for AuthorizeLayer<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizeLayer")
            .field("authorizer", &self.authorizer)
            .finish()
    }
}

impl<S, A: AuthorizeRequest> Layer<S> for AuthorizeLayer<A> {
    type Service = AuthorizeService<S, A>;

    fn layer(&self, inner: S) -> AuthorizeService<S, A> {
        AuthorizeService {
            inner,
            authorizer: self.authorizer.clone(),
        }
    }
}

/// A service that authorizes each request with a session's token before `S` sends it.
///
/// For each request:
/// 1. the session's current token goes on it ([`AuthorizeRequest::authorize`]); a copy of
///    the request is kept if its body can be replayed ([`ReplayBody`]);
/// 2. on a 401 answer the token is reported to the session ([`Session::report_refused`]:
///    a burst of 401s for one token costs one check and at most one renewal, and a
///    session renews for 401s at most a few times a minute, default 3). If the session
///    renews (or already has), the copy, if any, is authorized with the renewed token and
///    sent once more; its answer is returned whatever it is. Without a copy (a streaming
///    body), or when the session keeps the token (the provider confirmed it alive, or the
///    cap is reached), the 401 is returned as is.
///
/// Other answers are returned untouched. The inner service must be `Clone` (the usual
/// tower rule for services whose futures outlive `call`).
pub struct AuthorizeService<S, A: AuthorizeRequest> {
    inner: S,
    authorizer: Authorizer<A>,
}

impl<S: Clone, A: AuthorizeRequest> Clone for AuthorizeService<S, A> {
    fn clone(&self) -> Self {
        AuthorizeService {
            inner: self.inner.clone(),
            authorizer: self.authorizer.clone(),
        }
    }
}

impl<S: fmt::Debug, A: AuthorizeRequest> fmt::Debug for AuthorizeService<S, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizeService")
            .field("inner", &self.inner)
            .field("authorizer", &self.authorizer)
            .finish()
    }
}

impl<S, A: AuthorizeRequest> AuthorizeService<S, A> {
    /// The wrapped service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// The authorizer (and through it, the session).
    pub fn authorizer(&self) -> &Authorizer<A> {
        &self.authorizer
    }
}

/// The future of [`AuthorizeService::call`].
type Answer<R, T, E> = Pin<Box<dyn Future<Output = Result<R, AuthorizedError<T, E>>> + Send>>;

impl<S, A, B, R> Service<Request<B>> for AuthorizeService<S, A>
where
    A: AuthorizeRequest,
    S: Service<Request<B>, Response = Response<R>> + Clone + Send + 'static,
    S::Future: Send,
    B: ReplayBody + Send + 'static,
    R: Send + 'static,
{
    type Response = Response<R>;
    type Error = AuthorizedError<A::Error, S::Error>;
    type Future = Answer<Response<R>, A::Error, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner
            .poll_ready(cx)
            .map_err(|source| AuthorizedError::Service { source })
    }

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        // The service made ready goes into the future; a fresh clone stays behind.
        let fresh = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, fresh);
        let authorizer = self.authorizer.clone();
        Box::pin(async move {
            let replay = try_clone_request(&request);
            let token = authorizer.authorize(request.headers_mut()).await?;
            let response = inner
                .call(request)
                .await
                .map_err(|source| AuthorizedError::Service { source })?;
            if !authorizer
                .report_if_refused(response.status(), &token)
                .await
            {
                return Ok(response);
            }
            let Some(mut again) = replay else {
                return Ok(response);
            };
            authorizer.authorize(again.headers_mut()).await?;
            poll_fn(|cx| inner.poll_ready(cx))
                .await
                .map_err(|source| AuthorizedError::Service { source })?;
            inner
                .call(again)
                .await
                .map_err(|source| AuthorizedError::Service { source })
        })
    }
}
