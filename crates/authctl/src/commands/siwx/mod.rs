//! `authctl siwe …` and `authctl siws …`: offline message work (`offline`), sign-in to a
//! backend (`online`), over what differs between the standards (`flavor`).

mod browser;
mod flavor;
mod offline;
mod online;

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, FromArgMatches};

use super::{Failure, runtime};
use crate::cli::SiwxCommand;
use crate::secrets::read_input;

pub(crate) use flavor::Flavor;

/// Runs a `siwe` or `siws` command.
pub(crate) fn run<F, K>(command: SiwxCommand<K>) -> Result<ExitCode, Failure>
where
    F: Flavor<Key = K>,
    K: Args + FromArgMatches,
    siwx_auth::SiwxAuthenticator<F>: auth_session::Authenticator,
{
    match command {
        SiwxCommand::Message { fields } => offline::message::<F>(&fields),
        SiwxCommand::Parse { file } => offline::parse::<F>(&file),
        SiwxCommand::Verify(args) => offline::verify::<F>(&args),
        SiwxCommand::Sign { key, file } => runtime()?.block_on(offline::sign::<F>(&key, &file)),
        SiwxCommand::Login {
            backend,
            key,
            browser,
        } => {
            if !browser && !F::key_given(&key) {
                return Err(Failure::usage(
                    "give the key's flags (see --help), or --browser to sign in a browser wallet"
                        .to_owned(),
                ));
            }
            runtime()?.block_on(online::login::<F>(&backend, (!browser).then_some(&key)))
        }
        SiwxCommand::Token {
            backend,
            store,
            key,
        } => runtime()?.block_on(online::token::<F>(&backend, &store, &key)),
    }
}

/// A message file's text: one final newline (LF or CRLF) is not part of the message.
fn message_text(file: &Path) -> Result<String, Failure> {
    let mut text = read_input(file)?;
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    Ok(text)
}
