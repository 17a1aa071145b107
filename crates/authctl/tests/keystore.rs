//! Keystores on the command line: `authctl keystore new` / `import` write files that
//! `--keystore` and `--account` open (for signing, addresses, Pear logins and tokens), with
//! the password from a variable or a file, never an argument and never echoed.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod support;

use std::path::{Path, PathBuf};

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_signing::ethereum::LocalEthSigner;
use auth_signing::ethereum::keystore::{self, KeystorePassword};
use support::{authctl, stderr};

const KEY: &str = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
const ADDRESS: &str = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23";
const PASSWORD: &str = "a keystore password";

/// The file eth-account made of `KEY` with the password `foo`.
fn eth_account_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../auth-signing/tests/data/keystores/scrypt-light.json")
}

fn stdout(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        stderr(out)
    );
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .trim()
        .to_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn import_writes_a_private_file_that_opens_and_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("key.json");
    let env = [("PK", KEY), ("KP", PASSWORD)];
    let import = [
        "keystore",
        "import",
        "--private-key-env",
        "PK",
        "--password-env",
        "KP",
        "--light-kdf",
        path(&file),
    ];
    assert_eq!(stdout(&authctl(&import, &env)), ADDRESS);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let json = std::fs::read_to_string(&file).unwrap();
    let opened = keystore::decrypt(&json, &KeystorePassword::new(PASSWORD)).unwrap();
    assert_eq!(opened.address().to_string(), ADDRESS);

    // Never over an existing file.
    let again = authctl(&import, &env);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("never overwritten"),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), json);

    // No keystore with an empty password (the file holds only a newline).
    let empty = dir.path().join("empty");
    std::fs::write(&empty, "\n").unwrap();
    let other = dir.path().join("other.json");
    let out = authctl(
        &[
            "keystore",
            "import",
            "--private-key-env",
            "PK",
            "--password-file",
            path(&empty),
            path(&other),
        ],
        &env,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!other.exists());

    // The address command opens it, the password from a file (its final newline dropped).
    let password_file = dir.path().join("password");
    std::fs::write(&password_file, format!("{PASSWORD}\n")).unwrap();
    let address = authctl(
        &[
            "address",
            "--keystore",
            path(&file),
            "--password-file",
            path(&password_file),
        ],
        &[],
    );
    assert_eq!(stdout(&address), ADDRESS);
}

#[test]
fn new_makes_a_fresh_key_with_the_standard_kdf() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("new.json");
    let env = [("KP", PASSWORD)];
    let out = authctl(
        &["keystore", "new", "--password-env", "KP", path(&file)],
        &env,
    );
    let address = stdout(&out);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(json["crypto"]["kdfparams"]["n"], 1 << 18);
    assert_eq!(
        format!("0x{}", json["address"].as_str().unwrap()),
        address.to_lowercase()
    );
    let shown = authctl(
        &["address", "--keystore", path(&file), "--password-env", "KP"],
        &env,
    );
    assert_eq!(stdout(&shown), address);
}

#[test]
fn files_from_eth_account_sign_like_the_key_itself() {
    let dir = tempfile::tempdir().unwrap();
    let password_file = dir.path().join("password");
    std::fs::write(&password_file, "foo").unwrap();
    let by_key = authctl(
        &["sign", "personal", "--private-key-env", "PK", "hello"],
        &[("PK", KEY)],
    );
    let by_keystore = authctl(
        &[
            "sign",
            "personal",
            "--keystore",
            path(&eth_account_file()),
            "--password-file",
            path(&password_file),
            "hello",
        ],
        &[],
    );
    assert_eq!(stdout(&by_keystore), stdout(&by_key));
}

#[test]
fn passwords_are_never_arguments_never_echoed_and_never_asked_without_a_terminal() {
    let file = eth_account_file();
    // No password flag and no terminal on stdin: a usage error, not a hang.
    let out = authctl(&["address", "--keystore", path(&file)], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--password-env"), "{}", stderr(&out));
    // There is no flag that takes the password itself.
    let out = authctl(
        &["address", "--keystore", path(&file), "--password", "foo"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    // A wrong password is named as such; the password shows nowhere.
    let out = authctl(
        &["address", "--keystore", path(&file), "--password-env", "KP"],
        &[("KP", "not-the-password-xyz")],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = format!("{}{}", stderr(&out), String::from_utf8_lossy(&out.stdout));
    assert!(text.contains("wrong password"), "{text}");
    assert!(!text.contains("not-the-password"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pear_login_and_token_from_a_keystore_and_a_foundry_account() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let base = sb.pear_url();
    let home = tempfile::tempdir().unwrap();
    let accounts = home.path().join(".foundry/keystores");
    std::fs::create_dir_all(&accounts).unwrap();
    std::fs::copy(eth_account_file(), accounts.join("bot")).unwrap();
    let expected = LocalEthSigner::from_hex(KEY).unwrap().address();

    let login = authctl(
        &[
            "pear",
            "login",
            "--base-url",
            &base,
            "--keystore",
            path(&eth_account_file()),
            "--password-env",
            "KP",
        ],
        &[("KP", "foo")],
    );
    let tokens: serde_json::Value = serde_json::from_str(&stdout(&login)).unwrap();
    assert_eq!(tokens["address"], expected.to_lowercase_hex());

    let store = home.path().join("tokens.json");
    let token = authctl(
        &[
            "pear",
            "token",
            "--base-url",
            &base,
            "--account",
            "bot",
            "--password-env",
            "KP",
            "--store",
            path(&store),
        ],
        &[("KP", "foo"), ("HOME", path(home.path()))],
    );
    let token = stdout(&token);
    assert!(
        token.len() > 20 && !token.contains(char::is_whitespace),
        "{token}"
    );
}
