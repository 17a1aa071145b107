//! The commands added for signing elsewhere, Privy, pump.fun's login formats and origin,
//! against the sandbox, run as a user would.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

#[path = "../support/mod.rs"]
mod support;

mod pear;
mod pump;

use std::process::Output;

use support::{authctl, stderr};

const KEY: &str = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
const OTHER_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000001";

fn stdout_line(out: &Output) -> String {
    assert!(out.status.success(), "{}", stderr(out));
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .trim_end()
        .to_owned()
}

fn address_of(key: &str) -> String {
    stdout_line(&authctl(
        &["address", "--private-key-env", "PK"],
        &[("PK", key)],
    ))
}
