//! `login` and `token`: signing in to a backend the flags describe.

use std::process::ExitCode;

use auth_session::{Authenticator, Session};
use siwx_auth::{Preset, SiwxAuthenticator, SiwxClient};

use super::{Failure, Flavor};
use crate::cli::{BackendArgs, PresetArg, StoreArgs};
use crate::commands::{print_json, store};

/// The client the flags describe.
fn client<F: Flavor>(args: &BackendArgs) -> Result<SiwxClient<F>, Failure> {
    let mut b = SiwxClient::<F>::builder(&args.base_url).preset(match args.preset {
        PresetArg::Quickstart => Preset::Quickstart,
        PresetArg::TokenApi => Preset::TokenApi,
    });
    if let Some(path) = &args.nonce_path {
        b = b.nonce_path(path);
    }
    if let Some(field) = &args.nonce_field {
        b = b.nonce_field(field);
    }
    if let Some(path) = &args.login_path {
        b = b.login_path(path);
    }
    if args.message_field.is_some() || args.signature_field.is_some() {
        b = b.body_fields(
            args.message_field.as_deref().unwrap_or("message"),
            args.signature_field.as_deref().unwrap_or("signature"),
        );
    }
    if let Some(name) = &args.session_cookie {
        b = b.session_cookie(name);
    }
    if let Some(field) = &args.token_field {
        b = b.token_field(field);
    }
    if let Some(field) = &args.refresh_token_field {
        b = b.refresh_token_field(field);
    }
    if let Some(field) = &args.expires_in_field {
        b = b.expires_in_field(field);
    }
    if let Some(path) = &args.refresh_path {
        b = b.refresh(
            path,
            args.refresh_field.as_deref().unwrap_or("refreshToken"),
        );
    }
    if let Some(path) = &args.logout_path {
        b = b.logout_path(path);
    }
    if let Some(domain) = &args.domain {
        b = b.domain(domain);
    }
    if let Some(uri) = &args.uri {
        b = b.uri(uri);
    }
    if let Some(statement) = &args.statement {
        b = b.statement(statement);
    }
    if let Some(chain_id) = &args.chain_id {
        b = b.chain_id(chain_id);
    }
    for resource in &args.resource {
        b = b.resource(resource);
    }
    b.build().map_err(|e| Failure::usage(e.to_string()))
}

/// `login`: the session as JSON; with no key, signed in a browser wallet.
pub(super) async fn login<F: Flavor>(
    args: &BackendArgs,
    key: Option<&F::Key>,
) -> Result<ExitCode, Failure> {
    let client = client::<F>(args)?;
    let login = match key {
        Some(key) => F::login(&client, key).await?,
        None => F::browser_login(&client).await?,
    };
    print_json(&serde_json::json!({
        "token": login.token.expose_secret(),
        "refreshToken": login.refresh_token.as_ref().map(|t| t.expose_secret()),
        "expiresIn": login.expires_in.map(|d| d.as_secs()),
    }))?;
    Ok(ExitCode::SUCCESS)
}

/// `token`: a live session token from the store, renewed when due.
pub(super) async fn token<F: Flavor>(
    args: &BackendArgs,
    store_args: &StoreArgs,
    key: &F::Key,
) -> Result<ExitCode, Failure>
where
    SiwxAuthenticator<F>: Authenticator,
{
    let authenticator = F::authenticator(client::<F>(args)?, key)?;
    let identity = authenticator.identity();
    let store = store::open(store_args, &identity)?
        .checked(&identity)
        .await?;
    store::print_token(Session::builder(authenticator).token_store(store).build()).await?;
    Ok(ExitCode::SUCCESS)
}
