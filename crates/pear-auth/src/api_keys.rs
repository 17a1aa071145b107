//! Pear's API-key endpoints, for a logged-in account.

use auth_provider::JsonBody;
use auth_types::AccessToken;

use crate::client::PearClient;
use crate::error::PearError;
use crate::tokens::{ApiKeyInfo, ApiKeyList, CreatedApiKey};

impl PearClient {
    /// `POST /api-keys`: creates an API key for the logged-in account (Pear answers 201
    /// `{id, apiKey, name, createdAt}`).
    pub async fn create_api_key(
        &self,
        access_token: &AccessToken,
        name: Option<&str>,
    ) -> Result<CreatedApiKey, PearError> {
        let body = match name {
            Some(n) => JsonBody::new().field("name", n),
            None => JsonBody::new(),
        };
        Ok(self
            .inner
            .api
            .post("/api-keys")
            .bearer(access_token)
            .json(body)
            .send_json()
            .await?)
    }

    /// `GET /api-keys`: the account's API keys (without the keys themselves), from Pear's
    /// `{"apiKeys": [...]}` answer or a bare array.
    pub async fn list_api_keys(
        &self,
        access_token: &AccessToken,
    ) -> Result<Vec<ApiKeyInfo>, PearError> {
        let answer = self
            .inner
            .api
            .get("/api-keys")
            .bearer(access_token)
            .send()
            .await?;
        // Live Pear answers `{"apiKeys": [...]}`; a bare array is accepted as well.
        let bare = answer
            .body()
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| *b == b'[');
        if bare {
            Ok(answer.json()?)
        } else {
            Ok(answer.json::<ApiKeyList>()?.api_keys)
        }
    }
}
