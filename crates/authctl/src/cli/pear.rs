//! Pear Protocol's commands: login message, login, refresh, logout, API keys, token.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::keys::PasswordArgs;
use super::store::StoreArgs;

/// The Pear API's location.
#[derive(Debug, Args)]
pub(crate) struct PearApi {
    /// Base URL of Pear's API [env: PEAR_BASE_URL; default: https://hl-v2.pearprotocol.io].
    /// http:// is allowed only to loopback.
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum PearCommand {
    /// Fetch and check the login message for an address; prints it as eth_signTypedData_v4
    /// JSON (with Pear's top-level timestamp), for signing offline or on a hardware wallet.
    ///
    /// Sign it within the timestamp window (5 minutes) and log in with
    /// `authctl pear login --message FILE --signature-env VAR`.
    Message(PearMessageArgs),
    /// Log in with a wallet key (EIP-712), a signature made elsewhere, an API key or a
    /// Privy access token; prints the tokens as JSON.
    ///
    /// The EIP-712 message from the server is checked (primary type, domain, action,
    /// address, client id, timestamp) before anything is signed.
    Login(PearLoginArgs),
    /// Trade a refresh token for a new pair (the old one dies); prints the pair as JSON.
    Refresh {
        #[command(flatten)]
        api: PearApi,
        /// Name of the environment variable holding the refresh token.
        #[arg(long, value_name = "VAR")]
        refresh_token_env: String,
    },
    /// End the session of a refresh token on the server.
    Logout {
        #[command(flatten)]
        api: PearApi,
        /// Name of the environment variable holding the refresh token.
        #[arg(long, value_name = "VAR")]
        refresh_token_env: String,
        /// Name of the environment variable holding the access token (accepted for
        /// symmetry; Pear's logout needs only the refresh token).
        #[arg(long, value_name = "VAR")]
        access_token_env: Option<String>,
    },
    /// Create or list API keys.
    #[command(subcommand, name = "api-key")]
    ApiKey(ApiKeyCommand),
    /// Print a live access token, one line, for scripts:
    /// `curl -H "Authorization: Bearer $(authctl pear token --private-key-env PK)"`.
    ///
    /// The session lives in a token store shared by every process that uses it: a stored
    /// token still good is printed without a network call; a token due for renewal is
    /// renewed once for all of them (under the store's lock), never twice. With --address
    /// alone (no key), the tokens saved by `pear login --browser --save` are served and
    /// refreshed; when Pear wants a new sign-in, the command fails and says so.
    Token(PearTokenArgs),
}

#[derive(Debug, Args)]
// Not required: --address alone serves a saved browser login (checked when run).
#[command(group(clap::ArgGroup::new("key").args(["private_key_env", "keystore", "account", "api_key_env"])))]
pub(crate) struct PearTokenArgs {
    #[command(flatten)]
    pub(crate) api: PearApi,
    #[command(flatten)]
    pub(crate) opts: PearMessageOpts,
    #[command(flatten)]
    pub(crate) store: StoreArgs,
    /// Name of the environment variable holding the wallet's private key (hex).
    #[arg(long, value_name = "VAR", conflicts_with = "address")]
    pub(crate) private_key_env: Option<String>,
    /// Web3 Secret Storage keystore file holding the wallet's key (geth, foundry,
    /// eth-account); the password comes from --password-env, --password-file or a prompt.
    /// The account is read from the file's clear `address` field, and the file is
    /// decrypted (the password read or asked) only when a login must sign: a good stored
    /// token costs no password and no scrypt. A key that is not that address's is refused
    /// before any request. A file without an `address` field is decrypted on every call
    /// (the only way to learn its account).
    #[arg(long, value_name = "FILE", conflicts_with = "address")]
    pub(crate) keystore: Option<PathBuf>,
    /// A foundry keystore by name: ~/.foundry/keystores/NAME (password and opening as for
    /// --keystore).
    #[arg(long, value_name = "NAME", conflicts_with = "address")]
    pub(crate) account: Option<String>,
    #[command(flatten)]
    pub(crate) password: PasswordArgs,
    /// Name of the environment variable holding an API key (use with --address).
    #[arg(long, value_name = "VAR", requires = "address")]
    pub(crate) api_key_env: Option<String>,
    /// The account the API key belongs to; alone (no key), the account whose saved
    /// browser login (`pear login --browser --save`) is served and refreshed, never
    /// logged in again.
    #[arg(long, value_name = "0x…")]
    pub(crate) address: Option<String>,
}

/// What a Pear login message must look like, and what goes with it.
#[derive(Debug, Args)]
pub(crate) struct PearMessageOpts {
    /// The client id sent to Pear.
    #[arg(long, value_name = "ID", default_value = "APITRADER")]
    pub(crate) client_id: String,
    /// The EIP-712 domain chainId the login message must carry [default: 42161, live Pear's].
    #[arg(long, value_name = "N")]
    pub(crate) domain_chain_id: Option<u64>,
    /// The domain verifyingContract the login message must carry [default: 0x…01, live Pear's].
    #[arg(long, value_name = "0x…")]
    pub(crate) domain_verifying_contract: Option<String>,
    /// The domain version the login message must carry [default: 1].
    #[arg(long, value_name = "V")]
    pub(crate) domain_version: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct PearMessageArgs {
    #[command(flatten)]
    pub(crate) api: PearApi,
    #[command(flatten)]
    pub(crate) opts: PearMessageOpts,
    /// The wallet address that will sign.
    #[arg(long, value_name = "0x…")]
    pub(crate) address: String,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("method").required(true).args(["private_key_env", "keystore", "account", "signature_env", "api_key_env", "privy_token_env", "browser"])))]
pub(crate) struct PearLoginArgs {
    #[command(flatten)]
    pub(crate) api: PearApi,
    #[command(flatten)]
    pub(crate) opts: PearMessageOpts,
    /// Send this chain id as details.chainId (Pear's optional field) on EIP-712 logins.
    #[arg(long, value_name = "N")]
    pub(crate) login_chain_id: Option<u64>,
    /// Name of the environment variable holding the wallet's private key (hex).
    #[arg(long, value_name = "VAR", conflicts_with = "address")]
    pub(crate) private_key_env: Option<String>,
    /// Web3 Secret Storage keystore file holding the wallet's key (geth, foundry,
    /// eth-account); the password comes from --password-env, --password-file or a prompt.
    #[arg(long, value_name = "FILE", conflicts_with = "address")]
    pub(crate) keystore: Option<PathBuf>,
    /// A foundry keystore by name: ~/.foundry/keystores/NAME (password as for --keystore).
    #[arg(long, value_name = "NAME", conflicts_with = "address")]
    pub(crate) account: Option<String>,
    #[command(flatten)]
    pub(crate) password: PasswordArgs,
    /// Name of the environment variable holding a signature (0x + 130 hex) of the login
    /// message in --message, made elsewhere; checked to recover to the message's address.
    #[arg(long, value_name = "VAR", requires = "message")]
    pub(crate) signature_env: Option<String>,
    /// The login message that was signed, as `authctl pear message` printed it.
    #[arg(long, value_name = "FILE", requires = "signature_env")]
    pub(crate) message: Option<PathBuf>,
    /// Name of the environment variable holding an API key (use with --address).
    #[arg(long, value_name = "VAR", requires = "address")]
    pub(crate) api_key_env: Option<String>,
    /// Name of the environment variable holding a Privy access token (use with
    /// --privy-app-id and --address).
    #[arg(long, value_name = "VAR", requires_all = ["privy_app_id", "address"])]
    pub(crate) privy_token_env: Option<String>,
    /// The Privy app id the access token was issued for.
    #[arg(long, value_name = "ID", requires = "privy_token_env")]
    pub(crate) privy_app_id: Option<String>,
    /// The account to log in (API key, Privy; optional with --signature-env, where it
    /// must match the message).
    #[arg(long, value_name = "0x…")]
    pub(crate) address: Option<String>,
    /// Sign in a browser wallet (MetaMask, Rabby, …): serves a one-time page on
    /// 127.0.0.1, prints its URL, waits for the wallet's signature; the key stays there.
    #[arg(long, conflicts_with = "address")]
    pub(crate) browser: bool,
    /// With --browser: after the login, create an API key named NAME for the account and
    /// print it as JSON (shown once) instead of the tokens; a bot then logs in with
    /// --api-key-env and --address.
    #[arg(long, value_name = "NAME", requires = "browser")]
    pub(crate) create_api_key: Option<String>,
    /// With --browser: write the tokens into the token store (the entry `pear token`
    /// uses for this account and client id, taken under the store's lock) and print what
    /// was saved, not the tokens; `pear token --address ADDRESS` then serves and refreshes
    /// them with no key.
    #[arg(long, requires = "browser", conflicts_with = "create_api_key")]
    pub(crate) save: bool,
    #[command(flatten)]
    pub(crate) store: StoreArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ApiKeyCommand {
    /// Create an API key for the logged-in account; prints it as JSON (shown once).
    Create {
        #[command(flatten)]
        api: PearApi,
        /// A name for the key.
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// Name of the environment variable holding the access token.
        #[arg(long, value_name = "VAR")]
        access_token_env: String,
    },
    /// List the account's API keys (without the keys) as JSON.
    List {
        #[command(flatten)]
        api: PearApi,
        /// Name of the environment variable holding the access token.
        #[arg(long, value_name = "VAR")]
        access_token_env: String,
    },
}
