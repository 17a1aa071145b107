//! WIRE.md, "token answers": rotating refresh tokens, and family revocation.

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_test_support::keys::eth_signer as signer;
use auth_test_support::sandbox::whoami;
use serde_json::json;

use crate::common::{pear_login, post, token};

/// Refresh-token reuse: with family revocation off only the replayed token is refused;
/// on, the whole login session dies.
#[tokio::test]
async fn refresh_token_reuse_revokes_the_family_only_when_configured() {
    for revoke in [false, true] {
        let sb = Sandbox::start(SandboxConfig::default().with_revoke_family_on_reuse(revoke))
            .await
            .unwrap();
        let login = pear_login(&sb.pear_url(), &signer(23), "APITRADER").await;
        let bystander = pear_login(&sb.pear_url(), &signer(24), "APITRADER").await;
        let url = format!("{}/auth/refresh", sb.pear_url());
        let first = json!({"refreshToken": login.body["refreshToken"]});
        let rotated = post(&url, &first, &[]).await;
        assert_eq!(rotated.status, 200);
        let reused = post(&url, &first, &[]).await;
        assert_eq!(reused.status, 401);
        assert_eq!(
            reused.body["message"],
            "Refresh token has already been used"
        );
        let live = if revoke { 401 } else { 200 };
        assert_eq!(
            whoami(&sb, &token(&rotated.body["accessToken"])).await,
            live,
            "revoke {revoke}"
        );
        assert_eq!(whoami(&sb, &token(&login.body["accessToken"])).await, live);
        let next = post(
            &url,
            &json!({"refreshToken": rotated.body["refreshToken"]}),
            &[],
        )
        .await;
        assert_eq!(next.status, live, "revoke {revoke}");
        assert_eq!(
            whoami(&sb, &token(&bystander.body["accessToken"])).await,
            200
        );
        let c = sb.counters();
        assert_eq!(c.refused_reuses, 1);
        assert_eq!(c.families_revoked, u64::from(revoke));
    }
}
