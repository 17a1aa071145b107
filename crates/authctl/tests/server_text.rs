//! A hostile server's text reaches `authctl`'s standard error escaped: no escape sequence
//! (window title, screen clear, colours), no bidi override, no invisible character gets
//! to the terminal through an error message.
//!
//! The server is a few lines over a loopback `TcpListener` answering every request the
//! same: the sandbox serves only honest domains.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod support;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpListener;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::json;
use support::{authctl, stderr};

/// A window-title escape, a screen clear, a green fake success on a new line, a bidi
/// override, an isolate, zero-width and C1 characters.
const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[H\u{1b}[32mOK logged in\u{1b}[0m\r\n\
     \u{202e}gnp.exe\u{202c}\u{2066}x\u{2069}\u{200b}\u{2028}\u{9b}31m";

const ADDRESS: &str = "0xad1c2d81e22c7a4edfe1901bc68f97f4c34d297d";

/// Starts a server on 127.0.0.1 that answers every request with `status` and the JSON
/// `body`; returns its base URL. It runs until the test process ends.
fn serve(status: u16, body: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            // Read the request head and body, so closing the socket cannot reset the
            // connection before the client read the answer.
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some((name, value)) = line.split_once(':')
                    && name.eq_ignore_ascii_case("content-length")
                {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
            let mut request_body = vec![0; length];
            let _ = reader.read_exact(&mut request_body);
            let answer = format!(
                "HTTP/1.1 {status} Hostile\r\ncontent-type: application/json\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    url
}

/// Fails if `err` (a command's standard error) holds a control character other than the
/// final newline, or an invisible format character; checks the escapes of `shown` are
/// there.
fn assert_escaped(what: &str, err: &str, shown: &str) {
    let line = err.strip_suffix('\n').unwrap_or(err);
    assert!(
        !err.as_bytes().contains(&0x1b),
        "{what}: an ESC byte: {err:?}"
    );
    if let Some(c) = line.chars().find(|c| {
        c.is_control()
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}')
    }) {
        panic!("{what}: U+{:04X} reached stderr raw: {err:?}", u32::from(c));
    }
    assert!(err.starts_with("error: "), "{what}: {err}");
    assert!(line.contains(shown), "{what}: {err}");
}

#[test]
fn pear_message_shows_a_hostile_domain_name_escaped() {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut domain = auth_test_support::pear::live_domain();
    domain["name"] = json!(HOSTILE);
    let url = serve(
        200,
        auth_test_support::pear::login_message(ADDRESS, now, domain),
    );
    let out = authctl(
        &["pear", "message", "--base-url", &url, "--address", ADDRESS],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "nothing to sign is printed");
    let err = stderr(&out);
    // Cut after 64 characters, between two escapes.
    assert_escaped(
        "pear message",
        &err,
        r"domain name is `\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[H\u{1b}[32mOK logged in\u{1b}…`,",
    );
}

#[test]
fn pear_refresh_shows_a_hostile_refusal_escaped() {
    let url = serve(
        401,
        json!({"message": HOSTILE, "error": "Unauthorized", "statusCode": 401}).to_string(),
    );
    let out = authctl(
        &[
            "pear",
            "refresh",
            "--base-url",
            &url,
            "--refresh-token-env",
            "AUTHCTL_TEST_REFRESH",
        ],
        &[("AUTHCTL_TEST_REFRESH", "refresh-token-0123456789")],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("401"), "{err}");
    assert!(!err.contains("refresh-token-0123456789"), "{err}");
    assert_escaped(
        "pear refresh",
        &err,
        r"\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[H\u{1b}[32mOK logged in\u{1b}[0m\r\n\u{202e}gnp.exe\u{202c}\u{2066}x\u{2069}\u{200b}\u{2028}\u{9b}31m; log in again",
    );
}
