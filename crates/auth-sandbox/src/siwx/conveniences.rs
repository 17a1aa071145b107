//! What a test or example can do with the SIWE and SIWS APIs of a [`Sandbox`] directly.

use super::{SiweApi, SiwsApi};
use crate::sandbox::Sandbox;

impl Sandbox {
    /// The SIWE API's base URL; empty if this sandbox does not serve it (see
    /// [`Sandbox::url_of`]). Its messages must name the domain of this URL without the
    /// scheme (`127.0.0.1:<port>`) unless [`SiweApi::domain`] says otherwise.
    pub fn siwe_url(&self) -> String {
        self.url_of(SiweApi::NAME).unwrap_or_default()
    }

    /// The SIWS API's base URL; empty if this sandbox does not serve it (see
    /// [`Sandbox::url_of`]). Its messages must name the domain of this URL without the
    /// scheme unless [`SiwsApi::domain`] says otherwise.
    pub fn siws_url(&self) -> String {
        self.url_of(SiwsApi::NAME).unwrap_or_default()
    }
}
