//! The hash commands.

use std::path::PathBuf;

use clap::Subcommand;

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
