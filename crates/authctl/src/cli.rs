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
    /// Log in with a wallet key (EIP-712) or an API key; prints the tokens as JSON.
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
}

#[derive(Debug, Args)]
pub(crate) struct PearLoginArgs {
    #[command(flatten)]
    pub(crate) api: PearApi,
    /// The client id sent to Pear.
    #[arg(long, value_name = "ID", default_value = "APITRADER")]
    pub(crate) client_id: String,
    /// Name of the environment variable holding the wallet's private key (hex).
    #[arg(long, value_name = "VAR", conflicts_with_all = ["api_key_env", "address"], required_unless_present = "api_key_env")]
    pub(crate) private_key_env: Option<String>,
    /// Name of the environment variable holding an API key (use with --address).
    #[arg(long, value_name = "VAR", requires = "address")]
    pub(crate) api_key_env: Option<String>,
    /// The account the API key belongs to.
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
}

#[derive(Debug, Subcommand)]
pub(crate) enum PumpCommand {
    /// Sign in with a Solana keypair; prints {"token","expiresIn","user"} as JSON.
    Login {
        #[command(flatten)]
        api: PumpApi,
        /// Solana CLI keypair file [default: ~/.config/solana/id.json].
        #[arg(long, value_name = "FILE", conflicts_with = "keypair_env")]
        keypair: Option<PathBuf>,
        /// Name of the environment variable holding the keypair (JSON array or base58).
        #[arg(long, value_name = "VAR")]
        keypair_env: Option<String>,
    },
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
#[group(required = true, multiple = false)]
pub(crate) struct EthKeyArgs {
    /// Name of the environment variable holding the private key (64 hex digits, 0x optional).
    #[arg(long, value_name = "VAR")]
    pub(crate) private_key_env: Option<String>,
    /// File holding the private key (64 hex digits, 0x optional).
    #[arg(long, value_name = "FILE")]
    pub(crate) private_key_file: Option<PathBuf>,
}

/// Where a Solana keypair comes from.
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
#[group(required = true, multiple = false)]
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
}
