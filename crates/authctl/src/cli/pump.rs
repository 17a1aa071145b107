//! pump.fun's commands: message, login, logout, profile, token, tokens.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::keys::SolanaKeyArgs;
use super::store::StoreArgs;

/// The pump.fun API's location.
#[derive(Debug, Args)]
pub(crate) struct PumpApi {
    /// Base URL of pump.fun's API [env: PUMP_BASE_URL; default:
    /// https://frontend-api-v3.pump.fun]. http:// is allowed only to loopback.
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: Option<String>,
    /// The Origin header every request carries.
    #[arg(long, value_name = "URL", default_value = "https://pump.fun")]
    pub(crate) origin: String,
}

#[derive(Debug, Subcommand)]
pub(crate) enum PumpCommand {
    /// Print the text to sign now (`Sign in to pump.fun: <unix ms>`), for signing
    /// elsewhere; then `authctl pump login --message FILE --signature-env VAR --wallet KEY`.
    Message,
    /// Sign in with a Solana keypair (or a signature made elsewhere); prints
    /// {"token","expiresIn","user"} as JSON.
    Login(PumpLoginArgs),
    /// Log out: the token is dead afterwards.
    Logout {
        #[command(flatten)]
        api: PumpApi,
        /// Name of the environment variable holding the token.
        #[arg(long, value_name = "VAR")]
        token_env: String,
    },
    /// Print the profile of the token's user as JSON.
    Profile {
        #[command(flatten)]
        api: PumpApi,
        /// Name of the environment variable holding the token.
        #[arg(long, value_name = "VAR")]
        token_env: String,
    },
    /// Print a live token, one line, for scripts (see `authctl pear token --help`).
    Token(PumpTokenArgs),
    /// Print a live token for every keypair in a directory, one `ADDRESS TOKEN` line per
    /// wallet (a wallet farm): logins run a few at a time, and the tokens are kept per
    /// wallet in the same store files as `pump token` (or one Redis), so many processes
    /// serving the same wallets log each one in once.
    Tokens(PumpTokensArgs),
}

#[derive(Debug, Args)]
pub(crate) struct PumpTokensArgs {
    #[command(flatten)]
    pub(crate) api: PumpApi,
    /// Directory of Solana CLI keypair files (`*.json`, a JSON array of 64 bytes each);
    /// every one is a wallet. Lines come out in the order of the file names.
    #[arg(long, value_name = "DIR")]
    pub(crate) keypairs: PathBuf,
    /// Where each wallet's tokens are kept: a directory (one locked file per wallet,
    /// named as `pump token` names its file) or a redis:// / rediss:// URL (one key per
    /// wallet, the keys `pump token` uses; password in --store-password-env).
    /// [default: the directory `pump token` uses, under $XDG_STATE_HOME/authctl]
    #[arg(long, value_name = "DIR|URL")]
    pub(crate) store: Option<String>,
    /// Name of the environment variable holding the Redis password, for a redis:// store.
    #[arg(long, value_name = "VAR")]
    pub(crate) store_password_env: Option<String>,
    /// The login request (as for `pump login`).
    #[arg(long, value_name = "FORMAT", default_value = "documented")]
    pub(crate) format: pump_auth::LoginFormat,
    /// At most this many logins at once.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=256))]
    pub(crate) max_in_flight: u32,
    /// At most N requests a second to pump.fun from this machine's address, paced before
    /// they are sent. With a redis:// --store the pace is shared through that Redis by
    /// every process using it (a fleet behind one IP stays under the limit together).
    /// [default: pump.fun's known limit, 1 a second; none for a loopback --base-url]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub(crate) rate_limit: Option<u32>,
}

#[derive(Debug, Args)]
pub(crate) struct PumpTokenArgs {
    #[command(flatten)]
    pub(crate) api: PumpApi,
    #[command(flatten)]
    pub(crate) store: StoreArgs,
    #[command(flatten)]
    pub(crate) sign_in: PumpSignInArgs,
    /// No key: serve the token `pump login --browser --save` kept for this wallet (base58
    /// public key) until it expires; then fail, saying to sign in again.
    #[arg(long, value_name = "KEY", conflicts_with_all = ["keypair", "keypair_env"])]
    pub(crate) wallet: Option<String>,
}

/// How a pump.fun login is made: the request's format and the Solana key that signs it,
/// by default the Solana CLI's (~/.config/solana/id.json).
#[derive(Debug, Args)]
#[command(
    mut_group("signing_key", |group| group.required(false)),
    mut_arg("keypair", |arg| arg.help("Solana CLI keypair file [default: ~/.config/solana/id.json]")),
)]
pub(crate) struct PumpSignInArgs {
    /// The login request: `documented` (the specification's {wallet, signature, message}),
    /// `cookie` ({address, signature, timestamp}, token in a cookie) or `token`
    /// (POST /auth/login/token).
    #[arg(long, value_name = "FORMAT", default_value = "documented")]
    pub(crate) format: pump_auth::LoginFormat,
    #[command(flatten)]
    pub(crate) key: SolanaKeyArgs,
}

#[derive(Debug, Args)]
pub(crate) struct PumpLoginArgs {
    #[command(flatten)]
    pub(crate) api: PumpApi,
    #[command(flatten)]
    pub(crate) sign_in: PumpSignInArgs,
    /// Name of the environment variable holding a base58 signature, made elsewhere, of the
    /// text in --message by --wallet; checked before it is sent.
    #[arg(long, value_name = "VAR", requires_all = ["message", "wallet"], conflicts_with_all = ["keypair", "keypair_env"])]
    pub(crate) signature_env: Option<String>,
    /// File holding the exact text that was signed (a final newline is not part of it).
    #[arg(long, value_name = "FILE", requires = "signature_env")]
    pub(crate) message: Option<PathBuf>,
    /// The wallet (base58 public key) that signed.
    #[arg(long, value_name = "KEY", requires = "signature_env")]
    pub(crate) wallet: Option<String>,
    /// Name of the environment variable holding the token held now, sent as
    /// `Authorization: Bearer` on the login as the specification shows.
    #[arg(long, value_name = "VAR")]
    pub(crate) token_env: Option<String>,
    /// Sign in a browser wallet (Phantom, …): serves a one-time page on 127.0.0.1, prints
    /// its URL, has the wallet sign pump.fun's sign-in text for the account it connects,
    /// and logs that account in; the key stays in the wallet.
    #[arg(long, conflicts_with_all = ["keypair", "keypair_env", "signature_env"])]
    pub(crate) browser: bool,
    /// With --browser: write the token into the token store (the entry `pump token` uses
    /// for this wallet, taken under the store's lock) and print what was saved, not the
    /// token; `pump token --wallet KEY` then serves it with no key until it expires.
    #[arg(long, requires = "browser")]
    pub(crate) save: bool,
    #[command(flatten)]
    pub(crate) store: StoreArgs,
}
