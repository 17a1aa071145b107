//! `authctl sign …`.

use std::path::Path;
use std::process::ExitCode;

use auth_signing::eip712::TypedData;

use super::{Failure, print_line};
use crate::cli::{EthKeyArgs, SolanaKeyArgs};
use crate::secrets::{eth_key_from, read_input, solana_key_from};

pub(crate) fn typed_data(key: &EthKeyArgs, file: &Path) -> Result<ExitCode, Failure> {
    let text = read_input(file)?;
    let typed: TypedData = text
        .parse()
        .map_err(|e| Failure::new(format!("{}: {e}", file.display())))?;
    let signer = eth_key_from(key)?;
    // Say what is being signed: typed data can authorize transfers, not just logins.
    let domain = typed.domain();
    eprintln!(
        "signing {} for domain {:?} (chain {}) as {}",
        typed.primary_type(),
        domain.name.as_deref().unwrap_or("(no name)"),
        domain
            .chain_id
            .map_or_else(|| "none".to_owned(), |c| c.to_string()),
        signer.address()
    );
    let signature = signer
        .sign_typed_data(&typed)
        .map_err(|e| Failure::new(e.to_string()))?;
    print_line(format_args!("{signature}"))?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn personal(key: &EthKeyArgs, message: &str) -> Result<ExitCode, Failure> {
    let signer = eth_key_from(key)?;
    let signature = signer
        .sign_personal_message(message.as_bytes())
        .map_err(|e| Failure::new(e.to_string()))?;
    print_line(format_args!("{signature}"))?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn solana_message(key: &SolanaKeyArgs, message: &str) -> Result<ExitCode, Failure> {
    let keypair = solana_key_from(key)?;
    print_line(format_args!("{}", keypair.sign(message.as_bytes())))?;
    Ok(ExitCode::SUCCESS)
}
