//! Loading keys from environment variables and files, without echoing them.

use std::env::VarError;
use std::fs;
use std::io::{IsTerminal as _, Read};
use std::path::{Path, PathBuf};

use auth_signing::ethereum::LocalEthSigner;
use auth_signing::ethereum::keystore::KeystorePassword;
use auth_signing::solana::SolanaKeypair;
use zeroize::Zeroizing;

use crate::cli::{EthKeyArgs, PasswordArgs, SolanaKeyArgs};
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

/// Where environment variables are read: the process environment, or a map in tests.
type Env<'a> = &'a dyn Fn(&str) -> Result<String, VarError>;

/// The process environment.
fn process_env(name: &str) -> Result<String, VarError> {
    std::env::var(name)
}

/// Reads the secret text in the environment variable `name`. An unset or empty variable's
/// error never repeats the name: a short key pasted where the name belongs would otherwise
/// be printed back. (Once the variable exists, its name is a name and may be shown.)
pub(crate) fn from_env(name: &str) -> Result<Zeroizing<String>, Failure> {
    from_env_in(name, &process_env)
}

/// [`from_env`] over the environment `env`.
fn from_env_in(name: &str, env: Env<'_>) -> Result<Zeroizing<String>, Failure> {
    check_env_name(name)?;
    let problem = match env(name) {
        Ok(v) if !v.trim().is_empty() => return Ok(Zeroizing::new(v)),
        Ok(_) => "is empty",
        Err(VarError::NotPresent) => "is not set",
        Err(VarError::NotUnicode(_)) => "is not valid UTF-8",
    };
    Err(Failure::new(format!(
        "the environment variable named on the command line {problem} \
         (its name is not repeated, in case a key was pasted in its place)"
    )))
}

/// The largest key file read: key files hold a few hundred bytes.
const MAX_KEY_FILE: usize = 64 * 1024;

/// Reads the secret text in a file, into one buffer sized up front and wiped on drop (a
/// buffer grown while reading, or dropped because the bytes are not text, would leave
/// copies of the key in freed memory).
fn from_file(path: &Path) -> Result<Zeroizing<String>, Failure> {
    let failed =
        |problem: String| Failure::new(format!("cannot read {}: {problem}", path.display()));
    let file = fs::File::open(path).map_err(|e| failed(e.to_string()))?;
    let mut bytes = Zeroizing::new(Vec::with_capacity(MAX_KEY_FILE + 1));
    file.take(MAX_KEY_FILE as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| failed(e.to_string()))?;
    if bytes.len() > MAX_KEY_FILE {
        return Err(failed(format!(
            "larger than {MAX_KEY_FILE} bytes, so not a key file"
        )));
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| failed("not UTF-8 text".to_owned()))?;
    Ok(Zeroizing::new(text.to_owned()))
}

/// An Ethereum key from exactly one of an environment variable or a file.
pub(crate) fn eth_key(env: Option<&str>, file: Option<&Path>) -> Result<LocalEthSigner, Failure> {
    eth_key_in(env, file, &process_env)
}

/// [`eth_key`] over the environment `vars`.
fn eth_key_in(
    env: Option<&str>,
    file: Option<&Path>,
    vars: Env<'_>,
) -> Result<LocalEthSigner, Failure> {
    key_in(env, file, vars, "private key", LocalEthSigner::from_hex)
}

/// The key `parse` makes of the trimmed text in the variable `env`, else in `file`; errors
/// name where the text came from, never the text. `what` names the key when neither is
/// given.
fn key_in<K, E: std::fmt::Display>(
    env: Option<&str>,
    file: Option<&Path>,
    vars: Env<'_>,
    what: &str,
    parse: impl FnOnce(&str) -> Result<K, E>,
) -> Result<K, Failure> {
    let (text, origin) = match (env, file) {
        (Some(var), _) => (
            from_env_in(var, vars)?,
            format!("environment variable {var}"),
        ),
        (None, Some(path)) => (from_file(path)?, path.display().to_string()),
        (None, None) => return Err(Failure::new(format!("no {what} source given"))),
    };
    parse(text.trim()).map_err(|e| Failure::new(format!("{origin}: {e}")))
}

/// An Ethereum key from whichever source [`EthKeyArgs`] names.
pub(crate) fn eth_key_from(args: &EthKeyArgs) -> Result<LocalEthSigner, Failure> {
    match keystore_key(
        args.keystore.as_deref(),
        args.account.as_deref(),
        &args.password,
    )? {
        Some(signer) => Ok(signer),
        None => eth_key(
            args.private_key_env.as_deref(),
            args.private_key_file.as_deref(),
        ),
    }
}

/// The key in the keystore `file` or the foundry account `account`, opened with the
/// password from `password` (or the terminal); `None` when neither is given.
pub(crate) fn keystore_key(
    file: Option<&Path>,
    account: Option<&str>,
    password: &PasswordArgs,
) -> Result<Option<LocalEthSigner>, Failure> {
    match keystore_file(file, account, password)? {
        Some((path, json)) => open_keystore(&path, &json, password).map(Some),
        None => Ok(None),
    }
}

/// The path and text of the keystore `file` or of the foundry account `account`, not
/// decrypted; `None` when neither is given.
pub(crate) fn keystore_file(
    file: Option<&Path>,
    account: Option<&str>,
    password: &PasswordArgs,
) -> Result<Option<(PathBuf, Zeroizing<String>)>, Failure> {
    let path = match (file, account) {
        (Some(file), _) => file.to_path_buf(),
        (None, Some(name)) => foundry_account(name)?,
        (None, None) if password.password_env.is_some() || password.password_file.is_some() => {
            return Err(Failure::usage(
                "--password-env and --password-file go with --keystore or --account".to_owned(),
            ));
        }
        (None, None) => return Ok(None),
    };
    let json = from_file(&path)?;
    Ok(Some((path, json)))
}

/// Decrypts the keystore `json` (read from `path`, named in errors) with the password from
/// `password` (or the terminal).
pub(crate) fn open_keystore(
    path: &Path,
    json: &str,
    password: &PasswordArgs,
) -> Result<LocalEthSigner, Failure> {
    let password = keystore_password(password, false)
        .map_err(|e| e.context(format_args!("{}: the keystore password", path.display())))?;
    LocalEthSigner::from_keystore(json, &password)
        .map_err(|e| Failure::new(format!("{}: {e}", path.display())))
}

/// Refuses, before anything else happens, a password that would have to come from a
/// terminal when standard input is not one (a usage error, as when it is asked for).
pub(crate) fn check_password_source(password: &PasswordArgs) -> Result<(), Failure> {
    if password.password_env.is_none()
        && password.password_file.is_none()
        && !std::io::stdin().is_terminal()
    {
        return Err(no_terminal());
    }
    Ok(())
}

fn no_terminal() -> Failure {
    Failure::usage(
        "no keystore password given and standard input is not a terminal to ask on: \
         give --password-env VAR or --password-file FILE"
            .to_owned(),
    )
}

/// foundry's keystore of the account `name`: `~/.foundry/keystores/NAME`.
fn foundry_account(name: &str) -> Result<PathBuf, Failure> {
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !plain {
        return Err(Failure::usage(
            "--account takes the name of a keystore in ~/.foundry/keystores (letters, digits, \
             '.', '_' and '-'); give a path with --keystore"
                .to_owned(),
        ));
    }
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .ok_or_else(|| Failure::new("--account: HOME is not set".to_owned()))?;
    Ok(PathBuf::from(home)
        .join(".foundry")
        .join("keystores")
        .join(name))
}

/// A keystore password from a variable, a file (less one final newline), or a prompt
/// on the terminal (asked twice when `confirm`). Never echoed; with no terminal and no
/// flag, a usage error.
pub(crate) fn keystore_password(
    args: &PasswordArgs,
    confirm: bool,
) -> Result<KeystorePassword, Failure> {
    if let Some(var) = &args.password_env {
        return Ok(from_env(var)?.into());
    }
    if let Some(path) = &args.password_file {
        let mut text = from_file(path)?;
        if text.ends_with('\n') {
            text.pop();
            if text.ends_with('\r') {
                text.pop();
            }
        }
        return Ok(text.into());
    }
    if !std::io::stdin().is_terminal() {
        return Err(no_terminal());
    }
    let ask = |prompt: &str| {
        rpassword::prompt_password(prompt)
            .map(Zeroizing::new)
            .map_err(|e| Failure::new(format!("cannot read the password: {e}")))
    };
    let password = ask("keystore password: ")?;
    if confirm && *ask("again: ")? != *password {
        return Err(Failure::usage("the passwords differ".to_owned()));
    }
    Ok(password.into())
}

/// A Solana keypair from exactly one of an environment variable or a keypair file, holding
/// the JSON array or base58.
pub(crate) fn solana_key(env: Option<&str>, file: Option<&Path>) -> Result<SolanaKeypair, Failure> {
    solana_key_in(env, file, &process_env)
}

/// [`solana_key`] over the environment `vars`.
fn solana_key_in(
    env: Option<&str>,
    file: Option<&Path>,
    vars: Env<'_>,
) -> Result<SolanaKeypair, Failure> {
    key_in(env, file, vars, "keypair", |text| {
        if text.starts_with('[') {
            SolanaKeypair::from_keypair_json(text)
        } else {
            SolanaKeypair::from_base58(text)
        }
    })
}

/// A Solana keypair from whichever source [`SolanaKeyArgs`] names.
pub(crate) fn solana_key_from(args: &SolanaKeyArgs) -> Result<SolanaKeypair, Failure> {
    solana_key(args.keypair_env.as_deref(), args.keypair.as_deref())
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

#[cfg(test)]
mod tests {
    //! Properties of secret loading over generated names, values and file contents: no
    //! panic, no secret in an error, valid keys load as themselves.

    use std::ffi::OsString;
    use std::path::PathBuf;

    use auth_signing::ethereum::LocalEthSigner;
    use auth_signing::solana::SolanaKeypair;
    use proptest::prelude::*;

    use super::*;

    /// The two things an unusable variable name can give, whatever the name.
    const NAME_REFUSED: &str = "expected the NAME of an environment variable (like PRIVATE_KEY), \
                                not a key; export the key in a variable and pass its name";

    /// An environment holding only `name` = `value`.
    fn one_var<'a>(
        name: &'a str,
        value: &'a str,
    ) -> impl Fn(&str) -> Result<String, VarError> + 'a {
        move |asked| {
            if asked == name {
                Ok(value.to_owned())
            } else {
                Err(VarError::NotPresent)
            }
        }
    }

    /// Panics if `error` (its `Display` and `Debug`), once the public `context` (a file
    /// path, the name of a variable that exists) is taken out, contains `secret` or any 8
    /// characters of it in a row.
    fn assert_not_echoed(error: &Failure, secret: &str, context: &[&str]) {
        let mut text = format!("{error} {error:?}");
        for public in context.iter().filter(|p| !p.is_empty()) {
            text = text.replace(public, "<public>");
        }
        let chars: Vec<char> = secret.chars().collect();
        for window in chars.windows(8) {
            let piece: String = window.iter().collect();
            if piece.contains(char::REPLACEMENT_CHARACTER) {
                continue; // Stands for bytes that were not text; not in the secret as such.
            }
            assert!(
                !text.contains(&piece),
                "the error shows {piece:?} of the secret: {text}"
            );
        }
    }

    /// Any text, and text shaped like what is pasted by mistake: hex keys, base58, JSON
    /// byte arrays, identifiers, each maybe padded with whitespace.
    fn secret_text() -> impl Strategy<Value = String> {
        let shaped = prop_oneof![
            any::<String>(),
            "(0x)?[0-9a-fA-F]{0,70}",
            "[1-9A-HJ-NP-Za-km-z]{0,100}",
            prop::collection::vec(0u32..300, 0..70).prop_map(|bytes| {
                let items: Vec<String> = bytes.iter().map(u32::to_string).collect();
                format!("[{}]", items.join(","))
            }),
            "[A-Za-z_][A-Za-z0-9_]{0,40}",
        ];
        (shaped, "[ \t\n]{0,2}", "[ \t\n]{0,2}")
            .prop_map(|(text, before, after)| format!("{before}{text}{after}"))
    }

    /// A variable name as a user might type it (or a key pasted in its place).
    fn variable_name() -> impl Strategy<Value = String> {
        prop_oneof!["[A-Za-z_][A-Za-z0-9_]{0,40}", secret_text(),]
    }

    /// A file holding `bytes`, in a directory that lives as long as the returned guard.
    fn file_with(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("key");
        fs::write(&path, bytes).expect("the key file is written");
        (dir, path)
    }

    #[test]
    fn a_key_file_larger_than_any_key_file_is_refused() {
        let (_dir, path) = file_with(&vec![b'1'; MAX_KEY_FILE + 1]);
        let error = from_file(&path).expect_err("too large");
        assert!(error.to_string().contains("not a key file"), "{error}");
        let (_dir, path) = file_with(&vec![b' '; MAX_KEY_FILE]);
        assert_eq!(from_file(&path).expect("at the limit").len(), MAX_KEY_FILE);
    }

    proptest! {
        // A fixed seed: the same 512 cases each run, so CI is deterministic.
        #![proptest_config(ProptestConfig {
            cases: 512,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x05ec_2e75),
            ..ProptestConfig::default()
        })]

        /// A variable that is not set, empty, not UTF-8, or a "name" that is not one: the
        /// message is one of a few fixed texts, so it cannot carry the name (which may be
        /// a key pasted in its place).
        #[test]
        fn an_unusable_variable_name_is_never_echoed(name in variable_name(), blank in "[ \t]{0,3}") {
            let unset = from_env_in(&name, &|_| Err(VarError::NotPresent));
            let empty = from_env_in(&name, &|_| Ok(blank.clone()));
            let not_text = from_env_in(&name, &|_| Err(VarError::NotUnicode(OsString::from("x"))));
            for (result, problem) in [(unset, "is not set"), (empty, "is empty"), (not_text, "is not valid UTF-8")] {
                let error = result.expect_err("nothing usable is set");
                let text = error.to_string();
                let fixed = format!(
                    "the environment variable named on the command line {problem} \
                     (its name is not repeated, in case a key was pasted in its place)"
                );
                prop_assert!(text == NAME_REFUSED || text == fixed, "{text}");
            }
        }

        /// A set variable gives its value exactly; keys read from it either load or fail
        /// without showing the value (its name may show: it is a name).
        #[test]
        fn values_from_the_environment_are_never_echoed(
            name in "[A-Za-z_][A-Za-z0-9_]{0,30}",
            value in secret_text(),
        ) {
            let env = one_var(&name, &value);
            match from_env_in(&name, &env) {
                Ok(read) => prop_assert_eq!(read.as_str(), value.as_str()),
                Err(error) => {
                    prop_assert!(value.trim().is_empty(), "{error}");
                    assert_not_echoed(&error, &value, &[&name]);
                }
            }
            if let Err(error) = eth_key_in(Some(&name), None, &env) {
                assert_not_echoed(&error, &value, &[&name]);
            }
            if let Err(error) = solana_key_in(Some(&name), None, &env) {
                assert_not_echoed(&error, &value, &[&name]);
            }
        }

        /// Any bytes in a key file (text or not): loading fails without showing them, or
        /// loads a key.
        #[test]
        fn key_files_are_never_echoed(
            content in prop_oneof![
                prop::collection::vec(any::<u8>(), 0..200),
                secret_text().prop_map(String::into_bytes),
            ],
        ) {
            let (_dir, path) = file_with(&content);
            let shown = path.display().to_string();
            let secret = String::from_utf8_lossy(&content);
            let no_env = |_: &str| Err(VarError::NotPresent);
            if let Err(error) = eth_key_in(None, Some(&path), &no_env) {
                assert_not_echoed(&error, &secret, &[&shown]);
            }
            if let Err(error) = solana_key_in(None, Some(&path), &no_env) {
                assert_not_echoed(&error, &secret, &[&shown]);
            }
        }

        /// An Ethereum key written any usual way (with or without 0x, either case,
        /// surrounded by whitespace) loads as itself from a variable and from a file.
        #[test]
        fn a_valid_ethereum_key_round_trips(
            key in any::<[u8; 32]>(),
            prefix in prop_oneof![Just(""), Just("0x")],
            upper in any::<bool>(),
            padding in "[ \t\n]{0,2}",
        ) {
            let canonical = hex::encode(key);
            let Ok(expected) = LocalEthSigner::from_hex(&canonical) else {
                // Zero or not below the group order: not a key (about 2^-128 of inputs).
                return Ok(());
            };
            let digits = if upper { canonical.to_uppercase() } else { canonical };
            let text = format!("{padding}{prefix}{digits}{padding}");
            let env = one_var("PRIVATE_KEY", &text);
            let from_env = eth_key_in(Some("PRIVATE_KEY"), None, &env).expect("a valid key loads");
            prop_assert_eq!(from_env.address(), expected.address());
            let (_dir, path) = file_with(text.as_bytes());
            let from_file = eth_key_in(None, Some(&path), &|_| Err(VarError::NotPresent))
                .expect("a valid key file loads");
            prop_assert_eq!(from_file.address(), expected.address());
        }

        /// A Solana keypair in the CLI's file format loads as itself from a file and from
        /// a variable.
        #[test]
        fn a_valid_solana_keypair_round_trips(seed in any::<[u8; 32]>(), padding in "[ \t\n]{0,2}") {
            let keypair = SolanaKeypair::from_seed_bytes(seed);
            let json = format!("{padding}{}{padding}", keypair.to_keypair_json().as_str());
            let (_dir, path) = file_with(json.as_bytes());
            let no_env = |_: &str| Err(VarError::NotPresent);
            let from_file = solana_key_in(None, Some(&path), &no_env).expect("a keypair file loads");
            prop_assert_eq!(from_file.pubkey(), keypair.pubkey());
            let env = one_var("SOLANA_KEYPAIR", &json);
            let from_env = solana_key_in(Some("SOLANA_KEYPAIR"), None, &env).expect("a keypair loads");
            prop_assert_eq!(from_env.pubkey(), keypair.pubkey());
        }
    }
}
