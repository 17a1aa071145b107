//! A Pear login with the key in an encrypted keystore (geth's and foundry's Web3 Secret
//! Storage files), against the embedded sandbox (no network).
//!
//! Run with `cargo run --example keystore_login` to make a throwaway key, write it to a
//! keystore in a temporary directory, open it again and log in with it. To use a keystore
//! of your own (`~/.foundry/keystores/NAME`, or a file `geth account new` or
//! `authctl keystore new` wrote):
//!
//! ```sh
//! read -rs KEYSTORE_PASSWORD && export KEYSTORE_PASSWORD
//! cargo run --example keystore_login -- ~/.foundry/keystores/NAME
//! ```
//!
//! Files written by geth, foundry (`cast wallet new` / `import`) and Python's
//! `eth-account` open here (scrypt or PBKDF2, AES-128-CTR); KDF parameters that would take
//! more than 512 MiB or a minute are refused before any work is done. The same keystores
//! work on the command line: `authctl pear login --keystore FILE` or `--account NAME`.

use std::process::ExitCode;

use auth_examples::{Steps, redact};
use auth_sandbox::{Sandbox, SandboxConfig};
use auth_signing::ethereum::keystore::{self, Kdf, KeystorePassword};
use pear_auth::PearClient;

#[tokio::main]
async fn main() -> ExitCode {
    let mut steps = Steps::new();
    let own_file = std::env::args_os().nth(1);
    let scratch = std::env::temp_dir().join(format!("keystore_login-{}", std::process::id()));

    let (path, password) = match own_file {
        Some(path) => {
            let password = std::env::var("KEYSTORE_PASSWORD")
                .map(KeystorePassword::new)
                .map_err(|_| "set KEYSTORE_PASSWORD to the keystore's password");
            let Some(password) = steps.step("read the password", password, |_| {
                "from KEYSTORE_PASSWORD".to_owned()
            }) else {
                return steps.finish();
            };
            (std::path::PathBuf::from(path), password)
        }
        None => {
            // A throwaway key in a fresh keystore. Kdf::SCRYPT_STANDARD (what geth and
            // `authctl keystore new` use) is for keys that matter; the light setting keeps
            // this demo quick.
            let password = KeystorePassword::new("demo password, not a real one");
            let Some(key) = steps.step("make a throwaway key", keystore::random_key(), |k| {
                format!("address {}", k.address())
            }) else {
                return steps.finish();
            };
            let json = key.to_keystore(&password, Kdf::SCRYPT_LIGHT);
            let Some(json) =
                steps.step("encrypt it", json, |j| format!("{} bytes of JSON", j.len()))
            else {
                return steps.finish();
            };
            let path = scratch.join("keystore.json");
            let written =
                std::fs::create_dir_all(&scratch).and_then(|()| std::fs::write(&path, json));
            if steps
                .step("write the keystore", written, |()| {
                    path.display().to_string()
                })
                .is_none()
            {
                return steps.finish();
            }
            (path, password)
        }
    };

    let opened = std::fs::read_to_string(&path)
        .map_err(|e| e.to_string())
        .and_then(|json| keystore::decrypt(&json, &password).map_err(|e| e.to_string()));
    let Some(signer) = steps.step("open the keystore", opened, |s| {
        format!("address {}", s.address())
    }) else {
        return steps.finish();
    };

    let Some(sandbox) = steps.step(
        "start the sandbox",
        Sandbox::start(SandboxConfig::default()).await,
        |s| format!("Pear at {}", s.pear_url()),
    ) else {
        return steps.finish();
    };
    let Some(pear) = steps.step(
        "build the client",
        PearClient::builder().base_url(sandbox.pear_url()).build(),
        |_| "ok".to_owned(),
    ) else {
        return steps.finish();
    };
    steps.step("log in (EIP-712)", pear.login_eip712(&signer).await, |t| {
        format!("access token {}", redact(t.access_token.expose_secret()))
    });
    let _ = std::fs::remove_dir_all(&scratch);
    steps.finish()
}
