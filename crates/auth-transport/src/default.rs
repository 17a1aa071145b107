//! The transport a client uses when it is given none.

use std::sync::Arc;

use crate::error::TransportError;
use crate::transport::HttpTransport;

/// The default transport for the features this crate was built with: reqwest (feature
/// `reqwest`), else hyper (feature `hyper`), with [`TransportConfig`](crate::TransportConfig)'s
/// defaults. `Ok(None)` when no backend is compiled in: pass your own transport then.
///
/// ```
/// let transport = auth_transport::default_transport()?;
/// assert_eq!(transport.is_some(), cfg!(any(feature = "reqwest", feature = "hyper")));
/// # Ok::<(), auth_transport::TransportError>(())
/// ```
pub fn default_transport() -> Result<Option<Arc<dyn HttpTransport>>, TransportError> {
    #[cfg(feature = "reqwest")]
    {
        Ok(Some(Arc::new(crate::ReqwestTransport::new()?)))
    }
    #[cfg(all(feature = "hyper", not(feature = "reqwest")))]
    {
        Ok(Some(Arc::new(crate::HyperTransport::new()?)))
    }
    #[cfg(not(any(feature = "reqwest", feature = "hyper")))]
    {
        Ok(None)
    }
}
