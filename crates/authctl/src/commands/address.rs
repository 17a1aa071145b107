//! `authctl address`.

use std::process::ExitCode;

use super::{Failure, print_line};
use crate::cli::AddressArgs;
use crate::secrets::{eth_key, keystore_key, solana_key};

pub(crate) fn print(args: &AddressArgs) -> Result<ExitCode, Failure> {
    if let Some(signer) = keystore_key(
        args.keystore.as_deref(),
        args.account.as_deref(),
        &args.password,
    )? {
        print_line(format_args!("{}", signer.address()))?;
    } else if args.private_key_env.is_some() || args.private_key_file.is_some() {
        let signer = eth_key(
            args.private_key_env.as_deref(),
            args.private_key_file.as_deref(),
        )?;
        print_line(format_args!("{}", signer.address()))?;
    } else {
        let keypair = solana_key(args.keypair_env.as_deref(), args.keypair.as_deref())?;
        print_line(format_args!("{}", keypair.pubkey()))?;
    }
    Ok(ExitCode::SUCCESS)
}
