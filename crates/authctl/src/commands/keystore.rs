//! `authctl keystore …`: write Web3 Secret Storage files.

use std::fs::{self, OpenOptions};
use std::io::Write as _;
use std::process::ExitCode;

use auth_signing::ethereum::LocalEthSigner;
use auth_signing::ethereum::keystore::{self, Kdf};

use super::{Failure, print_line};
use crate::cli::{KeystoreCommand, KeystoreWriteArgs};
use crate::secrets::{eth_key, keystore_password};

pub(crate) fn run(command: KeystoreCommand) -> Result<ExitCode, Failure> {
    let (signer, args) = match command {
        KeystoreCommand::New(args) => (
            keystore::random_key().map_err(|e| Failure::new(e.to_string()))?,
            args,
        ),
        KeystoreCommand::Import {
            private_key_env,
            write,
        } => (eth_key(Some(&private_key_env), None)?, write),
    };
    write(&signer, &args)?;
    print_line(format_args!("{}", signer.address()))?;
    Ok(ExitCode::SUCCESS)
}

/// Encrypts `signer` into a new file (mode 0600 on Unix), never replacing one.
fn write(signer: &LocalEthSigner, args: &KeystoreWriteArgs) -> Result<(), Failure> {
    let path = &args.file;
    let failed = |problem: String| Failure::new(format!("{}: {problem}", path.display()));
    // Before asking for a password that would be wasted.
    if fs::symlink_metadata(path).is_ok() {
        return Err(failed(
            "already exists; a keystore is never overwritten".to_owned(),
        ));
    }
    let password = keystore_password(&args.password, true)?;
    if password.expose_secret().is_empty() {
        return Err(Failure::usage(
            "refusing to write a keystore with an empty password".to_owned(),
        ));
    }
    let kdf = if args.light_kdf {
        Kdf::SCRYPT_LIGHT
    } else {
        Kdf::SCRYPT_STANDARD
    };
    let json = signer
        .to_keystore(&password, kdf)
        .map_err(|e| failed(e.to_string()))?;
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => {
            failed("already exists; a keystore is never overwritten".to_owned())
        }
        _ => failed(format!("cannot create: {e}")),
    })?;
    if let Err(e) = file
        .write_all(json.as_bytes())
        .and_then(|()| file.write_all(b"\n"))
        .and_then(|()| file.sync_all())
    {
        drop(file);
        let _ = fs::remove_file(path);
        return Err(failed(format!("cannot write: {e}")));
    }
    Ok(())
}
