//! `authctl pear …`.

use std::process::ExitCode;
use std::time::Duration;

use auth_signing::ethereum::EthSignature;
use auth_types::{AccessToken, ApiKey, EvmAddress, PrivyAccessToken, RefreshToken};
use std::sync::Arc;

use auth_session::{Authenticator as _, Session};
use auth_signing::EthSigner;
use pear_auth::{PearAuthenticator, PearClient, PearDomain, PearError, PearTokens};
use serde::Serialize;

use super::{Failure, print_json, runtime, store};
use crate::cli::{
    ApiKeyCommand, PearApi, PearCommand, PearLoginArgs, PearMessageOpts, PearTokenArgs,
};
use crate::lazy_keystore::{KeystoreSigner, UnlockFirst};
use crate::secrets::{
    check_password_source, eth_key, from_env, keystore_file, keystore_key, read_input,
};

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

fn client(api: &PearApi, opts: Option<&PearMessageOpts>) -> Result<PearClient, Failure> {
    client_with(api, opts, None)
}

fn client_with(
    api: &PearApi,
    opts: Option<&PearMessageOpts>,
    login_chain_id: Option<u64>,
) -> Result<PearClient, Failure> {
    let base_url = api
        .base_url
        .clone()
        .or_else(|| std::env::var("PEAR_BASE_URL").ok())
        .unwrap_or_else(|| pear_auth::DEFAULT_BASE_URL.to_owned());
    let mut builder = PearClient::builder().base_url(base_url);
    if let Some(opts) = opts {
        builder = builder
            .client_id(&opts.client_id)
            .expected_domain(domain(opts)?);
    }
    if let Some(chain_id) = login_chain_id {
        builder = builder.login_chain_id(chain_id);
    }
    builder.build().map_err(|e| Failure::new(e.to_string()))
}

/// The domain a login message must carry: live Pear's, with the flags' changes.
fn domain(opts: &PearMessageOpts) -> Result<PearDomain, Failure> {
    let mut domain = PearDomain::default();
    if let Some(chain_id) = opts.domain_chain_id {
        domain = domain.with_chain_id(chain_id);
    }
    if let Some(contract) = &opts.domain_verifying_contract {
        let contract: EvmAddress = contract
            .parse()
            .map_err(|e| Failure::usage(format!("--domain-verifying-contract: {e}")))?;
        domain = domain.with_verifying_contract(contract);
    }
    if let Some(version) = &opts.domain_version {
        domain = domain.with_version(version);
    }
    Ok(domain)
}

fn parse_address(flag: &str, text: &str) -> Result<EvmAddress, Failure> {
    text.parse()
        .map_err(|e| Failure::usage(format!("{flag}: {e}")))
}

fn failed(what: &str) -> impl Fn(PearError) -> Failure + '_ {
    move |e| Failure::new(format!("{what} failed: {e}"))
}

pub(crate) fn run(command: PearCommand) -> Result<ExitCode, Failure> {
    let rt = runtime()?;
    match command {
        PearCommand::Message(args) => rt.block_on(async {
            let address = parse_address("--address", &args.address)?;
            let message = client(&args.api, Some(&args.opts))?
                .eip712_message(&address)
                .await
                .map_err(failed("fetching the login message"))?;
            print_json(&message.to_json())
        }),
        PearCommand::Login(args) => rt.block_on(login(&args)),
        PearCommand::Token(args) => rt.block_on(token(&args)),
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
                .map(|k| {
                    serde_json::json!({
                        "id": k.id,
                        "name": k.name,
                        "isActive": k.is_active,
                        "lastUsedAt": k.last_used_at,
                        "createdAt": k.created_at,
                    })
                })
                .collect();
            print_json(&list)
        }),
    }?;
    Ok(ExitCode::SUCCESS)
}

async fn login(args: &PearLoginArgs) -> Result<(), Failure> {
    let pear = client_with(&args.api, Some(&args.opts), args.login_chain_id)?;
    let address = args
        .address
        .as_deref()
        .map(|a| parse_address("--address", a))
        .transpose()?;
    // Checked here: clap counts a flag's default (false) as given for `requires`.
    if args.save && !args.browser {
        return Err(Failure::usage("--save goes with --browser".to_owned()));
    }
    if args.create_api_key.is_some() && !args.browser {
        return Err(Failure::usage(
            "--create-api-key goes with --browser".to_owned(),
        ));
    }
    if !args.save && (args.store.store.is_some() || args.store.store_password_env.is_some()) {
        return Err(Failure::usage(
            "--store and --store-password-env go with --browser --save".to_owned(),
        ));
    }
    let tokens = if args.browser {
        let (signed_by, tokens) = super::browser::pear_login(&pear).await?;
        if let Some(name) = &args.create_api_key {
            return create_api_key(&pear, &tokens, name).await;
        }
        if args.save {
            return super::saved::pear_save(&pear, &args.store, signed_by, tokens).await;
        }
        tokens
    } else if let Some(var) = &args.private_key_env {
        let signer = eth_key(Some(var), None)?;
        pear.login_eip712(&signer).await.map_err(failed("login"))?
    } else if let Some(signer) = keystore_key(
        args.keystore.as_deref(),
        args.account.as_deref(),
        &args.password,
    )? {
        pear.login_eip712(&signer).await.map_err(failed("login"))?
    } else if let (Some(var), Some(file)) = (&args.signature_env, &args.message) {
        let text = read_input(file)?;
        let signed_for = message_address(&text)?;
        if address.is_some_and(|a| a != signed_for) {
            return Err(Failure::usage(format!(
                "--address is not the address in the message ({signed_for})"
            )));
        }
        let message = pear
            .login_message_from_json(&signed_for, &text)
            .map_err(failed("checking the message"))?;
        let signature: EthSignature = from_env(var)?
            .trim()
            .parse()
            .map_err(|e| Failure::usage(format!("the signature in the variable: {e}")))?;
        pear.login_eip712_signed(&signed_for, &message, &signature)
            .await
            .map_err(failed("login"))?
    } else if let (Some(var), Some(address)) = (&args.api_key_env, address) {
        let key = ApiKey::new(from_env(var)?.as_str());
        pear.login_api_key(&address, &key)
            .await
            .map_err(failed("login"))?
    } else if let (Some(var), Some(app_id), Some(address)) =
        (&args.privy_token_env, &args.privy_app_id, address)
    {
        let token = PrivyAccessToken::new(from_env(var)?.as_str());
        pear.login_privy(&address, app_id, &token)
            .await
            .map_err(failed("login"))?
    } else {
        return Err(Failure::usage(
            "give --private-key-env VAR, --keystore FILE, --account NAME, \
             --signature-env VAR with --message FILE, \
             --api-key-env VAR with --address, or --privy-token-env VAR with --privy-app-id and --address"
                .to_owned(),
        ));
    };
    print_tokens(&tokens)
}

/// `--create-api-key NAME`: mints a key for the account just logged in and prints it
/// with the address a bot logs in with (`--api-key-env VAR --address ADDRESS`).
async fn create_api_key(pear: &PearClient, tokens: &PearTokens, name: &str) -> Result<(), Failure> {
    let created = pear
        .create_api_key(&tokens.access_token, Some(name))
        .await
        .map_err(failed("creating the API key"))?;
    print_json(&serde_json::json!({
        "apiKey": created.api_key.expose_secret(),
        "id": created.id,
        "name": created.name,
        "address": tokens.address.map(|a| a.to_lowercase_hex()),
    }))
}

/// The `message.address` of a login message file (checked again with the rest).
fn message_address(text: &str) -> Result<EvmAddress, Failure> {
    let document: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| Failure::usage(format!("the message file is not JSON: {e}")))?;
    document
        .pointer("/message/address")
        .and_then(serde_json::Value::as_str)
        .ok_or_else(|| Failure::usage("the message file has no message.address".to_owned()))
        .and_then(|a| parse_address("message.address", a))
}

/// How long `pear token` waits for a login when the keystore's password is asked on the
/// terminal during it (the session's default, 30 s, is short for a person).
const PROMPT_WAIT: Duration = Duration::from_secs(300);

/// `authctl pear token`: a session over the shared store prints a live token. A keystore
/// that names its address is opened only if a login must sign.
async fn token(args: &PearTokenArgs) -> Result<(), Failure> {
    let pear = client(&args.api, Some(&args.opts))?;
    let (wallet, keystore): (Option<Arc<dyn EthSigner>>, _) = match &args.private_key_env {
        Some(var) => (Some(Arc::new(eth_key(Some(var), None)?)), None),
        None => match keystore_file(
            args.keystore.as_deref(),
            args.account.as_deref(),
            &args.password,
        )? {
            Some((path, json)) => {
                check_password_source(&args.password)?;
                let (signer, keystore) =
                    KeystoreSigner::new(&path, json, &args.password)?.into_parts();
                (Some(signer), keystore)
            }
            None => (None, None),
        },
    };
    let prompts = keystore.is_some()
        && args.password.password_env.is_none()
        && args.password.password_file.is_none();
    let authenticator = match (wallet, &args.api_key_env, &args.address) {
        (Some(signer), _, _) => PearAuthenticator::wallet(pear, signer),
        (None, Some(var), Some(address)) => PearAuthenticator::api_key(
            pear,
            parse_address("--address", address)?,
            ApiKey::new(from_env(var)?.as_str()),
        ),
        (None, None, Some(address)) => {
            let address = parse_address("--address", address)?;
            return super::saved::pear_token(pear, &args.store, address).await;
        }
        _ => {
            return Err(Failure::usage(
                "give --private-key-env VAR, --keystore FILE, --account NAME, \
                 --api-key-env VAR with --address, or --address alone (a saved browser login)"
                    .to_owned(),
            ));
        }
    };
    let authenticator = UnlockFirst::new(authenticator, keystore);
    let identity = authenticator.identity();
    let store = store::open(&args.store, &identity)?
        .checked(&identity)
        .await?;
    let mut session = Session::builder(authenticator).token_store(store);
    if prompts {
        session = session.wait_timeout(PROMPT_WAIT);
    }
    store::print_token(session.build()).await
}
