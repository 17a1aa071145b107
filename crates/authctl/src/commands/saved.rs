//! Browser logins kept in the token store (`login --browser --save`), and the `token`
//! commands that serve them with no key (`pear token --address`, `pump token --wallet`):
//! the wallet signs once, a bot's `token` calls use (Pear: and refresh) the stored tokens
//! until a new sign-in is needed.

use auth_session::{Authenticator as _, Session, SessionError};
use auth_types::{Clock as _, EvmAddress, SolanaPubkey};
use pear_auth::{PearAuthenticator, PearClient, PearFailure, PearTokens, ProviderError};
use pump_auth::{ASSUMED_LIFETIME, PumpAuthenticator, PumpClient, PumpFailure, PumpLogin};

use super::store::{self, LoginTokens};
use super::{Failure, print_json};
use crate::cli::StoreArgs;

/// What `pump token --wallet` says when the stored token is gone.
const PUMP_SIGN_IN_AGAIN: &str = "sign in again with `authctl pump login --browser --save` \
     (with the same --base-url and --store)";

/// What `pear token --address` says when the stored session is gone.
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
    let store = store::open(args, &identity)?.checked(&identity).await?;
    let session = Session::builder(authenticator).token_store(store).build();
    store::print_token_or(session, |e| match e {
        SessionError::Login { source }
            if matches!(
                source.as_ref(),
                ProviderError::Provider(PearFailure::LoginRequired { .. })
            ) =>
        {
            Some(SIGN_IN_AGAIN)
        }
        _ => None,
    })
    .await
}

/// `pump login --browser --save`: writes the browser sign-in of `wallet` into the store
/// entry `pump token` uses for that wallet, and prints what was saved, not the token.
pub(super) async fn pump_save(
    pump: &PumpClient,
    args: &StoreArgs,
    wallet: SolanaPubkey,
    login: PumpLogin,
) -> Result<(), Failure> {
    let identity = PumpAuthenticator::stored_only(pump.clone(), wallet).identity();
    let store = store::open(args, &identity)?.checked(&identity).await?;
    let expires_in = login.expires_in.unwrap_or(ASSUMED_LIFETIME);
    let now = pump.server_clock().now();
    let tokens = LoginTokens {
        access_token: login.token,
        refresh_token: None,
        expires_at: now.checked_add(expires_in).unwrap_or(now),
    };
    store::save_login(&store, &identity, tokens).await?;
    eprintln!(
        "saved; `authctl pump token --wallet {wallet}` (with the same --base-url and --store) now prints the token until it expires"
    );
    print_json(&serde_json::json!({
        "saved": true,
        "wallet": wallet.to_string(),
        "expiresIn": expires_in.as_secs(),
    }))
}

/// `pump token --wallet WALLET` with no key: the stored token of that wallet while it
/// lasts; then a failure saying how to sign in again.
pub(super) async fn pump_token(
    pump: PumpClient,
    args: &StoreArgs,
    wallet: SolanaPubkey,
) -> Result<(), Failure> {
    let authenticator = PumpAuthenticator::stored_only(pump, wallet);
    let identity = authenticator.identity();
    let store = store::open(args, &identity)?.checked(&identity).await?;
    let session = Session::builder(authenticator).token_store(store).build();
    store::print_token_or(session, |e| match e {
        SessionError::Login { source }
            if matches!(
                source.as_ref(),
                ProviderError::Provider(PumpFailure::LoginRequired { .. })
            ) =>
        {
            Some(PUMP_SIGN_IN_AGAIN)
        }
        _ => None,
    })
    .await
}
