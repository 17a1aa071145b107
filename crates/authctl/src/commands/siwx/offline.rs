//! `message`, `parse`, `verify`, `sign`: the messages themselves, no backend.

use std::path::Path;
use std::process::ExitCode;
use std::time::SystemTime;

use auth_signing::siwe::{Timestamp, VerifyOptions};

use super::{Failure, Flavor, message_text};
use crate::cli::VerifyArgs;
use crate::commands::{print_json, print_line};
use crate::secrets::{from_env, read_input};

/// `message FIELDS.json`: the text on stdout.
pub(super) fn message<F: Flavor>(fields: &Path) -> Result<ExitCode, Failure> {
    let json = read_input(fields)?;
    let text = F::message_from_fields(&json)
        .map_err(|e| Failure::new(format!("{}: {e}", fields.display())))?;
    print_line(text)?;
    Ok(ExitCode::SUCCESS)
}

/// `parse FILE`: the fields as JSON.
pub(super) fn parse<F: Flavor>(file: &Path) -> Result<ExitCode, Failure> {
    let text = message_text(file)?;
    let fields = F::fields_of(&text).map_err(|e| {
        Failure::new(format!(
            "{}: not a valid {} message: {e}",
            file.display(),
            F::NAME
        ))
    })?;
    print_json(&fields)?;
    Ok(ExitCode::SUCCESS)
}

/// `verify FILE --signature-env VAR …`: exit 0 when valid.
pub(super) fn verify<F: Flavor>(args: &VerifyArgs) -> Result<ExitCode, Failure> {
    let text = message_text(&args.file)?;
    let signature = from_env(&args.signature_env)?;
    let time = match &args.time {
        Some(time) => Timestamp::parse(time)
            .map_err(|e| Failure::usage(format!("--time: {e}")))?
            .to_system_time(),
        None => SystemTime::now(),
    };
    let mut options = VerifyOptions::at(time);
    if let Some(domain) = &args.domain {
        options = options.domain(domain.clone());
    }
    if let Some(nonce) = &args.nonce {
        options = options.nonce(nonce.clone());
    }
    F::verify(&text, &signature, &options).map_err(|e| Failure::new(format!("not valid: {e}")))?;
    print_line("valid")?;
    Ok(ExitCode::SUCCESS)
}

/// `sign FILE`: the signature on stdout.
pub(super) async fn sign<F: Flavor>(key: &F::Key, file: &Path) -> Result<ExitCode, Failure> {
    let text = message_text(file)?;
    let signature = F::sign(key, &text).await?;
    print_line(signature)?;
    Ok(ExitCode::SUCCESS)
}
