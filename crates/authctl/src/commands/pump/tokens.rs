//! `authctl pump tokens`: a live token for every wallet of a directory of keypairs, through
//! one session pool (logins bounded, tokens kept per wallet in a shared store).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use auth_pool::{SessionPool, StoreFactory};
use auth_session::RedisRateLimiter;
use auth_signing::solana::SolanaKeypair;
use pump_auth::{PumpAuthenticator, Quota, RateBudget};

use super::store::{self, FarmStore, REDIS_PREFIX};
use super::{Failure, base_url, client_paced, print_line};
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

/// Added to the window of a pace shared through Redis before it is divided among its
/// requests: a request may reach the server up to this much after its slot, and no
/// process sees the others' requests in flight.
const SHARED_MARGIN: Duration = Duration::from_millis(250);

/// The label of this machine's egress in a shared pace (every process of a fleet behind
/// one IP uses it, so they share one count per host).
const EGRESS: &str = "authctl";

/// The pace of `--rate-limit` (or pump.fun's known limit), shared through the store's
/// Redis if it is one; `None` to leave the client's default (none for loopback).
fn budget(args: &PumpTokensArgs, store: &FarmStore) -> Result<Option<RateBudget>, Failure> {
    let loopback = is_loopback(&base_url(&args.api));
    if args.rate_limit.is_none() && (loopback || matches!(store, FarmStore::Directory(_))) {
        return Ok(None);
    }
    let mut builder = RateBudget::builder(EGRESS);
    if let Some(n) = args.rate_limit {
        builder = builder.quota(Quota::per_second(n));
    }
    if let FarmStore::Redis(url) = store {
        let limiter = RedisRateLimiter::new(url, format!("{REDIS_PREFIX}budget"))
            .map_err(|e| Failure::new(format!("--store: {e}")))?;
        builder = builder.shared(Arc::new(limiter)).margin(SHARED_MARGIN);
    }
    Ok(Some(builder.build()))
}

/// Whether `url`'s host is loopback (a sandbox, a test server).
fn is_loopback(url: &str) -> bool {
    let Ok(uri) = url.parse::<http::Uri>() else {
        return false;
    };
    let host = uri.host().unwrap_or_default();
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Runs `authctl pump tokens`: one `ADDRESS TOKEN` line per wallet on standard output, in
/// the order of the keypair files; a wallet without a token gets a line on standard error
/// and the exit status is 1.
pub(super) async fn run(args: PumpTokensArgs) -> Result<ExitCode, Failure> {
    let wallets = keypairs(&args.keypairs)?;
    let store = store::farm(args.store.as_deref(), args.store_password_env.as_deref())?;
    let client = client_paced(&args.api, args.format, budget(&args, &store)?)?;
    let stores = match store {
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
