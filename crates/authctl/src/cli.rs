//! The command-line grammar.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Wallet signing for Pear Protocol (EIP-712, secp256k1) and pump.fun (ed25519).
///
/// Secrets are never taken as arguments: name an environment variable or a file.
#[derive(Debug, Parser)]
#[command(name = "authctl", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Hash data without signing it.
    #[command(subcommand)]
    Hash(HashCommand),
    /// Sign typed data or messages.
    #[command(subcommand)]
    Sign(SignCommand),
    /// Print the address (Ethereum) or public key (Solana) of a key.
    Address(AddressArgs),
    /// Pear Protocol: log in, refresh, log out, manage API keys.
    #[command(subcommand)]
    Pear(PearCommand),
    /// pump.fun: log in, read the profile, log out.
    #[command(subcommand)]
    Pump(PumpCommand),
    /// Run the local sandbox of both APIs until interrupted (Ctrl-C); prints its base URLs.
    Sandbox(SandboxArgs),
    /// Web3 Secret Storage keystores (geth's and foundry's encrypted key files).
    #[command(subcommand)]
    Keystore(KeystoreCommand),
}

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
    /// renewed once for all of them (under the store's lock), never twice.
    Token(PearTokenArgs),
}

/// Where a session's tokens are kept between processes.
#[derive(Debug, Args)]
pub(crate) struct StoreArgs {
    /// The token store: a file path (locked while renewing, so processes on one machine
    /// share it) or a redis:// / rediss:// URL, scheme in any case (machines share it; a
    /// password goes in an environment variable named by --store-password-env); another
    /// scheme:// is refused. A store that cannot hold the token (a missing or read-only
    /// directory, a directory, a lock file that cannot be made, Redis down or refusing
    /// writes) is an error before any login. [default: a file under
    /// $XDG_STATE_HOME/authctl (~/.local/state/authctl), named by provider, server,
    /// account and client id, mode 0600]
    #[arg(long, value_name = "PATH|URL")]
    pub(crate) store: Option<String>,
    /// Name of the environment variable holding the Redis password, for a redis:// store.
    #[arg(long, value_name = "VAR")]
    pub(crate) store_password_env: Option<String>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("key").required(true).args(["private_key_env", "keystore", "account", "api_key_env"])))]
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
    /// The account the API key belongs to.
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
#[command(group(clap::ArgGroup::new("method").required(true).args(["private_key_env", "keystore", "account", "signature_env", "api_key_env", "privy_token_env"])))]
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
}

#[derive(Debug, Args)]
pub(crate) struct PumpTokenArgs {
    #[command(flatten)]
    pub(crate) api: PumpApi,
    #[command(flatten)]
    pub(crate) store: StoreArgs,
    #[command(flatten)]
    pub(crate) sign_in: PumpSignInArgs,
}

/// How a pump.fun login is made: the request's format and the Solana key that signs it,
/// by default the Solana CLI's (~/.config/solana/id.json).
#[derive(Debug, Args)]
#[command(
    mut_group("SolanaKeyArgs", |group| group.required(false)),
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
}

#[derive(Debug, Args)]
pub(crate) struct SandboxArgs {
    /// Where the Pear API listens; the pump.fun API takes the next port (or a free one
    /// when the port is 0). Loopback only.
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:0")]
    pub(crate) addr: std::net::SocketAddr,
}

#[derive(Debug, Subcommand)]
pub(crate) enum HashCommand {
    /// Print the EIP-712 signing hash of each typed-data JSON file, one line per file.
    ///
    /// A file that fails is reported on stderr; the others are still hashed, and the exit
    /// status is 1.
    TypedData {
        /// Print {"domainSeparator","structHash","signingHash"} as one JSON object per line.
        #[arg(long)]
        json: bool,
        /// Files of eth_signTypedData_v4 JSON; `-` reads standard input.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum SignCommand {
    /// Sign EIP-712 typed data (eth_signTypedData_v4) with an Ethereum key; prints 0x + 130 hex.
    TypedData {
        #[command(flatten)]
        key: EthKeyArgs,
        /// File of eth_signTypedData_v4 JSON; `-` reads standard input.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Sign the UTF-8 bytes of a message with a Solana key; prints the base58 signature.
    Message {
        #[command(flatten)]
        key: SolanaKeyArgs,
        /// The message (put `--` before it if it starts with `-`).
        #[arg(value_name = "MESSAGE")]
        message: String,
    },
    /// Sign a message the EIP-191 personal_sign way with an Ethereum key; prints 0x + 130 hex.
    Personal {
        #[command(flatten)]
        key: EthKeyArgs,
        /// The message, signed as its UTF-8 bytes.
        #[arg(value_name = "MESSAGE")]
        message: String,
    },
}

/// Where an Ethereum private key comes from.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("eth_key").required(true).args(["private_key_env", "private_key_file", "keystore", "account"])))]
pub(crate) struct EthKeyArgs {
    /// Name of the environment variable holding the private key (64 hex digits, 0x optional).
    #[arg(long, value_name = "VAR")]
    pub(crate) private_key_env: Option<String>,
    /// File holding the private key (64 hex digits, 0x optional).
    #[arg(long, value_name = "FILE")]
    pub(crate) private_key_file: Option<PathBuf>,
    /// Web3 Secret Storage keystore file (geth, foundry, eth-account); the password comes
    /// from --password-env, --password-file or a prompt.
    #[arg(long, value_name = "FILE")]
    pub(crate) keystore: Option<PathBuf>,
    /// A foundry keystore by name: ~/.foundry/keystores/NAME (password as for --keystore).
    #[arg(long, value_name = "NAME")]
    pub(crate) account: Option<String>,
    #[command(flatten)]
    pub(crate) password: PasswordArgs,
}

/// Where a keystore's password comes from: a variable, a file, or else a prompt on the
/// terminal (never echoed). Never an argument.
#[derive(Debug, Clone, Args)]
pub(crate) struct PasswordArgs {
    /// Name of the environment variable holding the keystore password.
    #[arg(long, value_name = "VAR", conflicts_with = "password_file")]
    pub(crate) password_env: Option<String>,
    /// File holding the keystore password (one final newline is not part of it).
    #[arg(long, value_name = "FILE")]
    pub(crate) password_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum KeystoreCommand {
    /// Create a keystore holding a new random key; prints its address.
    New(KeystoreWriteArgs),
    /// Encrypt an existing private key into a keystore; prints its address.
    Import {
        /// Name of the environment variable holding the private key (hex).
        #[arg(long, value_name = "VAR")]
        private_key_env: String,
        #[command(flatten)]
        write: KeystoreWriteArgs,
    },
}

/// A keystore file to write.
#[derive(Debug, Args)]
pub(crate) struct KeystoreWriteArgs {
    /// The file to write: mode 0600, never over an existing file.
    #[arg(value_name = "FILE")]
    pub(crate) file: PathBuf,
    #[command(flatten)]
    pub(crate) password: PasswordArgs,
    /// Derive the encryption key with geth's --lightkdf parameters (scrypt n = 2^12,
    /// 4 MiB) instead of the standard n = 2^18 (256 MiB, about a second): as fast to
    /// attack as to open. For tests and throwaway keys only.
    #[arg(long)]
    pub(crate) light_kdf: bool,
}

/// Where a Solana keypair comes from: exactly one source (pump.fun commands, through
/// [`PumpSignInArgs`], make it optional).
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub(crate) struct SolanaKeyArgs {
    /// Solana CLI keypair file (JSON array of 64 bytes), e.g. ~/.config/solana/id.json.
    #[arg(long, value_name = "FILE")]
    pub(crate) keypair: Option<PathBuf>,
    /// Name of the environment variable holding the keypair (the JSON array, or base58).
    #[arg(long, value_name = "VAR")]
    pub(crate) keypair_env: Option<String>,
}

/// Any one key source.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("any_key").required(true).args(["private_key_env", "private_key_file", "keypair", "keypair_env", "keystore", "account"])))]
pub(crate) struct AddressArgs {
    /// Name of the environment variable holding an Ethereum private key.
    #[arg(long, value_name = "VAR")]
    pub(crate) private_key_env: Option<String>,
    /// File holding an Ethereum private key.
    #[arg(long, value_name = "FILE")]
    pub(crate) private_key_file: Option<PathBuf>,
    /// Solana CLI keypair file.
    #[arg(long, value_name = "FILE")]
    pub(crate) keypair: Option<PathBuf>,
    /// Name of the environment variable holding a Solana keypair.
    #[arg(long, value_name = "VAR")]
    pub(crate) keypair_env: Option<String>,
    /// Web3 Secret Storage keystore file (password from --password-env, --password-file
    /// or a prompt).
    #[arg(long, value_name = "FILE")]
    pub(crate) keystore: Option<PathBuf>,
    /// A foundry keystore by name: ~/.foundry/keystores/NAME.
    #[arg(long, value_name = "NAME")]
    pub(crate) account: Option<String>,
    #[command(flatten)]
    pub(crate) password: PasswordArgs,
}
