//! Which requests can be sent twice: those whose body can be copied.

use bytes::Bytes;
use http::Request;

/// A request body that may be copied so that a request refused with 401 can be sent once
/// more with a renewed token.
///
/// Buffered bodies answer `Some` (a cheap copy: [`Bytes`] is reference counted); streaming
/// bodies answer `None`, and a request with one is returned as is with its 401 (the
/// session has still been told, so the next request carries a renewed token). Implement it
/// for your own body type to use it with `AuthorizeLayer` (feature `tower`); `None` is always correct.
pub trait ReplayBody: Sized {
    /// A copy of the body to send again, or `None` if it cannot be sent twice.
    fn try_replay(&self) -> Option<Self>;
}

macro_rules! replay_by_clone {
    ($($ty:ty),* $(,)?) => {$(
        impl ReplayBody for $ty {
            fn try_replay(&self) -> Option<Self> {
                Some(self.clone())
            }
        }
    )*};
}

replay_by_clone!((), String, Vec<u8>, Bytes, &'static str, &'static [u8]);

#[cfg(feature = "tower")]
mod http_body_util_bodies {
    use bytes::Buf;
    use http_body_util::combinators::{BoxBody, UnsyncBoxBody};
    use http_body_util::{Empty, Full};

    use super::ReplayBody;

    impl<D: Buf + Clone> ReplayBody for Full<D> {
        fn try_replay(&self) -> Option<Self> {
            Some(self.clone())
        }
    }

    impl<D> ReplayBody for Empty<D> {
        fn try_replay(&self) -> Option<Self> {
            Some(Empty::new())
        }
    }

    /// A boxed body may stream: never replayed.
    impl<D, E> ReplayBody for BoxBody<D, E> {
        fn try_replay(&self) -> Option<Self> {
            None
        }
    }

    /// A boxed body may stream: never replayed.
    impl<D, E> ReplayBody for UnsyncBoxBody<D, E> {
        fn try_replay(&self) -> Option<Self> {
            None
        }
    }
}

/// A copy of `request` (method, URI, version, headers, extensions, body) if its body can be
/// replayed, else `None`.
///
/// ```
/// let request = http::Request::post("http://127.0.0.1/orders")
///     .header("content-type", "application/json")
///     .body(bytes::Bytes::from_static(b"{}"))?;
/// let copy = auth_http::try_clone_request(&request).expect("bytes replay");
/// assert_eq!(copy.uri(), request.uri());
/// assert_eq!(copy.headers(), request.headers());
/// assert_eq!(copy.body(), request.body());
/// # Ok::<(), http::Error>(())
/// ```
pub fn try_clone_request<B: ReplayBody>(request: &Request<B>) -> Option<Request<B>> {
    let body = request.body().try_replay()?;
    let mut copy = Request::new(body);
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    *copy.extensions_mut() = request.extensions().clone();
    Some(copy)
}
