//! What each command does.

use std::process::ExitCode;

use crate::cli::{Cli, Command, HashCommand, SignCommand};
pub(crate) use crate::failure::Failure;

mod address;
mod browser;
mod doctor;
mod hash;
mod keystore;
mod pear;
mod pump;
mod sandbox;
mod saved;
mod sign;
mod siwx;
mod store;

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
        Command::Pear(command) => pear::run(command),
        Command::Pump(command) => pump::run(command),
        Command::Siwe(command) => siwx::run::<siwx_auth::Siwe, _>(command),
        Command::Siws(command) => siwx::run::<siwx_auth::Siws, _>(command),
        Command::Sandbox(args) => sandbox::run(&args),
        Command::Keystore(command) => keystore::run(command),
        Command::Doctor(command) => doctor::run(command),
    }
}

/// A runtime for the commands that talk to a server.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::new(format!("cannot start the async runtime: {e}")))
}

/// Prints a value as one line of JSON on stdout.
pub(crate) fn print_json(value: &impl serde::Serialize) -> Result<(), Failure> {
    let text = serde_json::to_string(value)
        .map_err(|e| Failure::new(format!("cannot format the output: {e}")))?;
    print_line(text)
}

/// Writes one line to standard output. A closed or full stdout is a failure (exit 1 with a
/// message), not a panic: after `pear refresh` the new pair would otherwise vanish silently.
pub(crate) fn print_line(text: impl std::fmt::Display) -> Result<(), Failure> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(|e| Failure::new(format!("cannot write the result to standard output: {e}")))
}
