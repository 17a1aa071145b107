//! The token store of `authctl … token`: a file (default: under the user's state
//! directory, named by identity) or Redis, shared by every process that uses it, and
//! checked to hold the token before a session runs.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use auth_session::{FileStore, Identity, Session, TokenStore};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::{Failure, print_line};
use crate::cli::StoreArgs;
use crate::secrets::from_env;

mod check;
mod save;
mod spec;

pub(crate) use save::{LoginTokens, save_login};

use spec::StoreSpec;

/// A token store, opened but not yet used.
#[derive(Debug)]
pub(crate) struct OpenedStore {
    store: Arc<dyn TokenStore>,
    /// The same store, for a file store.
    file: Option<FileStore>,
}

impl OpenedStore {
    /// Fails, with one line saying what is wrong and what to do, if the store cannot
    /// hold the tokens of `identity` (see `check.rs`); returns the store for the session.
    pub(crate) async fn checked(self, identity: &Identity) -> Result<Arc<dyn TokenStore>, Failure> {
        check::usable(self.store.as_ref(), self.file.as_ref(), identity).await?;
        Ok(self.store)
    }
}

/// The store `args` name for a session of `identity`.
pub(crate) fn open(args: &StoreArgs, identity: &Identity) -> Result<OpenedStore, Failure> {
    let given = args.store.as_deref().map(spec::parse).transpose()?;
    match given {
        Some(url @ StoreSpec::Redis { .. }) => Ok(OpenedStore {
            store: redis(&url, args.store_password_env.as_deref(), identity)?,
            file: None,
        }),
        Some(StoreSpec::File(path)) => {
            if args.store_password_env.is_some() {
                return Err(Failure::usage(
                    "--store-password-env is for a redis:// store".to_owned(),
                ));
            }
            Ok(file(path.to_owned()))
        }
        None => Ok(file(default_path(identity)?)),
    }
}

fn file(path: PathBuf) -> OpenedStore {
    let store = FileStore::new(path);
    OpenedStore {
        store: Arc::new(store.clone()),
        file: Some(store),
    }
}

/// A Redis store at `spec` (a password from the variable `password_env`, never from the
/// command line), keyed by identity.
fn redis(
    spec: &StoreSpec<'_>,
    password_env: Option<&str>,
    identity: &Identity,
) -> Result<Arc<dyn TokenStore>, Failure> {
    let url = redis_url(spec, password_env)?;
    let key = format!(
        "{REDIS_PREFIX}{}",
        file_name(identity).trim_end_matches(".json")
    );
    let store = auth_session::RedisStore::new(&url, key)
        .map_err(|e| Failure::usage(format!("--store: {e}")))?;
    Ok(Arc::new(store))
}

/// The prefix of every Redis key `authctl` writes; the rest is the token file's name.
pub(crate) const REDIS_PREFIX: &str = "authctl:";

/// Where `--store` (and `--store-password-env`) say a farm's tokens go.
pub(crate) enum FarmStore {
    /// One file per wallet in this directory.
    Directory(PathBuf),
    /// One key per wallet on this Redis server (the URL may hold the password).
    Redis(zeroize::Zeroizing<String>),
}

/// Reads `--store` for many wallets: a directory (default: the state directory, where
/// `… token` keeps its files) or a Redis URL.
pub(crate) fn farm(store: Option<&str>, password_env: Option<&str>) -> Result<FarmStore, Failure> {
    match store.map(spec::parse).transpose()? {
        Some(url @ StoreSpec::Redis { .. }) => Ok(FarmStore::Redis(redis_url(&url, password_env)?)),
        Some(StoreSpec::File(_)) | None if password_env.is_some() => Err(Failure::usage(
            "--store-password-env is for a redis:// store".to_owned(),
        )),
        Some(StoreSpec::File(dir)) => Ok(FarmStore::Directory(dir.to_owned())),
        None => Ok(FarmStore::Directory(state_dir()?)),
    }
}

/// The URL of a Redis store, the password (from the variable `password_env`) put in,
/// percent-encoded; a URL that holds a user or password itself is refused unechoed.
fn redis_url(
    spec: &StoreSpec<'_>,
    password_env: Option<&str>,
) -> Result<zeroize::Zeroizing<String>, Failure> {
    let StoreSpec::Redis { scheme, rest } = *spec else {
        return Err(Failure::usage("--store: not a redis:// URL".to_owned()));
    };
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.contains('@') {
        return Err(Failure::usage(
            "--store: put no user or password in the URL (it would show in the process list); \
             name a variable holding the password with --store-password-env"
                .to_owned(),
        ));
    }
    Ok(match password_env {
        Some(var) => {
            let password = from_env(var)?;
            let encoded = percent_encode(&password);
            zeroize::Zeroizing::new(format!("{scheme}://:{}@{rest}", encoded.as_str()))
        }
        None => zeroize::Zeroizing::new(spec.url().unwrap_or_default()),
    })
}

/// What a password in a URL keeps as it is: RFC 3986's unreserved characters (letters,
/// digits, `-`, `.`, `_`, `~`). Every other byte is written `%XX`.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes everything but unreserved characters, for a password in a URL, into a
/// buffer wiped on drop and sized up front (three bytes out per byte in at most), so no
/// reallocation leaves a copy behind.
fn percent_encode(text: &str) -> zeroize::Zeroizing<String> {
    let mut out = zeroize::Zeroizing::new(String::with_capacity(text.len() * 3));
    out.extend(utf8_percent_encode(text, UNRESERVED));
    out
}

/// `$XDG_STATE_HOME/authctl` or `~/.local/state/authctl`, created private.
pub(crate) fn state_dir() -> Result<PathBuf, Failure> {
    let base = match std::env::var_os("XDG_STATE_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => std::env::var_os("HOME")
            .filter(|v| !v.is_empty())
            .map(|home| PathBuf::from(home).join(".local/state"))
            .ok_or_else(|| {
                Failure::usage(
                    "neither XDG_STATE_HOME nor HOME is set: pass --store PATH".to_owned(),
                )
            })?,
    };
    let dir = base.join("authctl");
    create_private_dir(&dir)?;
    Ok(dir)
}

fn create_private_dir(dir: &Path) -> Result<(), Failure> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(|e| Failure::new(format!("cannot create {}: {e}", dir.display())))
}

/// The default token file of `identity`: one per provider, server, account and client id.
pub(crate) fn default_path(identity: &Identity) -> Result<PathBuf, Failure> {
    Ok(state_dir()?.join(file_name(identity)))
}

/// `{provider}_{server}_{account}_{client id}.json`, with anything but letters, digits,
/// `.` and `-` replaced by `_` (the names a session pool's directory store gives).
fn file_name(identity: &Identity) -> String {
    auth_pool::store_name(identity)
}

/// Prints a live token of `session` and lets a renewal it started finish first.
pub(crate) async fn print_token<A: auth_session::Authenticator>(
    session: Session<A>,
) -> Result<(), Failure> {
    print_token_or(session, |_| None).await
}

/// [`print_token`], adding what `hint` says about the failure (what to do next), if it
/// says anything.
pub(crate) async fn print_token_or<A: auth_session::Authenticator>(
    session: Session<A>,
    hint: impl Fn(&auth_session::SessionError<A::Error>) -> Option<&'static str>,
) -> Result<(), Failure> {
    let token = session.access_token().await.map_err(|e| match hint(&e) {
        Some(hint) => Failure::new(format!("no token: {e}; {hint}")),
        None => Failure::new(format!("no token: {e}")),
    })?;
    session.wait_for_renewal().await;
    print_line(token.expose_secret())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_say_whose_tokens_and_stay_in_the_directory() {
        let identity = Identity::new("pear", "https://hl-v2.pearprotocol.io")
            .with_account("0xabc")
            .with_client_id("APITRADER");
        assert_eq!(
            file_name(&identity),
            "pear_hl-v2.pearprotocol.io_0xabc_APITRADER.json"
        );
        let hostile =
            Identity::new("pump.fun", "http://127.0.0.1:8080/../../etc").with_account("../../x");
        let name = file_name(&hostile);
        assert!(!name.contains('/'), "{name}");
        assert_eq!(name, "pump.fun_127.0.0.1_8080_.._.._etc_.._.._x_-.json");
    }

    #[test]
    fn passwords_are_percent_encoded() {
        assert_eq!(
            percent_encode("p@ss:w/rd ~ok").as_str(),
            "p%40ss%3Aw%2Frd%20~ok"
        );
        // Unreserved characters stay; every other byte, of ASCII or of UTF-8, is %XX.
        let tricky = "AZaz09-._~ @:/%20+&=?#!*'();$,[]\t\n\x7f\0é日本😀";
        assert_eq!(
            percent_encode(tricky).as_str(),
            "AZaz09-._~%20%40%3A%2F%2520%2B%26%3D%3F%23%21%2A%27%28%29%3B%24%2C%5B%5D\
             %09%0A%7F%00%C3%A9%E6%97%A5%E6%9C%AC%F0%9F%98%80"
        );
        assert_eq!(percent_encode("").as_str(), "");
    }
}
