//! The keystore commands: a new key, an imported key.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::keys::PasswordArgs;

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
