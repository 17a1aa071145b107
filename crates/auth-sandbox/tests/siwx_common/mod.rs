//! What the SIWE and SIWS tests share: a wallet of either kind, the message text, and
//! the flows every backend must pass, driven over real HTTP.

#![allow(dead_code, unreachable_pub)] // each test binary uses a different part

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::common::{Reply, get, post};

mod refusals;

pub use refusals::{malformed, refusals};

/// A wallet that signs sign-in messages of one kind.
pub trait Wallet {
    /// The account as it goes in the message.
    fn address(&self) -> String;
    /// `Ethereum` or `Solana`.
    fn chain(&self) -> &'static str;
    /// The `Chain ID` line's value.
    fn chain_id(&self) -> &'static str;
    /// The signature of `text`, in the wire encoding.
    fn sign(&self, text: &str) -> String;
}

/// Unix milliseconds now.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` of unix milliseconds (Howard Hinnant's civil_from_days).
pub fn iso(ms: u64) -> String {
    let (secs, millis) = (ms / 1000, ms % 1000);
    let (days, of_day) = (secs / 86_400, secs % 86_400);
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// The authority of a base URL (`127.0.0.1:<port>`): the domain a backend expects.
pub fn authority(base: &str) -> &str {
    base.strip_prefix("http://").unwrap()
}

/// A sign-in message for `wallet`, issued now.
pub fn message(wallet: &dyn Wallet, domain: &str, nonce: &str) -> String {
    message_at(wallet, domain, nonce, now_ms(), "")
}

/// A sign-in message with a statement, issued at `issued_ms`, with `tail` (further
/// field lines, each starting with `\n`) at the end.
pub fn message_at(
    wallet: &dyn Wallet,
    domain: &str,
    nonce: &str,
    issued_ms: u64,
    tail: &str,
) -> String {
    format!(
        "{domain} wants you to sign in with your {} account:\n{}\n\nSign in to the sandbox.\n\n\
         URI: http://{domain}/\nVersion: 1\nChain ID: {}\nNonce: {nonce}\nIssued At: {}{tail}",
        wallet.chain(),
        wallet.address(),
        wallet.chain_id(),
        iso(issued_ms)
    )
}

/// `{message, signature}` with `wallet`'s signature.
pub fn signed(wallet: &dyn Wallet, text: &str) -> Value {
    json!({"message": text, "signature": wallet.sign(text)})
}

/// A cookie-mode nonce (`GET /nonce`, text).
pub async fn cookie_nonce(base: &str) -> String {
    let reply = get(&format!("{base}/nonce"), &[]).await;
    assert_eq!(reply.status, 200);
    let kind = reply.headers["content-type"].to_str().unwrap();
    assert!(kind.starts_with("text/plain"), "{kind}");
    assert_eq!(reply.text.len(), 17, "{}", reply.text);
    assert!(reply.text.bytes().all(|c| c.is_ascii_alphanumeric()));
    reply.text
}

/// A token-mode nonce (`GET /auth/nonce`, `{nonce}`).
pub async fn token_nonce(base: &str) -> String {
    let reply = get(&format!("{base}/auth/nonce"), &[]).await;
    assert_eq!(reply.status, 200);
    let nonce = reply.body["nonce"].as_str().unwrap().to_owned();
    assert_eq!(nonce.len(), 17);
    nonce
}

/// A token login with a fresh nonce: its answer.
pub async fn token_login(base: &str, wallet: &dyn Wallet) -> Reply {
    let nonce = token_nonce(base).await;
    let text = message(wallet, authority(base), &nonce);
    post(&format!("{base}/auth/login"), &signed(wallet, &text), &[]).await
}

/// The `connect.sid=…` pair of a `Set-Cookie`, after checking its attributes.
pub fn session_pair(reply: &Reply) -> String {
    let cookie = reply.headers["set-cookie"].to_str().unwrap();
    let mut parts = cookie.split("; ");
    let pair = parts.next().unwrap();
    assert!(
        pair.starts_with("connect.sid=") && pair.len() > 20,
        "{cookie}"
    );
    let attributes: Vec<&str> = parts.collect();
    assert_eq!(
        attributes,
        ["Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=3600"],
        "{cookie}"
    );
    pair.to_owned()
}

/// A cookie login, `/personal_information`, logout, and the cookie refused afterwards.
pub async fn cookie_flow(base: &str, wallet: &dyn Wallet, canonical: &str) {
    let nonce = cookie_nonce(base).await;
    let text = message(wallet, authority(base), &nonce);
    let login = post(&format!("{base}/verify"), &signed(wallet, &text), &[]).await;
    assert_eq!(login.status, 200, "{}", login.text);
    assert_eq!(login.body, json!(true));
    let pair = session_pair(&login);
    let info_url = format!("{base}/personal_information");
    let cookies = format!("theme=dark; {pair}");
    let info = get(&info_url, &[("cookie", &cookies)]).await;
    assert_eq!(info.status, 200);
    assert!(
        info.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert_eq!(
        info.text,
        format!("You are authenticated and your address is: {canonical}")
    );
    let anonymous = get(&info_url, &[]).await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(anonymous.body["message"], "You have to first sign_in");
    let out = post(&format!("{base}/logout"), &json!({}), &[("cookie", &pair)]).await;
    assert_eq!(out.status, 200);
    assert!(
        out.headers["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(get(&info_url, &[("cookie", &pair)]).await.status, 401);
    let again = post(&format!("{base}/logout"), &json!({}), &[("cookie", &pair)]).await;
    assert_eq!(again.status, 401);
}

/// A token login, `/me`, a rotating refresh with the reuse refused, and logout.
pub async fn token_flow(base: &str, wallet: &dyn Wallet, canonical: &str) {
    let login = token_login(base, wallet).await;
    assert_eq!(login.status, 200, "{}", login.text);
    assert_eq!(login.body["expiresIn"], 900);
    let access = login.body["accessToken"].as_str().unwrap();
    assert_eq!(access.split('.').count(), 3, "a JWT");
    let me = |token: String| async move {
        get(
            &format!("{base}/me"),
            &[("authorization", &format!("Bearer {token}"))],
        )
        .await
    };
    let who = me(access.to_owned()).await;
    assert_eq!(who.status, 200);
    assert_eq!(who.body, json!({"address": canonical}));
    assert_eq!(get(&format!("{base}/me"), &[]).await.status, 401);
    let refresh_url = format!("{base}/auth/refresh");
    let first = login.body["refreshToken"].clone();
    let renewed = post(&refresh_url, &json!({"refreshToken": first}), &[]).await;
    assert_eq!(renewed.status, 200, "{}", renewed.text);
    assert_ne!(renewed.body["refreshToken"], first);
    let reuse = post(&refresh_url, &json!({"refreshToken": first}), &[]).await;
    assert_eq!(reuse.status, 401);
    assert_eq!(reuse.body["message"], "Refresh token has already been used");
    let access = renewed.body["accessToken"].as_str().unwrap().to_owned();
    assert_eq!(me(access.clone()).await.status, 200);
    let second = renewed.body["refreshToken"].clone();
    let out = post(
        &format!("{base}/auth/logout"),
        &json!({"refreshToken": second}),
        &[("authorization", &format!("Bearer {access}"))],
    )
    .await;
    assert_eq!(out.status, 204);
    assert_eq!(me(access).await.status, 401, "the access token is dead");
    let after = post(&refresh_url, &json!({"refreshToken": second}), &[]).await;
    assert_eq!(after.status, 401, "the refresh token is dead");
    assert_eq!(after.body["message"], "Invalid or expired refresh token");
}

/// A count of a backend by name.
pub fn count(counts: &[(&'static str, u64)], name: &str) -> u64 {
    counts
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| *v)
        .unwrap_or_else(|| panic!("no count {name}"))
}
