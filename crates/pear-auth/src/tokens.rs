//! What Pear hands back: token pairs and API keys.

use std::time::Duration;

use auth_types::{AccessToken, ApiKey, EvmAddress, RefreshToken, escape_unprintable_cut};
use serde::Deserialize;

use crate::error::{PearError, PearFailure};

/// A Pear session's tokens, from a login or a refresh.
///
/// `Debug` shows the token types redacted. The refresh token is single use: after a
/// refresh, only the new pair is valid.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PearTokens {
    /// The bearer token for Pear's API (about 15 minutes).
    pub access_token: AccessToken,
    /// The single-use token that gets the next pair.
    pub refresh_token: RefreshToken,
    /// The scheme, `Bearer`.
    pub token_type: String,
    /// How long the access token lives, from when it was received.
    pub expires_in: Duration,
    /// The account, as Pear echoes it on login (not on refresh).
    pub address: Option<EvmAddress>,
    /// The client id, as Pear echoes it on login (not on refresh).
    pub client_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TokenResponse {
    access_token: AccessToken,
    refresh_token: RefreshToken,
    #[serde(default)]
    token_type: Option<String>,
    expires_in: u64,
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    client_id: Option<String>,
}

impl TryFrom<TokenResponse> for PearTokens {
    type Error = PearError;

    /// An absent `tokenType` is `Bearer`; any other scheme than `Bearer` (in any case) is
    /// refused rather than sent as one.
    fn try_from(r: TokenResponse) -> Result<Self, PearError> {
        let token_type = match r.token_type {
            None => "Bearer".to_owned(),
            Some(t) if t.eq_ignore_ascii_case("bearer") => t,
            Some(t) => {
                return Err(PearFailure::UnsupportedTokenType {
                    token_type: escape_unprintable_cut(&t, 40),
                }
                .into());
            }
        };
        Ok(PearTokens {
            access_token: r.access_token,
            refresh_token: r.refresh_token,
            token_type,
            expires_in: Duration::from_secs(r.expires_in),
            address: r.address.and_then(|a| a.to_ascii_lowercase().parse().ok()),
            client_id: r.client_id,
        })
    }
}

/// A newly created API key (`POST /api-keys`, 201 `{id, apiKey, name, createdAt}`). The
/// key itself is shown once: store it as a secret.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreatedApiKey {
    /// The key, for `login_api_key`.
    pub api_key: ApiKey,
    /// Pear's id for the key, if given (a string, or a number written as one).
    #[serde(default, deserialize_with = "id")]
    pub id: Option<String>,
    /// The name given at creation.
    #[serde(default)]
    pub name: Option<String>,
    /// When it was created, as Pear reports it.
    #[serde(default)]
    pub created_at: Option<serde_json::Value>,
}

/// An API key as listed (without the key itself): one entry of `GET /api-keys`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ApiKeyInfo {
    /// Pear's id for the key (a string, or a number written as one).
    #[serde(default, deserialize_with = "id")]
    pub id: Option<String>,
    /// Its name (`null` when it has none).
    #[serde(default)]
    pub name: Option<String>,
    /// Whether the key can still log in, when Pear says.
    #[serde(default)]
    pub is_active: Option<bool>,
    /// When it was last used, as Pear reports it (`None` if never, or not said).
    #[serde(default)]
    pub last_used_at: Option<serde_json::Value>,
    /// When it was created, as Pear reports it.
    #[serde(default)]
    pub created_at: Option<serde_json::Value>,
}

/// The live `GET /api-keys` answer: `{"apiKeys": [...]}`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ApiKeyList {
    pub(crate) api_keys: Vec<ApiKeyInfo>,
}

/// An id that may come as a string or a number.
fn id<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Text(String),
        Number(u64),
    }
    Ok(Option::<Id>::deserialize(deserializer)?.map(|id| match id {
        Id::Text(text) => text,
        Id::Number(n) => n.to_string(),
    }))
}
