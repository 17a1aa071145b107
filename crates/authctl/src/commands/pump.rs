//! `authctl pump …`.

use std::path::PathBuf;
use std::process::ExitCode;

use auth_signing::solana::{SolanaKeypair, SolanaSignature};
use auth_types::{AccessToken, SolanaPubkey};
use std::sync::Arc;

use auth_session::Authenticator as _;
use pump_auth::{
    LoginFormat, MESSAGE_PREFIX, PumpAuthenticator, PumpClient, PumpError, PumpSession, PumpUser,
    SignedLogin,
};

mod tokens;

use super::{Failure, print_json, print_line, runtime, store};
use crate::cli::{PumpApi, PumpCommand, PumpLoginArgs, SolanaKeyArgs};
use crate::secrets::{from_env, read_input, solana_key, solana_key_from};

fn client(api: &PumpApi, format: LoginFormat) -> Result<PumpClient, Failure> {
    client_paced(api, format, None)
}

/// pump.fun's base URL: `--base-url`, else `PUMP_BASE_URL`, else the live API.
fn base_url(api: &PumpApi) -> String {
    api.base_url
        .clone()
        .or_else(|| std::env::var("PUMP_BASE_URL").ok())
        .unwrap_or_else(|| pump_auth::DEFAULT_BASE_URL.to_owned())
}

/// A client paced by `budget` (`None`: the client's default, see `RateBudget`).
fn client_paced(
    api: &PumpApi,
    format: LoginFormat,
    budget: Option<pump_auth::RateBudget>,
) -> Result<PumpClient, Failure> {
    let builder = PumpClient::builder()
        .base_url(base_url(api))
        .origin(&api.origin)
        .login_format(format);
    let builder = match budget {
        Some(budget) => builder.rate_budget(budget),
        None => builder,
    };
    builder.build().map_err(|e| Failure::new(e.to_string()))
}

fn user_json(user: &PumpUser) -> serde_json::Value {
    serde_json::json!({"id": user.id, "wallet": user.wallet, "username": user.username})
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

/// The keypair `key` names, else the one in the Solana CLI's default file.
fn keypair(key: &SolanaKeyArgs) -> Result<SolanaKeypair, Failure> {
    if key.keypair.is_none() && key.keypair_env.is_none() {
        return solana_key(None, Some(&default_keypair()?));
    }
    solana_key_from(key)
}

pub(crate) fn run(command: PumpCommand) -> Result<ExitCode, Failure> {
    if let PumpCommand::Message = command {
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|_| Failure::new("this machine's clock is before 1970".to_owned()))?
            .as_millis();
        print_line(format_args!("{MESSAGE_PREFIX}{millis}"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let rt = runtime()?;
    if let PumpCommand::Tokens(args) = command {
        return rt.block_on(tokens::run(args));
    }
    match command {
        PumpCommand::Message | PumpCommand::Tokens(_) => Ok(()),
        PumpCommand::Login(args) => rt.block_on(login(args)),
        PumpCommand::Token(args) => rt.block_on(async {
            if let Some(wallet) = &args.wallet {
                let wallet: SolanaPubkey = wallet
                    .parse()
                    .map_err(|e| Failure::usage(format!("--wallet: {e}")))?;
                let pump = client(&args.api, args.sign_in.format)?;
                return super::saved::pump_token(pump, &args.store, wallet).await;
            }
            let keypair = keypair(&args.sign_in.key)?;
            let authenticator =
                PumpAuthenticator::new(client(&args.api, args.sign_in.format)?, Arc::new(keypair))
                    // A one-shot process: the old token is not logged out behind the
                    // others' backs (it expires, or the process that renews next retires
                    // nothing it did not obtain).
                    .keep_old_tokens();
            let identity = authenticator.identity();
            let store = store::open(&args.store, &identity)?
                .checked(&identity)
                .await?;
            store::print_token(
                PumpSession::builder(authenticator)
                    .token_store(store)
                    .build(),
            )
            .await
        }),
        PumpCommand::Logout { api, token_env } => rt.block_on(async {
            let token = AccessToken::new(from_env(&token_env)?.as_str());
            client(&api, LoginFormat::default())?
                .logout(&token)
                .await
                .map_err(failed("logout"))?;
            eprintln!("logged out");
            Ok(())
        }),
        PumpCommand::Profile { api, token_env } => rt.block_on(async {
            let token = AccessToken::new(from_env(&token_env)?.as_str());
            let user = client(&api, LoginFormat::default())?
                .profile(&token)
                .await
                .map_err(failed("reading the profile"))?;
            print_json(&user_json(&user))
        }),
    }?;
    Ok(ExitCode::SUCCESS)
}

async fn login(args: PumpLoginArgs) -> Result<(), Failure> {
    let pump = client(&args.api, args.sign_in.format)?;
    let held = match &args.token_env {
        Some(var) => Some(AccessToken::new(from_env(var)?.as_str())),
        None => None,
    };
    // Checked here: clap counts a flag's default (false) as given for `requires`.
    if args.save && !args.browser {
        return Err(Failure::usage("--save goes with --browser".to_owned()));
    }
    if !args.save && (args.store.store.is_some() || args.store.store_password_env.is_some()) {
        return Err(Failure::usage(
            "--store and --store-password-env go with --browser --save".to_owned(),
        ));
    }
    let login = if args.browser {
        let (wallet, login) = super::browser::pump_login(&pump, held.as_ref()).await?;
        if args.save {
            return super::saved::pump_save(&pump, &args.store, wallet, login).await;
        }
        login
    } else if let (Some(var), Some(file), Some(wallet)) =
        (&args.signature_env, &args.message, &args.wallet)
    {
        let wallet: SolanaPubkey = wallet
            .parse()
            .map_err(|e| Failure::usage(format!("--wallet: {e}")))?;
        let text = read_input(file)?;
        // Files end with a newline that was not signed.
        let text = text.strip_suffix('\n').unwrap_or(&text);
        let text = text.strip_suffix('\r').unwrap_or(text);
        let signature: SolanaSignature = from_env(var)?
            .trim()
            .parse()
            .map_err(|e| Failure::usage(format!("the signature in the variable: {e}")))?;
        let signed = SignedLogin::new(wallet, text, signature);
        pump.login_signed(&signed, held.as_ref())
            .await
            .map_err(failed("login"))?
    } else {
        let keypair = keypair(&args.sign_in.key)?;
        match &held {
            Some(current) => pump.relogin(&keypair, current).await,
            None => pump.login(&keypair).await,
        }
        .map_err(failed("login"))?
    };
    print_json(&serde_json::json!({
        "token": login.token.expose_secret(),
        "expiresIn": login.expires_in.map(|d| d.as_secs()),
        "user": login.user.as_ref().map(user_json),
    }))
}
