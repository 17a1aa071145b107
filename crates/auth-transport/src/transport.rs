//! The transport trait and adapters.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use http::{Request, Response};

use crate::error::TransportError;

/// Sends one HTTP request and returns the complete response.
///
/// Object safe: providers hold an `Arc<dyn HttpTransport>`. Implementations must
/// - return every status code as a response (4xx and 5xx are not errors),
/// - not follow redirects (a login must not be sent somewhere else),
/// - bound the time of a whole exchange and the size of the body they buffer,
/// - keep secrets from headers and bodies out of their `Debug` output and errors.
///
/// Write one for your own HTTP stack, a proxy setup or a test double; for a closure, use
/// [`from_fn`].
///
/// ```
/// use async_trait::async_trait;
/// use auth_transport::{HttpTransport, TransportError};
/// use bytes::Bytes;
/// use http::{Request, Response};
///
/// /// Answers every request with 204, for tests.
/// #[derive(Debug)]
/// struct NoContent;
///
/// #[async_trait]
/// impl HttpTransport for NoContent {
///     async fn send(&self, _request: Request<Bytes>) -> Result<Response<Bytes>, TransportError> {
///         Ok(Response::builder().status(204).body(Bytes::new()).expect("static response"))
///     }
/// }
///
/// let transport: std::sync::Arc<dyn HttpTransport> = std::sync::Arc::new(NoContent);
/// # let request = Request::get("https://example.invalid/").body(Bytes::new())?;
/// # let rt = tokio::runtime::Builder::new_current_thread().build()?;
/// let response = rt.block_on(transport.send(request))?;
/// assert_eq!(response.status(), 204);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[async_trait]
pub trait HttpTransport: Send + Sync + fmt::Debug {
    /// Sends `request` and reads the whole response body.
    async fn send(&self, request: Request<Bytes>) -> Result<Response<Bytes>, TransportError>;
}

#[async_trait]
impl<T: HttpTransport + ?Sized> HttpTransport for Arc<T> {
    async fn send(&self, request: Request<Bytes>) -> Result<Response<Bytes>, TransportError> {
        (**self).send(request).await
    }
}

#[async_trait]
impl<T: HttpTransport + ?Sized> HttpTransport for Box<T> {
    async fn send(&self, request: Request<Bytes>) -> Result<Response<Bytes>, TransportError> {
        (**self).send(request).await
    }
}

#[async_trait]
impl<T: HttpTransport + ?Sized> HttpTransport for &T {
    async fn send(&self, request: Request<Bytes>) -> Result<Response<Bytes>, TransportError> {
        (**self).send(request).await
    }
}

/// A transport made from an async closure. See [`from_fn`].
pub struct FnTransport<F> {
    f: F,
}

impl<F> fmt::Debug for FnTransport<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FnTransport")
    }
}

/// Adapts a closure returning a future into an [`HttpTransport`], in one line.
///
/// ```
/// use auth_transport::{HttpTransport, from_fn};
/// use bytes::Bytes;
///
/// let transport = from_fn(|request: http::Request<Bytes>| async move {
///     let body = Bytes::from(format!("you asked for {}", request.uri().path()));
///     Ok(http::Response::new(body))
/// });
/// # let rt = tokio::runtime::Builder::new_current_thread().build()?;
/// let request = http::Request::get("http://localhost/x").body(Bytes::new())?;
/// let response = rt.block_on(transport.send(request))?;
/// assert_eq!(response.body().as_ref(), b"you asked for /x");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn from_fn<F, Fut>(f: F) -> FnTransport<F>
where
    F: Fn(Request<Bytes>) -> Fut + Send + Sync,
    Fut: Future<Output = Result<Response<Bytes>, TransportError>> + Send,
{
    FnTransport { f }
}

#[async_trait]
impl<F, Fut> HttpTransport for FnTransport<F>
where
    F: Fn(Request<Bytes>) -> Fut + Send + Sync,
    Fut: Future<Output = Result<Response<Bytes>, TransportError>> + Send,
{
    async fn send(&self, request: Request<Bytes>) -> Result<Response<Bytes>, TransportError> {
        (self.f)(request).await
    }
}
