//! The `authctl` binary, run as a user would.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod support;

use std::path::PathBuf;

use support::authctl_with_stdin as authctl;

const COW_KEY: &str = "c85ef7d79691fe79573b1a7064c19c1a9819ebdbd1faaab1a8ec92344438aaf4";
const COW_ADDRESS: &str = "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826";
const MAIL_SIGNING_HASH: &str =
    "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2";

const MAIL: &str = r#"{
  "types": {
    "EIP712Domain": [
      {"name": "name", "type": "string"}, {"name": "version", "type": "string"},
      {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
    "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
    "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person"},
             {"name": "contents", "type": "string"}]
  },
  "primaryType": "Mail",
  "domain": {"name": "Ether Mail", "version": "1", "chainId": 1,
             "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
  "message": {
    "from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
    "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
    "contents": "Hello, Bob!"
  }
}"#;

/// A scratch directory unique to one test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("authctl-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn hash_typed_data_prints_one_line_per_file_and_continues_past_bad_files() {
    let dir = scratch("hash");
    let good = dir.join("mail.json");
    let bad = dir.join("bad.json");
    std::fs::write(&good, MAIL).unwrap();
    std::fs::write(&bad, MAIL.replace("\"chainId\": 1", "\"chainId\": 1.5")).unwrap();
    let missing = dir.join("missing.json");
    let out = authctl(
        &[
            "hash",
            "typed-data",
            good.to_str().unwrap(),
            bad.to_str().unwrap(),
            missing.to_str().unwrap(),
            "-",
        ],
        &[],
        Some(MAIL),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        format!("{MAIL_SIGNING_HASH}\n{MAIL_SIGNING_HASH}\n")
    );
    let stderr = text(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[0].starts_with("error: ") && lines[0].contains("bad.json"));
    assert!(lines[0].contains("domain.chainId"), "{stderr}");
    assert!(lines[1].contains("missing.json"));
}

#[test]
fn hash_typed_data_json_output() {
    let out = authctl(&["hash", "typed-data", "--json", "-"], &[], Some(MAIL));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("{\"domainSeparator\":\"0xf2cee375"),
        "{stdout}"
    );
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(v["signingHash"], MAIL_SIGNING_HASH);
    assert_eq!(
        v["structHash"],
        "0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e"
    );
}

#[test]
fn sign_typed_data_with_key_from_env() {
    let out = authctl(
        &["sign", "typed-data", "--private-key-env", "PK", "-"],
        &[("PK", COW_KEY)],
        Some(MAIL),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).starts_with("signing Mail for domain \"Ether Mail\" (chain 1) as 0xCD2a")
    );
    assert_eq!(
        text(&out.stdout).trim(),
        "0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b915621c"
    );
}

#[test]
fn sign_personal_and_address() {
    let out = authctl(
        &["address", "--private-key-env", "PK"],
        &[("PK", &format!("0x{COW_KEY}"))],
        None,
    );
    assert_eq!(text(&out.stdout).trim(), COW_ADDRESS);

    let out = authctl(
        &["sign", "personal", "--private-key-env", "PK", "hello"],
        &[("PK", COW_KEY)],
        None,
    );
    assert!(out.status.success());
    let sig = text(&out.stdout);
    assert!(sig.starts_with("0x") && sig.trim().len() == 132, "{sig}");
}

#[test]
fn solana_keypair_file_and_env() {
    let dir = scratch("solana");
    let file = dir.join("id.json");
    // The first tweetnacl vector of the shared test data.
    let keypair_json = "[74,11,226,236,195,29,212,240,165,87,47,114,152,158,93,142,120,123,242,179,78,215,56,248,165,164,72,224,154,70,26,240,207,0,36,70,170,170,251,149,86,43,13,170,35,27,112,0,119,68,77,75,24,74,123,247,176,43,9,140,199,6,86,215]";
    std::fs::write(&file, keypair_json).unwrap();
    let out = authctl(&["address", "--keypair", file.to_str().unwrap()], &[], None);
    assert_eq!(
        text(&out.stdout).trim(),
        "Ew3X67EttAp39P9qfTUVHzJNkdPponQnj7T96HrGeGSz"
    );
    let out = authctl(
        &["sign", "message", "--keypair-env", "KP", "--", ""],
        &[("KP", keypair_json)],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).trim(),
        "67c2pWeQrwqbnt7YkcpdKg3xMZmQ4kEoh53ixzM1BPVngXCvfpR4L3WVjv9MEgLN1WDyEQjX7p7gp1WyTbBX2c2V"
    );
    // The same keypair as base58 in an environment variable.
    let out = authctl(
        &["address", "--keypair-env", "KP"],
        &[(
            "KP",
            "2Us9kL1EuMYwijogqVSzTx9KBtrUaVK8g2k8xkvrnZsKKY3BGg6bzUXw5ZYZeX1xnUDnQ234FDrR3MVijqe4SYKp",
        )],
        None,
    );
    assert_eq!(
        text(&out.stdout).trim(),
        "Ew3X67EttAp39P9qfTUVHzJNkdPponQnj7T96HrGeGSz"
    );
}

#[test]
fn failures_exit_1_with_one_line_and_never_echo_the_key() {
    // A key with one bad character: the error must not print any of it.
    let bad_key = format!("{}zz", &COW_KEY[..62]);
    let out = authctl(
        &["address", "--private-key-env", "PK"],
        &[("PK", &bad_key)],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: environment variable PK:"),
        "{stderr}"
    );
    assert!(!stderr.contains(&COW_KEY[..16]));

    let out = authctl(
        &["address", "--private-key-env", "UNSET_VAR_FOR_TEST"],
        &[],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("is not set"), "{stderr}");
    // A short key pasted where the name belongs looks like a name: it is never repeated.
    assert!(!stderr.contains("UNSET_VAR_FOR_TEST"), "{stderr}");
    let out = authctl(&["address", "--private-key-env", "hunter2x"], &[], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !text(&out.stderr).contains("hunter2x"),
        "{}",
        text(&out.stderr)
    );

    // A corrupt keypair file: pubkey half does not match.
    let dir = scratch("corrupt");
    let file = dir.join("id.json");
    let mut bytes = vec![1u8; 64];
    bytes[40] = 0;
    std::fs::write(&file, serde_json::to_string(&bytes).unwrap()).unwrap();
    let out = authctl(&["address", "--keypair", file.to_str().unwrap()], &[], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("does not match"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn usage_errors_exit_2() {
    // No key source at all.
    let out = authctl(&["sign", "personal", "hello"], &[], None);
    assert_eq!(out.status.code(), Some(2));
    // Two key sources at once.
    let out = authctl(
        &["address", "--private-key-env", "A", "--keypair-env", "B"],
        &[],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    // A secret cannot be passed as a value-bearing flag that does not exist.
    let out = authctl(&["address", "--private-key", COW_KEY], &[], None);
    assert_eq!(out.status.code(), Some(2));
    let out = authctl(&["hash", "typed-data"], &[], None);
    assert_eq!(out.status.code(), Some(2));
    // A key pasted where a variable name belongs is refused without being echoed.
    for pasted in [
        COW_KEY,
        &format!("0x{COW_KEY}")[..],
        "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef",
    ] {
        let out = authctl(&["address", "--private-key-env", pasted], &[], None);
        assert_eq!(out.status.code(), Some(2));
        let stderr = text(&out.stderr);
        assert!(!stderr.contains(&pasted[..20]), "{stderr}");
        assert!(
            stderr.contains("NAME of an environment variable"),
            "{stderr}"
        );
    }
}

/// One Solana key source at most, wherever one is taken; required by `sign message`, and
/// refused beside a signature made elsewhere.
#[test]
fn solana_key_flags_are_one_source() {
    let both = ["--keypair", "/nonexistent/id.json", "--keypair-env", "KP"];
    for command in [
        &["sign", "message", "x"][..],
        &["pump", "login"],
        &["pump", "token"],
    ] {
        let out = authctl(&[command, &both[..]].concat(), &[], None);
        assert_eq!(out.status.code(), Some(2), "{command:?}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("'--keypair <FILE>' cannot be used with '--keypair-env <VAR>'"),
            "{command:?}: {stderr}"
        );
    }
    let out = authctl(&["sign", "message", "x"], &[], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("<--keypair <FILE>|--keypair-env <VAR>>"),
        "{}",
        text(&out.stderr)
    );
    for key in [
        ["--keypair", "/nonexistent/id.json"],
        ["--keypair-env", "KP"],
    ] {
        let out = authctl(
            &[
                &["pump", "login", "--signature-env", "S"][..],
                &["--message", "m", "--wallet", "w"],
                &key,
            ]
            .concat(),
            &[],
            None,
        );
        assert_eq!(out.status.code(), Some(2), "{key:?}");
        assert!(
            text(&out.stderr).contains("cannot be used with"),
            "{}",
            text(&out.stderr)
        );
    }
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["hash", "typed-data", "--help"],
        vec!["sign", "typed-data", "--help"],
        vec!["sign", "message", "--help"],
        vec!["sign", "personal", "--help"],
        vec!["address", "--help"],
        vec!["pump", "login", "--help"],
        vec!["pump", "token", "--help"],
    ] {
        let out = authctl(&args, &[], None);
        assert!(out.status.success(), "{args:?}");
        assert!(text(&out.stdout).contains("Usage:"), "{args:?}");
    }
}

/// Standard output that cannot take the result (closed, or a full disk: `/dev/full`) is an
/// error with a message and exit status 1, never a panic (exit 101).
#[test]
fn an_unwritable_stdout_is_a_failure_with_a_message() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_authctl"))
        .args(["address", "--private-key-env", "AUTHCTL_TEST_KEY"])
        .env("AUTHCTL_TEST_KEY", COW_KEY)
        .stdin(std::process::Stdio::null())
        .stdout(full)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: cannot write the result to standard output"),
        "{stderr}"
    );
    assert!(!stderr.contains(COW_KEY));
}

#[test]
fn saving_a_login_is_only_for_browser_logins_and_a_token_needs_a_key_or_an_address() {
    // --save or --create-api-key without --browser; --store without --save; a token with
    // neither a key nor an address, or both: usage errors, nothing is contacted.
    for line in [
        "pear login --private-key-env PK --save",
        "pear login --private-key-env PK --create-api-key bot",
        "pear login --private-key-env PK --store x.json",
        "pump login --keypair-env KP --save",
        "pump login --keypair-env KP --store x.json",
        "pear token",
        "pear token --address 0x0000000000000000000000000000000000000001 --private-key-env PK",
        "pump token --wallet 11111111111111111111111111111111 --keypair-env KP",
    ] {
        let args: Vec<&str> = line.split(' ').collect();
        let out = authctl(&args, &[("PK", COW_KEY)], None);
        assert_eq!(out.status.code(), Some(2), "{line}: {}", text(&out.stderr));
    }
}
