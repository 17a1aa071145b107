//! `redis-server` for the tests: the Redis store's tests start a real one (Debian's
//! package). `cargo xtask test` installs it when it is missing and that is possible
//! (root, with apt-get), or says in one line how to. The same for Debian's `chromium`
//! and `chromium-driver`, which auth-browser's browser tests drive.

use std::path::Path;
use std::process::Command;

/// The program the tests start.
const PROGRAM: &str = "redis-server";

/// Whether `redis-server` is on PATH now, after installing it if it was missing and this
/// process may (root, apt-get on PATH). `false` after printing one line on how to install
/// it.
pub(crate) fn ensure() -> bool {
    ensure_packages(&[PROGRAM], &[PROGRAM], "the Redis store's tests start one")
}

/// Whether `chromium` and `chromedriver` are on PATH now (Debian's `chromium` and
/// `chromium-driver`: auth-browser's tests drive a headless Chromium), after installing
/// them like [`ensure`].
pub(crate) fn ensure_chromium() -> bool {
    ensure_packages(
        &["chromium", "chromedriver"],
        &["chromium", "chromium-driver"],
        "auth-browser's tests drive a headless Chromium",
    )
}

/// Whether all `programs` are on PATH, after installing `packages` with apt-get if one
/// was missing and this process may; `why` says who needs them.
fn ensure_packages(programs: &[&str], packages: &[&str], why: &str) -> bool {
    if programs.iter().all(|p| on_path(p)) {
        return true;
    }
    let list = packages.join(" ");
    if !(is_root() && on_path("apt-get")) {
        eprintln!(
            "==> {list} missing ({why}): install with `sudo apt-get install {list}`, then run `cargo xtask test` again"
        );
        return false;
    }
    eprintln!("==> {list} missing; installing with apt-get");
    let apt = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .is_ok_and(|status| status.success())
    };
    let mut install = vec!["install", "-y", "--no-install-recommends"];
    install.extend_from_slice(packages);
    if !apt(&["update"]) || !apt(&install) {
        eprintln!(
            "==> apt-get could not install {list}; install by hand and run `cargo xtask test` again"
        );
        return false;
    }
    programs.iter().all(|p| on_path(p))
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
