//! `authctl hash typed-data`.

use std::path::PathBuf;
use std::process::ExitCode;

use auth_signing::eip712::TypedData;
use serde::Serialize;

use crate::failure::Failure;
use crate::secrets::read_input;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HashesJson {
    domain_separator: String,
    struct_hash: String,
    signing_hash: String,
}

fn hex0x(bytes: [u8; 32]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// Hashes each file in order; a bad file is reported and skipped, and makes the exit 1.
pub(crate) fn typed_data(files: &[PathBuf], json: bool) -> ExitCode {
    let mut failed = false;
    for file in files {
        let result = read_input(file).and_then(|text| {
            text.parse::<TypedData>()
                .map_err(|e| Failure::new(format!("{}: {e}", file.display())))
        });
        match result {
            Ok(typed) => {
                let h = typed.hashes();
                if json {
                    let line = HashesJson {
                        domain_separator: hex0x(h.domain_separator),
                        struct_hash: hex0x(h.struct_hash),
                        signing_hash: hex0x(h.signing_hash),
                    };
                    match serde_json::to_string(&line) {
                        Ok(text) => println!("{text}"),
                        Err(e) => {
                            eprintln!("error: {}: {e}", file.display());
                            failed = true;
                        }
                    }
                } else {
                    println!("{}", hex0x(h.signing_hash));
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
