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
