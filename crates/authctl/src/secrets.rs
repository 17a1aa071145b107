//! Loading keys from environment variables and files, without echoing them.

use std::fs;
use std::io::Read;
use std::path::Path;

use auth_signing::ethereum::LocalEthSigner;
use auth_signing::solana::SolanaKeypair;
use zeroize::Zeroizing;

use crate::failure::Failure;

/// Refuses a variable "name" that looks like a pasted key, without repeating it.
fn check_env_name(name: &str) -> Result<(), Failure> {
    let is_identifier = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if is_identifier && name.len() < 32 {
        Ok(())
    } else {
        Err(Failure::usage(
            "expected the NAME of an environment variable (like PRIVATE_KEY), not a key; \
             export the key in a variable and pass its name"
                .to_owned(),
        ))
    }
}

/// Reads the secret text in the environment variable `name`. An unset or empty variable's
/// error never repeats the name: a short key pasted where the name belongs would otherwise
/// be printed back. (Once the variable exists, its name is a name and may be shown.)
pub(crate) fn from_env(name: &str) -> Result<Zeroizing<String>, Failure> {
    check_env_name(name)?;
    let problem = match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => return Ok(Zeroizing::new(v)),
        Ok(_) => "is empty",
        Err(std::env::VarError::NotPresent) => "is not set",
        Err(std::env::VarError::NotUnicode(_)) => "is not valid UTF-8",
    };
    Err(Failure::new(format!(
        "the environment variable named on the command line {problem} \
         (its name is not repeated, in case a key was pasted in its place)"
    )))
}

/// Reads the secret text in a file.
fn from_file(path: &Path) -> Result<Zeroizing<String>, Failure> {
    fs::read_to_string(path)
        .map(Zeroizing::new)
        .map_err(|e| Failure::new(format!("cannot read {}: {e}", path.display())))
}

/// An Ethereum key from exactly one of an environment variable or a file.
pub(crate) fn eth_key(env: Option<&str>, file: Option<&Path>) -> Result<LocalEthSigner, Failure> {
    let (text, origin) = match (env, file) {
        (Some(var), _) => (from_env(var)?, format!("environment variable {var}")),
        (None, Some(path)) => (from_file(path)?, path.display().to_string()),
        (None, None) => return Err(Failure::new("no private key source given".to_owned())),
    };
    LocalEthSigner::from_hex(text.trim()).map_err(|e| Failure::new(format!("{origin}: {e}")))
}

/// A Solana keypair from exactly one of a keypair file or an environment variable holding
/// the JSON array or base58.
pub(crate) fn solana_key(file: Option<&Path>, env: Option<&str>) -> Result<SolanaKeypair, Failure> {
    let (text, origin) = match (file, env) {
        (Some(path), _) => (from_file(path)?, path.display().to_string()),
        (None, Some(var)) => (from_env(var)?, format!("environment variable {var}")),
        (None, None) => return Err(Failure::new("no keypair source given".to_owned())),
    };
    let trimmed = text.trim();
    let parsed = if trimmed.starts_with('[') {
        SolanaKeypair::from_keypair_json(trimmed)
    } else {
        SolanaKeypair::from_base58(trimmed)
    };
    parsed.map_err(|e| Failure::new(format!("{origin}: {e}")))
}

/// Reads a (non-secret) input file, `-` meaning standard input.
/// Errors name the file (`-` for standard input).
pub(crate) fn read_input(path: &Path) -> Result<String, Failure> {
    let read = if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map(|_| text)
            .map_err(|e| format!("cannot read standard input: {e}"))
    } else {
        fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))
    };
    read.map_err(|e| Failure::new(format!("{}: {e}", path.display())))
}
