//! `redis-server` for the tests: the Redis store's tests start a real one (Debian's
//! package). `cargo xtask test` installs it when it is missing and that is possible
//! (root, with apt-get), or says in one line how to.

use std::path::Path;
use std::process::Command;

/// The program the tests start.
const PROGRAM: &str = "redis-server";

/// Whether `redis-server` is on PATH now, after installing it if it was missing and this
/// process may (root, apt-get on PATH). `false` after printing one line on how to install
/// it.
pub(crate) fn ensure() -> bool {
    if on_path(PROGRAM) {
        return true;
    }
    if !(is_root() && on_path("apt-get")) {
        eprintln!(
            "==> redis-server is missing (the Redis store's tests start one): install it with `sudo apt-get install redis-server` (or your system's redis package), then run `cargo xtask test` again"
        );
        return false;
    }
    eprintln!("==> redis-server is missing; installing it with apt-get");
    let apt = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .is_ok_and(|status| status.success())
    };
    if !apt(&["update"]) || !apt(&["install", "-y", "--no-install-recommends", PROGRAM]) {
        eprintln!(
            "==> apt-get could not install redis-server; install it by hand and run `cargo xtask test` again"
        );
        return false;
    }
    on_path(PROGRAM)
}

/// Whether an executable file named `name` is in a directory of PATH.
fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| is_executable(&dir.join(name))))
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        path.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// Whether this process runs as root (`id -u` says 0).
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.status.success() && out.stdout.trim_ascii() == b"0")
}
