//! Where keys come from: Ethereum keys, keystore passwords, Solana keypairs.

use std::path::PathBuf;

use clap::Args;

/// Where an Ethereum private key comes from.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("signing_key").required(true).args(["private_key_env", "private_key_file", "keystore", "account"])))]
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

/// Where a Solana keypair comes from: exactly one source (pump.fun commands, through
/// [`PumpSignInArgs`](super::pump::PumpSignInArgs), make it optional).
#[derive(Debug, Args)]
#[group(id = "signing_key", required = true, multiple = false)]
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
