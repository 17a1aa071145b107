//! `authctl pump tokens`: a live token for every wallet of a directory of keypairs, through
//! one session pool (logins bounded, tokens kept per wallet in a shared store).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use auth_pool::{SessionPool, StoreFactory};
use auth_signing::solana::SolanaKeypair;
use pump_auth::PumpAuthenticator;

use super::store::{self, FarmStore, REDIS_PREFIX};
use super::{Failure, client, print_line};
use crate::cli::PumpTokensArgs;
use crate::secrets::solana_key;

/// At most this many keypair files in one directory (a typo'd `--keypairs /` should not
/// read a whole disk).
const MAX_WALLETS: usize = 10_000;

/// The `*.json` files of `dir`, by name.
fn keypair_files(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Failure::usage(format!("--keypairs {}: {e}", dir.display())))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| Failure::new(format!("--keypairs {}: {e}", dir.display())))?
            .path();
        if path.extension().is_some_and(|ext| ext == "json") && path.is_file() {
            files.push(path);
        }
        if files.len() > MAX_WALLETS {
            return Err(Failure::usage(format!(
                "--keypairs {}: more than {MAX_WALLETS} keypair files; split the directory",
                dir.display()
            )));
        }
    }
    if files.is_empty() {
        return Err(Failure::usage(format!(
            "--keypairs {}: no *.json keypair files (Solana CLI format)",
            dir.display()
        )));
    }
    files.sort();
    Ok(files)
}

/// Every wallet's keypair, read before any login: a bad file stops the command before
/// anything is sent.
fn keypairs(dir: &Path) -> Result<Vec<Arc<SolanaKeypair>>, Failure> {
    keypair_files(dir)?
        .iter()
        .map(|file| solana_key(None, Some(file)).map(Arc::new))
        .collect()
}

/// Runs `authctl pump tokens`: one `ADDRESS TOKEN` line per wallet on standard output, in
/// the order of the keypair files; a wallet without a token gets a line on standard error
/// and the exit status is 1.
pub(super) async fn run(args: PumpTokensArgs) -> Result<ExitCode, Failure> {
    let wallets = keypairs(&args.keypairs)?;
    let client = client(&args.api, args.format)?;
    let stores = match store::farm(args.store.as_deref(), args.store_password_env.as_deref())? {
        FarmStore::Directory(dir) => StoreFactory::directory(dir),
        FarmStore::Redis(url) => StoreFactory::redis(url.as_str(), REDIS_PREFIX),
    };
    let keys = Arc::new(wallets);
    let factory_keys = Arc::clone(&keys);
    let pool = SessionPool::builder(move |index: &usize| {
        let key = factory_keys.get(*index).cloned().ok_or("no such wallet")?;
        // A one-shot process: the old token is not logged out behind the others' backs.
        Ok::<_, &'static str>(PumpAuthenticator::new(client.clone(), key).keep_old_tokens())
    })
    .stores(stores)
    .max_in_flight(args.max_in_flight as usize)
    .idle_timeout(None)
    .logout_on_evict(false)
    .build();

    let mut tasks = tokio::task::JoinSet::new();
    for index in 0..keys.len() {
        let pool = pool.clone();
        tasks.spawn(async move {
            let token = pool.access_token(&index).await;
            if token.is_ok() {
                // A renewal this token started finishes before the process ends.
                if let Ok(session) = pool.session(&index).await {
                    session.wait_for_renewal().await;
                }
            }
            (index, token.map_err(|e| e.to_string()))
        });
    }
    let mut results = Vec::with_capacity(keys.len());
    while let Some(joined) = tasks.join_next().await {
        let (index, token) =
            joined.map_err(|e| Failure::new(format!("a wallet's task failed: {e}")))?;
        results.push((index, token));
    }
    results.sort_by_key(|(index, _)| *index);
    let mut failed = 0usize;
    for (index, token) in results {
        let address = keys.get(index).map(|key| key.pubkey().to_string());
        let address = address.as_deref().unwrap_or("?");
        match token {
            Ok(token) => print_line(format_args!("{address} {}", token.expose_secret()))?,
            Err(error) => {
                failed += 1;
                eprintln!("authctl: {address}: no token: {error}");
            }
        }
    }
    // Nothing is logged out: the tokens stay in their stores for the next process.
    drop(pool);
    if failed > 0 {
        eprintln!("authctl: {failed} of {} wallets have no token", keys.len());
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
