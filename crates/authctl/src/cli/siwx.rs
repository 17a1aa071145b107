//! `authctl siwe …` and `authctl siws …`: one grammar for both standards, over the key
//! arguments of each (an Ethereum key for SIWE, a Solana keypair for SIWS).

use std::path::PathBuf;

use clap::{Args, FromArgMatches, Subcommand, ValueEnum};

use super::store::StoreArgs;

/// A sign-in standard's commands; `K` is where its key comes from.
#[derive(Debug, Subcommand)]
pub(crate) enum SiwxCommand<K: Args + FromArgMatches> {
    /// Print the message text made from FIELDS.json (spruceid's field names: scheme,
    /// domain, address, statement, uri, version, chainId, nonce, issuedAt,
    /// expirationTime, notBefore, requestId, resources); exit 1 when they make no valid
    /// message.
    Message {
        /// The fields, as JSON (`-` for standard input).
        #[arg(value_name = "FIELDS.json")]
        fields: PathBuf,
    },
    /// Print the fields of the message in FILE as JSON; exit 1 with one line on stderr when
    /// the text is not a valid message. One final newline of the file is not part of it.
    Parse {
        /// The message text (`-` for standard input).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Check a signature of the message in FILE: exit 0 when it is valid (its address
    /// signed it, the time is inside its window, and the domain and nonce match when
    /// given), else exit 1 with the reason.
    Verify(VerifyArgs),
    /// Sign the message in FILE; prints the signature (SIWE: 0x + 65 bytes in hex, SIWS:
    /// base58). The key must be the message's address.
    Sign {
        #[command(flatten)]
        key: K,
        /// The message text (`-` for standard input).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Sign in to a backend; prints {"token","refreshToken","expiresIn"} as JSON (the
    /// token is the session cookie's value in cookie mode).
    #[command(mut_group("signing_key", |group| group.required(false)))]
    Login {
        #[command(flatten)]
        backend: BackendArgs,
        #[command(flatten)]
        key: K,
        /// Sign in a browser wallet (MetaMask, Rabby, Phantom, …) instead of with a key:
        /// serves a one-time page on 127.0.0.1, prints its URL, has the wallet sign the
        /// backend's message for the account it offers; the key stays in the wallet.
        #[arg(long, conflicts_with = "signing_key")]
        browser: bool,
    },
    /// Print a live session token (or cookie value), one line, for scripts, kept in a
    /// token store between runs (see `authctl pear token --help`).
    Token {
        #[command(flatten)]
        backend: BackendArgs,
        #[command(flatten)]
        store: StoreArgs,
        #[command(flatten)]
        key: K,
    },
}

/// `verify`'s arguments.
#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// The message text (`-` for standard input).
    #[arg(value_name = "FILE")]
    pub(crate) file: PathBuf,
    /// Name of the environment variable holding the signature.
    #[arg(long, value_name = "VAR")]
    pub(crate) signature_env: String,
    /// The time to check the message's window at (RFC 3339) [default: now].
    #[arg(long, value_name = "RFC3339")]
    pub(crate) time: Option<String>,
    /// The domain the message must name.
    #[arg(long, value_name = "DOMAIN")]
    pub(crate) domain: Option<String>,
    /// The nonce the message must carry.
    #[arg(long, value_name = "NONCE")]
    pub(crate) nonce: Option<String>,
}

/// The backend shapes most servers copy.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum PresetArg {
    /// spruceid's quickstart: GET /nonce (text), POST /verify {message, signature}, a
    /// connect.sid cookie.
    Quickstart,
    /// GET /auth/nonce {nonce}, POST /auth/login -> {accessToken, refreshToken,
    /// expiresIn}, POST /auth/refresh, POST /auth/logout.
    TokenApi,
}

/// Where a backend is and how it talks: a preset, and any changes to it.
#[derive(Debug, Args)]
pub(crate) struct BackendArgs {
    /// The backend's base URL. http:// is allowed only to loopback.
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: String,
    /// The backend's shape, changed by the flags below.
    #[arg(long, value_enum, default_value = "quickstart")]
    pub(crate) preset: PresetArg,
    /// The nonce's path (GET).
    #[arg(long, value_name = "PATH")]
    pub(crate) nonce_path: Option<String>,
    /// Read the nonce from this JSON field of its answer (a name or dotted path) instead
    /// of the whole text.
    #[arg(long, value_name = "FIELD")]
    pub(crate) nonce_field: Option<String>,
    /// The login path (POST).
    #[arg(long, value_name = "PATH")]
    pub(crate) login_path: Option<String>,
    /// The login body's field for the message [default: message].
    #[arg(long, value_name = "NAME")]
    pub(crate) message_field: Option<String>,
    /// The login body's field for the signature [default: signature].
    #[arg(long, value_name = "NAME")]
    pub(crate) signature_field: Option<String>,
    /// The session comes back as this cookie.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["token_field", "refresh_token_field", "expires_in_field"])]
    pub(crate) session_cookie: Option<String>,
    /// The session comes back as a token in this JSON field.
    #[arg(long, value_name = "FIELD")]
    pub(crate) token_field: Option<String>,
    /// The JSON field of the refresh token.
    #[arg(long, value_name = "FIELD")]
    pub(crate) refresh_token_field: Option<String>,
    /// The JSON field of the session's lifetime in seconds.
    #[arg(long, value_name = "FIELD")]
    pub(crate) expires_in_field: Option<String>,
    /// The refresh path (POST with the refresh token in the --refresh-field field).
    #[arg(long, value_name = "PATH")]
    pub(crate) refresh_path: Option<String>,
    /// The refresh body's field [default: refreshToken].
    #[arg(long, value_name = "NAME", requires = "refresh_path")]
    pub(crate) refresh_field: Option<String>,
    /// The logout path (POST).
    #[arg(long, value_name = "PATH")]
    pub(crate) logout_path: Option<String>,
    /// The domain the message names [default: the base URL's host and port].
    #[arg(long, value_name = "DOMAIN")]
    pub(crate) domain: Option<String>,
    /// The URI the message names [default: the base URL].
    #[arg(long, value_name = "URI")]
    pub(crate) uri: Option<String>,
    /// The message's statement (one line).
    #[arg(long, value_name = "TEXT")]
    pub(crate) statement: Option<String>,
    /// The chain id [default: 1 for SIWE, mainnet for SIWS].
    #[arg(long, value_name = "ID")]
    pub(crate) chain_id: Option<String>,
    /// A resource (URI) the sign-in grants; repeat for more.
    #[arg(long, value_name = "URI")]
    pub(crate) resource: Vec<String>,
}
