//! The token store of `authctl pear token` / `pump token` must be able to hold the token
//! (issue 21, M2): a store that cannot is an error before any login, never a silent login
//! on every call. A store holding an entry it cannot use is not an error (it is replaced).
//! `redis://` and `rediss://` in any case name Redis; another `scheme://` is a usage error.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod support;

use std::path::Path;
use std::process::Output;
use std::time::SystemTime;

use auth_sandbox::{Counters, Sandbox, SandboxConfig};
use auth_test_support::redis::RedisServer;
use support::{authctl, authctl_in, stderr};

const KEY: &str = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig::default()).await.unwrap()
}

/// `authctl pear token` against the sandbox with the store `store`, in the directory `cwd`.
fn pear_token(sb: &Sandbox, cwd: &Path, store: &str) -> Output {
    authctl_in(
        cwd,
        &[
            "pear",
            "token",
            "--base-url",
            &sb.pear_url(),
            "--private-key-env",
            "PK",
            "--store",
            store,
        ],
        &[("PK", KEY)],
    )
}

/// `authctl pump token` against the sandbox with the store `store`.
fn pump_token(sb: &Sandbox, store: &str) -> Output {
    let keypair = auth_signing::solana::SolanaKeypair::from_seed_bytes([0x21; 32]);
    authctl(
        &[
            "pump",
            "token",
            "--base-url",
            &sb.pump_url(),
            "--keypair-env",
            "KP",
            "--store",
            store,
        ],
        &[("KP", keypair.to_keypair_json().as_str())],
    )
}

/// The printed token of a command that must have succeeded.
fn token(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        stderr(out)
    );
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    text.trim_end().to_owned()
}

/// Asserts that `out` failed with exit status `code` and one `error:` line containing
/// each of `words`, printed nothing on stdout, and returns the line.
fn refused(out: &Output, code: i32, words: &[&str]) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "stderr: {err}");
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: "), "{err}");
    for word in words {
        assert!(err.contains(word), "{word:?} is not in: {err}");
    }
    err
}

fn no_server_calls(c: &Counters) {
    assert_eq!(
        (
            c.pear_messages,
            c.pear_logins,
            c.pear_refreshes,
            c.pump_logins
        ),
        (0, 0, 0, 0),
        "{c:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_in_a_directory_that_does_not_exist_is_refused_and_never_logs_in() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    let store = missing.join("t.json");
    let store = store.to_str().unwrap();
    for _ in 0..3 {
        refused(
            &pear_token(&sb, dir.path(), store),
            1,
            &[missing.to_str().unwrap(), "does not exist"],
        );
    }
    refused(&pump_token(&sb, store), 1, &["does not exist"]);
    no_server_calls(&sb.counters());
    assert!(!missing.exists(), "something was written");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_that_is_a_directory_or_whose_lock_file_cannot_be_made_is_refused() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    refused(
        &pear_token(&sb, dir.path(), path),
        1,
        &[path, "is a directory"],
    );
    // The lock file `{store}.lock` cannot be created: a directory is in its place.
    let store = dir.path().join("t.json");
    let lock = dir.path().join("t.json.lock");
    std::fs::create_dir(&lock).unwrap();
    refused(
        &pear_token(&sb, dir.path(), store.to_str().unwrap()),
        1,
        &[lock.to_str().unwrap()],
    );
    refused(&pump_token(&sb, store.to_str().unwrap()), 1, &["lock"]);
    no_server_calls(&sb.counters());
    assert!(!store.exists());
}

/// sysfs refuses new files to everyone, root included (tests may run as root, for whom a
/// `chmod 500` directory is writable).
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_in_a_directory_that_cannot_be_written_is_refused() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let store = "/sys/authctl-test-tokens.json";
    for _ in 0..2 {
        refused(&pear_token(&sb, dir.path(), store), 1, &["/sys"]);
    }
    no_server_calls(&sb.counters());
}

/// Not an error: a corrupt entry is ignored, the command logs in and replaces it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_entry_is_replaced_not_refused() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("t.json");
    std::fs::write(&store, "this is not a token file").unwrap();
    let store = store.to_str().unwrap();
    let first = token(&pear_token(&sb, dir.path(), store));
    assert!(sb.pear_access_token_valid_at(&first, SystemTime::now()));
    assert_eq!(token(&pear_token(&sb, dir.path(), store)), first);
    assert_eq!(sb.counters().pear_logins, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_schemes_are_case_insensitive_and_other_schemes_are_usage_errors() {
    let sb = sandbox().await;
    let redis = RedisServer::start();
    let cwd = tempfile::tempdir().unwrap();
    let upper = format!("REDIS://127.0.0.1:{}/0", redis.port());
    let first = token(&pear_token(&sb, cwd.path(), &upper));
    let mixed = format!("Redis://127.0.0.1:{}/0", redis.port());
    assert_eq!(token(&pear_token(&sb, cwd.path(), &mixed)), first);
    assert_eq!(sb.counters().pear_logins, 1);
    // Taken as Redis, not as a relative file path: nothing was created here.
    assert_eq!(std::fs::read_dir(cwd.path()).unwrap().count(), 0);

    // A Redis that is down, named in capitals, is a Redis that is down.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let down = format!("REDISS://127.0.0.1:{port}/0");
    refused(
        &pear_token(&sb, cwd.path(), &down),
        1,
        &["cannot be reached"],
    );

    // Any other scheme is a usage error, never a file path.
    for url in [
        "http://127.0.0.1:1/tokens",
        "file:///tmp/tokens.json",
        "Https://x/y",
    ] {
        refused(&pear_token(&sb, cwd.path(), url), 2, &["--store"]);
    }
    assert_eq!(std::fs::read_dir(cwd.path()).unwrap().count(), 0);
    assert_eq!(sb.counters().pear_logins, 1);
}

/// A Redis that answers reads but refuses writes (a replica) cannot hold the token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_that_refuses_writes_is_refused_before_logging_in() {
    let sb = sandbox().await;
    let redis = RedisServer::start();
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port().to_string()
    };
    let answer = redis.command(&[b"REPLICAOF", b"127.0.0.1", port.as_bytes()]);
    assert!(
        answer.starts_with(b"+OK"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    let cwd = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        refused(
            &pear_token(&sb, cwd.path(), &redis.url()),
            1,
            &["token store"],
        );
    }
    no_server_calls(&sb.counters());
}
