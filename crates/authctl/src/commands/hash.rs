//! `authctl hash typed-data`.

use std::path::PathBuf;
use std::process::ExitCode;

use auth_signing::eip712::TypedData;
use serde::Serialize;

use super::print_line;
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
                    let written = serde_json::to_string(&line)
                        .map_err(|e| Failure::new(format!("{}: {e}", file.display())))
                        .and_then(print_line);
                    if let Err(e) = written {
                        eprintln!("error: {e}");
                        failed = true;
                    }
                } else if let Err(e) = print_line(hex0x(h.signing_hash)) {
                    eprintln!("error: {e}");
                    failed = true;
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
