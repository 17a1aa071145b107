//! `authctl`: wallet signing (and, later, logins) for Pear Protocol and pump.fun from the
//! command line. See `authctl --help`.

use std::process::ExitCode;

use clap::Parser;

mod cli;
mod commands;
mod secrets;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            err.exit_code()
        }
    }
}
