//! Probes of the sandbox ([`auth_sandbox::Sandbox`]) that tests of every layer use.

use auth_sandbox::Sandbox;
use auth_transport::HttpTransport as _;
use auth_types::AccessToken;
use bytes::Bytes;

/// The status of `GET /sandbox/whoami` on the sandbox's Pear API with
/// `Authorization: Bearer <token>`, sent with the reqwest backend: 200 for a live access
/// token, 401 for a dead, foreign or wrong-type one.
///
/// The header is written here, not by a provider's code, so that the sandbox's own tests
/// stay independent of the clients they witness.
pub async fn whoami(sb: &Sandbox, token: &AccessToken) -> u16 {
    let request = http::Request::get(format!("{}/sandbox/whoami", sb.pear_url()))
        .header(
            http::header::AUTHORIZATION,
            format!("Bearer {}", token.expose_secret()),
        )
        .body(Bytes::new())
        .unwrap();
    crate::transport::reqwest()
        .send(request)
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[cfg(test)]
mod tests {
    use super::*;
    use auth_sandbox::SandboxConfig;
    use auth_types::EvmAddress;

    /// An access token from an API-key login, spoken in the sandbox's own JSON.
    async fn api_key_login(sb: &Sandbox) -> AccessToken {
        let key = sb.issue_api_key(EvmAddress::ZERO);
        let body = serde_json::json!({
            "method": "api_key",
            "address": EvmAddress::ZERO.to_lowercase_hex(),
            "clientId": "APITRADER",
            "details": {"apiKey": key.expose_secret()},
        });
        let request = http::Request::post(format!("{}/auth/login", sb.pear_url()))
            .header("content-type", "application/json")
            .body(Bytes::from(body.to_string()))
            .unwrap();
        let response = crate::transport::reqwest().send(request).await.unwrap();
        assert_eq!(response.status(), 200);
        let tokens: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
        AccessToken::new(tokens["accessToken"].as_str().unwrap())
    }

    #[tokio::test]
    async fn a_token_the_sandbox_never_issued_is_refused() {
        let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
        assert_eq!(whoami(&sb, &AccessToken::new("eyJ.not.issued")).await, 401);
        assert_eq!(sb.counters().protected_refused, 1);
    }

    #[tokio::test]
    async fn a_live_token_is_accepted_and_a_revoked_one_is_not() {
        let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
        let token = api_key_login(&sb).await;
        assert_eq!(whoami(&sb, &token).await, 200);
        assert!(sb.revoke(token.expose_secret()));
        assert_eq!(whoami(&sb, &token).await, 401);
        assert_eq!(sb.counters().protected_ok, 1);
    }
}
