//! Running the built `authctl` binary, shared by this crate's test files.
//!
//! It lives here and not in `auth-test-support`: `env!("CARGO_BIN_EXE_authctl")` exists
//! only while compiling `authctl`'s own integration tests.
#![allow(dead_code, unreachable_pub)] // each test binary uses a different part; `pub` is for its siblings

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

/// Variables a developer's shell may set that would change what a command does; every run
/// starts without them, and a test passes them in `env` when it means to.
const CLEARED: [&str; 3] = ["PK", "PEAR_BASE_URL", "PUMP_BASE_URL"];

/// Runs `authctl args` with `env` added to the environment and `stdin` (empty when
/// `None`) on its standard input; waits for it to exit.
pub fn authctl_with_stdin(args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    run(
        Command::new(env!("CARGO_BIN_EXE_authctl")),
        args,
        env,
        stdin,
    )
}

/// Runs `authctl args` in the working directory `dir`, with `env` added to the
/// environment and nothing on its standard input.
pub fn authctl_in(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_authctl"));
    cmd.current_dir(dir);
    run(cmd, args, env, None)
}

/// Runs `cmd` with `args`, `env` added, `CLEARED` removed and `stdin` on its standard input.
fn run(mut cmd: Command, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for name in CLEARED {
        cmd.env_remove(name);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

/// Runs `authctl args` with `env` added to the environment and nothing on its standard
/// input.
pub fn authctl(args: &[&str], env: &[(&str, &str)]) -> Output {
    authctl_with_stdin(args, env, None)
}

/// What the command wrote to standard error, as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The JSON a successful command printed on standard output (fails the test, with its
/// stderr, if the command failed).
pub fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
