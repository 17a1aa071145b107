//! pump.fun response decoding: any status, headers and body, answered to every
//! `PumpClient` call in both login formats. Invariants: no panic; success only on 2xx;
//! an error status always surfaces as an error with that status; errors never show the
//! token that was sent; tokens stay redacted.
#![no_main]

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use async_trait::async_trait;
use auth_signing::solana::SolanaSignature;
use auth_signing::{SignerError, SolanaSigner};
use auth_transport::from_fn;
use auth_transport::http::StatusCode;
use auth_types::{AccessToken, SolanaPubkey};
use libfuzzer_sys::fuzz_target;
use pump_auth::{LoginFormat, PumpClient, PumpError};
use wallet_auth_fuzz::{FuzzResponse, SECRET, check_result, runtime};

/// The client's clock (unix milliseconds) stands still.
const NOW_MILLIS: u64 = 1_732_076_598_000;

/// A signer that answers at once with a fixed signature: the answers are what is being
/// fuzzed here, and a real ed25519 signature per call would only slow the target down
/// (signing is fuzzed by `solana_keys`).
#[derive(Debug)]
struct FixedSigner;

#[async_trait]
impl SolanaSigner for FixedSigner {
    fn pubkey(&self) -> SolanaPubkey {
        SolanaPubkey::from_bytes([7; 32])
    }

    async fn sign_message(&self, _message: &[u8]) -> Result<SolanaSignature, SignerError> {
        Ok(SolanaSignature::from_bytes([9; 64]))
    }
}

/// The shared checks ([`check_result`]); returns the success value.
fn check<T>(
    what: &str,
    sent_secret: bool,
    status: StatusCode,
    result: Result<T, PumpError>,
) -> Option<T> {
    check_result(what, sent_secret, status, &result);
    result.ok()
}

fuzz_target!(|data: &[u8]| {
    let Some(answer) = FuzzResponse::parse(data) else {
        return;
    };
    let status = answer.status;
    let answer = Arc::new(answer);
    let client = |format: LoginFormat| {
        let answer = Arc::clone(&answer);
        PumpClient::builder()
            .base_url("http://127.0.0.1:9")
            .transport(from_fn(move |_request| {
                let answer = Arc::clone(&answer);
                async move { Ok(answer.to_response()) }
            }))
            .clock(|| UNIX_EPOCH + Duration::from_millis(NOW_MILLIS))
            .login_format(format)
            .build()
            .expect("a loopback client builds")
    };
    let documented = client(LoginFormat::Documented);
    let cookie = client(LoginFormat::Cookie);
    let token_route = client(LoginFormat::Token);
    let token = AccessToken::new(SECRET);

    runtime().block_on(async {
        for (what, client) in [
            ("login (documented)", &documented),
            ("login (cookie)", &cookie),
            ("login (token)", &token_route),
        ] {
            if let Some(login) = check(what, false, status, client.login(&FixedSigner).await) {
                assert_eq!(format!("{:?}", login.token), "AccessToken(<redacted>)");
                let _ = format!("{login:?}");
            }
        }
        if let Some(user) = check("profile", true, status, documented.profile(&token).await) {
            let _ = format!("{user:?}");
        }
        check("logout", true, status, documented.logout(&token).await);
    });
});
