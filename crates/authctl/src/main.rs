//! `authctl`: wallet signing and logins for Pear Protocol and pump.fun from the
//! command line. See `authctl --help`.

// Doc comments in cli.rs are clap help texts printed as they are, where bare URLs belong.
#![allow(rustdoc::bare_urls)]

use std::process::ExitCode;

use clap::Parser;

mod cli;
mod commands;
mod failure;
mod lazy_keystore;
mod secrets;

fn main() -> ExitCode {
    // The process's TLS crypto provider, chosen here (libraries never install one): a
    // `rediss://` token store needs it. Another installed first is kept.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            err.exit_code()
        }
    }
}
