//! `authctl pear token` and `authctl pump token` sharing a file or a Redis store.

use std::time::{Duration, SystemTime};

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_test_support::redis::RedisServer;

use super::support::{authctl, stderr};
use super::{KEY, TOKEN_LIFETIME, sandbox};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authctl_token_prints_a_stored_token_without_the_network_and_renews_once() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("tokens.json");
    let store = store.to_str().unwrap();
    let base = sb.pear_url();
    let token = |env: &[(&str, &str)]| {
        let mut vars = vec![("PK", KEY)];
        vars.extend_from_slice(env);
        authctl(
            &[
                "pear",
                "token",
                "--base-url",
                &base,
                "--private-key-env",
                "PK",
                "--store",
                store,
            ],
            &vars,
        )
    };
    let first = token(&[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let first = String::from_utf8(first.stdout).unwrap();
    assert_eq!(first.lines().count(), 1);
    let first = first.trim_end();
    assert!(sb.pear_access_token_valid_at(first, SystemTime::now()));
    // Stored and still good: printed again, no request at all.
    let before = sb.counters();
    let again = token(&[]);
    assert_eq!(String::from_utf8(again.stdout).unwrap().trim_end(), first);
    let after = sb.counters();
    assert_eq!(after.pear_messages, before.pear_messages);
    assert_eq!(after.pear_logins, before.pear_logins);
    assert_eq!(after.pear_refreshes, before.pear_refreshes);
    // Once due (past half the lifetime), four processes at once renew it once.
    tokio::time::sleep(TOKEN_LIFETIME / 2 + Duration::from_millis(500)).await;
    let outs: Vec<_> = (0..4)
        .map(|_| {
            let base = base.clone();
            let store = store.to_owned();
            std::thread::spawn(move || {
                authctl(
                    &[
                        "pear",
                        "token",
                        "--base-url",
                        &base,
                        "--private-key-env",
                        "PK",
                        "--store",
                        &store,
                    ],
                    &[("PK", KEY)],
                )
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    for out in &outs {
        assert!(out.status.success(), "{}", stderr(out));
        let printed = String::from_utf8(out.stdout.clone()).unwrap();
        assert!(sb.pear_access_token_valid_at(printed.trim_end(), SystemTime::now()));
    }
    let c = sb.counters();
    assert_eq!(c.pear_refreshes, 1, "{c:?}");
    assert_eq!(c.pear_logins, 1);
    assert_eq!(c.refused_reuses, 0);
    // The file is private.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(store).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pump_token_uses_the_default_store_under_the_state_directory() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let state = tempfile::tempdir().unwrap();
    let keypair = auth_signing::solana::SolanaKeypair::from_seed_bytes([0x44; 32]);
    let secret = keypair.to_keypair_json().as_str().to_owned();
    let run = || {
        authctl(
            &[
                "pump",
                "token",
                "--base-url",
                &sb.pump_url(),
                "--keypair-env",
                "KP",
            ],
            &[
                ("KP", &secret),
                ("XDG_STATE_HOME", state.path().to_str().unwrap()),
            ],
        )
    };
    let first = run();
    assert!(first.status.success(), "{}", stderr(&first));
    let second = run();
    assert_eq!(first.stdout, second.stdout);
    assert_eq!(sb.counters().pump_logins, 1);
    let files: Vec<_> = std::fs::read_dir(state.path().join("authctl"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let wallet = keypair.pubkey().to_string();
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("pump.fun_127.0.0.1_") && f.contains(&wallet)),
        "{files:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authctl_token_shares_a_redis_store_with_its_password_from_a_variable() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let password = "p@ss w0rd:/x";
    let redis = RedisServer::start_with_password(password);
    let url = format!("redis://127.0.0.1:{}/0", redis.port());
    let base = sb.pear_url();
    let run = |store: &str, env: &[(&str, &str)]| {
        let mut vars = vec![("PK", KEY)];
        vars.extend_from_slice(env);
        let mut args = vec![
            "pear",
            "token",
            "--base-url",
            &base,
            "--private-key-env",
            "PK",
            "--store",
            store,
        ];
        if env.iter().any(|(k, _)| *k == "REDIS_PASSWORD") {
            args.extend(["--store-password-env", "REDIS_PASSWORD"]);
        }
        authctl(&args, &vars)
    };
    let first = run(&url, &[("REDIS_PASSWORD", password)]);
    assert!(first.status.success(), "{}", stderr(&first));
    let second = run(&url, &[("REDIS_PASSWORD", password)]);
    assert_eq!(first.stdout, second.stdout);
    assert_eq!(sb.counters().pear_logins, 1);
    // A wrong password is a clear failure that does not show it.
    let wrong = run(&url, &[("REDIS_PASSWORD", "not-the-password")]);
    let err = stderr(&wrong);
    assert!(!wrong.status.success());
    assert!(!err.contains("not-the-password"), "{err}");
    // A password in the URL (visible in the process list) is refused without echoing it.
    let inline = format!("redis://:hunter22@127.0.0.1:{}/0", redis.port());
    let out = run(&inline, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains("hunter22"), "{}", stderr(&out));
}
