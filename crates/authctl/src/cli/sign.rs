//! The sign commands.

use std::path::PathBuf;

use clap::Subcommand;

use super::keys::{EthKeyArgs, SolanaKeyArgs};

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
