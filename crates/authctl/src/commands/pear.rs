//! `authctl pear …`.

use std::process::ExitCode;

use auth_types::{AccessToken, ApiKey, EvmAddress, RefreshToken};
use pear_auth::{PearClient, PearError, PearTokens};
use serde::Serialize;

use super::{Failure, print_json, runtime};
use crate::cli::{ApiKeyCommand, PearApi, PearCommand, PearLoginArgs};
use crate::secrets::{eth_key, from_env};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TokensJson<'a> {
    access_token: &'a str,
    refresh_token: &'a str,
    token_type: &'a str,
    expires_in: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_id: Option<&'a str>,
}

fn print_tokens(tokens: &PearTokens) -> Result<(), Failure> {
    print_json(&TokensJson {
        access_token: tokens.access_token.expose_secret(),
        refresh_token: tokens.refresh_token.expose_secret(),
        token_type: &tokens.token_type,
        expires_in: tokens.expires_in.as_secs(),
        address: tokens.address.map(|a| a.to_lowercase_hex()),
        client_id: tokens.client_id.as_deref(),
    })
}

fn client(api: &PearApi, client_id: Option<&str>) -> Result<PearClient, Failure> {
    let base_url = api
        .base_url
        .clone()
        .or_else(|| std::env::var("PEAR_BASE_URL").ok())
        .unwrap_or_else(|| pear_auth::DEFAULT_BASE_URL.to_owned());
    let mut builder = PearClient::builder().base_url(base_url);
    if let Some(id) = client_id {
        builder = builder.client_id(id);
    }
    builder.build().map_err(|e| Failure::new(e.to_string()))
}

fn failed(what: &str) -> impl Fn(PearError) -> Failure + '_ {
    move |e| Failure::new(format!("{what} failed: {e}"))
}

pub(crate) fn run(command: PearCommand) -> Result<ExitCode, Failure> {
    let rt = runtime()?;
    match command {
        PearCommand::Login(args) => rt.block_on(login(&args)),
        PearCommand::Refresh {
            api,
            refresh_token_env,
        } => rt.block_on(async {
            let token = RefreshToken::new(from_env(&refresh_token_env)?.as_str());
            let tokens = client(&api, None)?
                .refresh(&token)
                .await
                .map_err(failed("refresh"))?;
            print_tokens(&tokens)
        }),
        PearCommand::Logout {
            api,
            refresh_token_env,
            access_token_env,
        } => rt.block_on(async {
            if let Some(var) = &access_token_env {
                // Read it so a wrong variable name is reported, though logout needs only
                // the refresh token.
                from_env(var)?;
            }
            let token = RefreshToken::new(from_env(&refresh_token_env)?.as_str());
            client(&api, None)?
                .logout(&token)
                .await
                .map_err(failed("logout"))?;
            eprintln!("logged out");
            Ok(())
        }),
        PearCommand::ApiKey(ApiKeyCommand::Create {
            api,
            name,
            access_token_env,
        }) => rt.block_on(async {
            let token = AccessToken::new(from_env(&access_token_env)?.as_str());
            let created = client(&api, None)?
                .create_api_key(&token, name.as_deref())
                .await
                .map_err(failed("creating the API key"))?;
            print_json(&serde_json::json!({
                "apiKey": created.api_key.expose_secret(),
                "id": created.id,
                "name": created.name,
            }))
        }),
        PearCommand::ApiKey(ApiKeyCommand::List {
            api,
            access_token_env,
        }) => rt.block_on(async {
            let token = AccessToken::new(from_env(&access_token_env)?.as_str());
            let keys = client(&api, None)?
                .list_api_keys(&token)
                .await
                .map_err(failed("listing API keys"))?;
            let list: Vec<_> = keys
                .iter()
                .map(|k| serde_json::json!({"id": k.id, "name": k.name, "createdAt": k.created_at}))
                .collect();
            print_json(&list)
        }),
    }?;
    Ok(ExitCode::SUCCESS)
}

async fn login(args: &PearLoginArgs) -> Result<(), Failure> {
    let pear = client(&args.api, Some(&args.client_id))?;
    let tokens = match (&args.private_key_env, &args.api_key_env, &args.address) {
        (Some(var), _, _) => {
            let signer = eth_key(Some(var), None)?;
            pear.login_eip712(&signer).await.map_err(failed("login"))?
        }
        (None, Some(var), Some(address)) => {
            let address: EvmAddress = address
                .parse()
                .map_err(|e| Failure::usage(format!("--address: {e}")))?;
            let key = ApiKey::new(from_env(var)?.as_str());
            pear.login_api_key(&address, &key)
                .await
                .map_err(failed("login"))?
        }
        _ => {
            return Err(Failure::usage(
                "give --private-key-env VAR, or --api-key-env VAR with --address".to_owned(),
            ));
        }
    };
    print_tokens(&tokens)
}
