//! Browser logins kept in the token store (`login --browser --save`), and the `token`
//! commands that serve them with no key (`pear token --address`): the wallet signs once,
//! a bot's `token` calls refresh until a new sign-in is needed.

use std::sync::Arc;

use auth_session::{Authenticator as _, Session, SessionError};
use auth_types::{Clock as _, EvmAddress};
use pear_auth::{PearAuthenticator, PearClient, PearFailure, PearTokens, ProviderError};

use super::store::{self, LoginTokens};
use super::{Failure, print_json, print_line};
use crate::cli::StoreArgs;

/// What a `token` command with no key says when the stored session is gone.
const SIGN_IN_AGAIN: &str = "sign in again with `authctl pear login --browser --save` \
     (with the same --base-url, --client-id and --store)";

/// `pear login --browser --save`: writes the browser login of `address` into the store
/// entry `pear token` uses for that address and client id, and prints what was saved
/// (never the tokens: the refresh token is single-use, and the store now holds it).
pub(super) async fn pear_save(
    pear: &PearClient,
    args: &StoreArgs,
    address: EvmAddress,
    tokens: PearTokens,
) -> Result<(), Failure> {
    let identity = PearAuthenticator::refresh_only(pear.clone(), address).identity();
    let store = store::open(args, &identity)?.checked(&identity).await?;
    let expires_in = tokens.expires_in;
    let now = pear.server_clock().now();
    let login = LoginTokens {
        access_token: tokens.access_token,
        refresh_token: Some(tokens.refresh_token),
        expires_at: now.checked_add(expires_in).unwrap_or(now),
    };
    store::save_login(&store, &identity, login).await?;
    eprintln!(
        "saved; `authctl pear token --address {address}` (with the same --base-url, --client-id and --store) now prints a live token, refreshed when due, until Pear wants a new sign-in"
    );
    print_json(&serde_json::json!({
        "saved": true,
        "address": address.to_lowercase_hex(),
        "clientId": pear.client_id(),
        "expiresIn": expires_in.as_secs(),
    }))
}

/// `pear token --address ADDRESS` with no key: the stored session of that address,
/// refreshed when due; when a login is needed, a failure saying how to sign in again.
pub(super) async fn pear_token(
    pear: PearClient,
    args: &StoreArgs,
    address: EvmAddress,
) -> Result<(), Failure> {
    let authenticator = PearAuthenticator::refresh_only(pear, address);
    let identity = authenticator.identity();
    let store: Arc<_> = store::open(args, &identity)?.checked(&identity).await?;
    let session = Session::builder(authenticator).token_store(store).build();
    let token = session.access_token().await.map_err(|e| match &e {
        SessionError::Login { source }
            if matches!(
                source.as_ref(),
                ProviderError::Provider(PearFailure::LoginRequired { .. })
            ) =>
        {
            Failure::new(format!("no token: {e}; {SIGN_IN_AGAIN}"))
        }
        _ => Failure::new(format!("no token: {e}")),
    })?;
    session.wait_for_renewal().await;
    print_line(token.expose_secret())
}
