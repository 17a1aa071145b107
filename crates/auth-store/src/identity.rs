//! Who a session's tokens belong to, so that stored tokens are never presented to the
//! wrong server or for the wrong account.

use std::fmt;

/// Who a session's tokens belong to: the provider, the server's base URL, and, where they
/// apply, the account and the client id.
///
/// Every store entry a session writes carries its identity, and a session uses stored
/// tokens only when their identity equals its own. An entry of another identity (another
/// wallet, client id, server or provider), or one without an identity (written by an
/// older version, or by a store that does not keep identities), is ignored and never sent
/// to any server. An identity holds no secret; `Debug` and `Display` show all of it.
///
/// ```
/// use auth_store::Identity;
///
/// let pear = Identity::new("pear", "https://hl-v2.pearprotocol.io/")
///     .with_account("0x52908400098527886E0F7030069857D2E4169EE7")
///     .with_client_id("HLHackathon1");
/// assert_eq!(pear.base_url(), "https://hl-v2.pearprotocol.io"); // No trailing slash.
/// assert_ne!(pear, Identity::new("pump.fun", "https://frontend-api-v3.pump.fun"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Identity {
    provider: String,
    base_url: String,
    account: Option<String>,
    client_id: Option<String>,
}

impl Identity {
    /// An identity of `provider` (a short fixed name, such as `"pear"`) at `base_url`
    /// (trailing slashes are dropped), with no account and no client id yet.
    pub fn new(provider: impl Into<String>, base_url: impl Into<String>) -> Self {
        let mut base_url = base_url.into();
        while base_url.ends_with('/') {
            base_url.pop();
        }
        Identity {
            provider: provider.into(),
            base_url,
            account: None,
            client_id: None,
        }
    }

    /// Adds the account the tokens are for (a wallet address, a public key).
    #[must_use]
    pub fn with_account(mut self, account: impl Into<String>) -> Self {
        self.account = Some(account.into());
        self
    }

    /// Adds the client id the tokens were issued to.
    #[must_use]
    pub fn with_client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// The provider's name.
    pub fn provider(&self) -> &str {
        &self.provider
    }

    /// The server's base URL, without trailing slashes.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The account, if known.
    pub fn account(&self) -> Option<&str> {
        self.account.as_deref()
    }

    /// The client id, if the provider has one.
    pub fn client_id(&self) -> Option<&str> {
        self.client_id.as_deref()
    }
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.provider, self.base_url)?;
        if let Some(account) = &self.account {
            write!(f, " for {account}")?;
        }
        if let Some(client_id) = &self.client_id {
            write!(f, " (client id {client_id})")?;
        }
        Ok(())
    }
}
