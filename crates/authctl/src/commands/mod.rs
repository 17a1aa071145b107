//! What each command does.

use std::fmt;
use std::process::ExitCode;

use crate::cli::{Cli, Command, HashCommand, SignCommand};

mod address;
mod hash;
mod sign;

/// A failure to report as one `error:` line on stderr, with exit status 1.
#[derive(Debug)]
pub(crate) struct Failure(String);

impl Failure {
    pub(crate) fn new(message: String) -> Self {
        Failure(message)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Runs a parsed command line.
pub(crate) fn run(cli: Cli) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Hash(HashCommand::TypedData { json, files }) => Ok(hash::typed_data(&files, json)),
        Command::Sign(SignCommand::TypedData { key, file }) => sign::typed_data(&key, &file),
        Command::Sign(SignCommand::Personal { key, message }) => sign::personal(&key, &message),
        Command::Sign(SignCommand::Message { key, message }) => {
            sign::solana_message(&key, &message)
        }
        Command::Address(args) => address::print(&args),
    }
}
