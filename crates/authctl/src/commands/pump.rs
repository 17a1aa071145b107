//! `authctl pump …`.

use std::path::PathBuf;
use std::process::ExitCode;

use auth_types::AccessToken;
use pump_auth::{PumpClient, PumpError};

use super::{Failure, print_json, runtime};
use crate::cli::{PumpApi, PumpCommand};
use crate::secrets::{from_env, solana_key};

fn client(api: &PumpApi) -> Result<PumpClient, Failure> {
    let base_url = api
        .base_url
        .clone()
        .or_else(|| std::env::var("PUMP_BASE_URL").ok())
        .unwrap_or_else(|| pump_auth::DEFAULT_BASE_URL.to_owned());
    PumpClient::builder()
        .base_url(base_url)
        .build()
        .map_err(|e| Failure::new(e.to_string()))
}

fn failed(what: &str) -> impl Fn(PumpError) -> Failure + '_ {
    move |e| Failure::new(format!("{what} failed: {e}"))
}

/// The Solana CLI's default keypair file.
fn default_keypair() -> Result<PathBuf, Failure> {
    std::env::var_os("HOME")
        .map(|home| PathBuf::from(home).join(".config/solana/id.json"))
        .ok_or_else(|| {
            Failure::usage("HOME is not set: pass --keypair FILE or --keypair-env VAR".to_owned())
        })
}

pub(crate) fn run(command: PumpCommand) -> Result<ExitCode, Failure> {
    let rt = runtime()?;
    match command {
        PumpCommand::Login {
            api,
            keypair,
            keypair_env,
        } => rt.block_on(async {
            let keypair = match (keypair, keypair_env) {
                (_, Some(var)) => solana_key(None, Some(&var))?,
                (Some(file), None) => solana_key(Some(&file), None)?,
                (None, None) => solana_key(Some(&default_keypair()?), None)?,
            };
            let login = client(&api)?
                .login(&keypair)
                .await
                .map_err(failed("login"))?;
            let user = login.user.as_ref().map(|u| {
                serde_json::json!({"id": u.id, "wallet": u.wallet, "username": u.username})
            });
            print_json(&serde_json::json!({
                "token": login.token.expose_secret(),
                "expiresIn": login.expires_in.map(|d| d.as_secs()),
                "user": user,
            }))
        }),
        PumpCommand::Logout { api, token_env } => rt.block_on(async {
            let token = AccessToken::new(from_env(&token_env)?.as_str());
            client(&api)?
                .logout(&token)
                .await
                .map_err(failed("logout"))?;
            eprintln!("logged out");
            Ok(())
        }),
        PumpCommand::Profile { api, token_env } => rt.block_on(async {
            let token = AccessToken::new(from_env(&token_env)?.as_str());
            let user = client(&api)?
                .profile(&token)
                .await
                .map_err(failed("reading the profile"))?;
            print_json(&serde_json::json!({"id": user.id, "wallet": user.wallet, "username": user.username}))
        }),
    }?;
    Ok(ExitCode::SUCCESS)
}
