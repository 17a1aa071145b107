//! pump.fun takes each login signature once, and ed25519 signs one text the same way
//! every time: two sign-ins of one wallet in one millisecond would send one signature
//! twice. Against the sandbox, which refuses a reused signature as pump.fun does.
//!
//! Every test here uses its own wallet: the client's guard against reused sign-in times
//! is process-wide and per wallet, and the test binary is one process.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use async_trait::async_trait;
use auth_sandbox::{Sandbox, SandboxConfig};
use auth_signing::SignerError;
use auth_signing::SolanaSigner;
use auth_signing::solana::{SolanaKeypair, SolanaSignature};
use auth_test_support::keys::solana_keypair as keypair;
use auth_types::{AccessToken, SolanaPubkey};
use pump_auth::{LoginFormat, PumpClient, SignedLogin};

/// A client of the sandbox whose clock stands still at `at`.
fn stopped_client(sb: &Sandbox, format: LoginFormat, at: SystemTime) -> PumpClient {
    PumpClient::builder()
        .base_url(sb.pump_url())
        .login_format(format)
        .clock(move || at)
        .build()
        .unwrap()
}

#[tokio::test]
async fn two_clients_on_one_stopped_clock_sign_in_with_one_wallet() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let now = SystemTime::now();
    let kp = keypair(1);
    for format in LoginFormat::ALL {
        for _ in 0..2 {
            stopped_client(&sb, format, now).login(&kp).await.unwrap();
        }
    }
    let c = sb.counters();
    assert_eq!((c.pump_logins, c.pump_signature_reuses), (6, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_clients_at_once_on_one_stopped_clock_sign_in_with_one_wallet() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let now = SystemTime::now();
    let kp = Arc::new(keypair(2));
    let logins = (0..16).map(|i| {
        let client = stopped_client(&sb, LoginFormat::ALL[i % 3], now);
        let kp = kp.clone();
        tokio::spawn(async move { client.login(kp.as_ref()).await })
    });
    for login in logins.collect::<Vec<_>>() {
        login.await.unwrap().unwrap();
    }
    let c = sb.counters();
    assert_eq!((c.pump_logins, c.pump_signature_reuses), (16, 0));
}

/// "Another process" of the same wallet: a signer that, for its first `front_runs`
/// signatures, logs in with the very same text and signature through a client of its own
/// (as a process on another machine signing the same millisecond would) before handing
/// the signature over. The client it signs for then sends a signature already used.
#[derive(Debug)]
struct AnotherProcessFirst {
    keypair: SolanaKeypair,
    other: PumpClient,
    front_runs: usize,
    /// Every text signed, in order.
    signed: Mutex<Vec<String>>,
}

#[async_trait]
impl SolanaSigner for AnotherProcessFirst {
    fn pubkey(&self) -> SolanaPubkey {
        self.keypair.pubkey()
    }

    async fn sign_message(&self, message: &[u8]) -> Result<SolanaSignature, SignerError> {
        let signature = self.keypair.sign(message);
        let text = String::from_utf8(message.to_vec()).unwrap();
        let count = {
            let mut signed = self.signed.lock().unwrap();
            signed.push(text.clone());
            signed.len()
        };
        if count <= self.front_runs {
            let theirs = SignedLogin::new(self.pubkey(), text, signature);
            self.other.login_signed(&theirs, None).await.unwrap();
        }
        Ok(signature)
    }
}

fn another_process_first(sb: &Sandbox, seed: u8, front_runs: usize) -> AnotherProcessFirst {
    AnotherProcessFirst {
        keypair: keypair(seed),
        other: PumpClient::builder()
            .base_url(sb.pump_url())
            .build()
            .unwrap(),
        front_runs,
        signed: Mutex::default(),
    }
}

#[tokio::test]
async fn a_signature_another_process_used_first_is_retried_once_on_a_later_millisecond() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    for (i, format) in LoginFormat::ALL.into_iter().enumerate() {
        let signer = another_process_first(&sb, 3 + i as u8, 1);
        let before = sb.counters();
        let client = PumpClient::builder()
            .base_url(sb.pump_url())
            .login_format(format)
            .build()
            .unwrap();
        let login = client.login(&signer).await.unwrap();
        assert_eq!(
            client.profile(&login.token).await.unwrap().wallet,
            signer.pubkey().to_string()
        );
        let c = sb.counters();
        // The other process's login and ours; ours was refused once, for the reuse.
        assert_eq!(c.pump_logins - before.pump_logins, 2, "{format}");
        assert_eq!(
            c.pump_signature_reuses - before.pump_signature_reuses,
            1,
            "{format}"
        );
        assert_eq!(
            c.pump_login_refusals - before.pump_login_refusals,
            1,
            "{format}"
        );
        let signed = signer.signed.lock().unwrap();
        assert_eq!(signed.len(), 2, "{format}: one retry");
        let millis: Vec<u64> = signed
            .iter()
            .map(|t| pump_auth::sign_in_millis(t).unwrap())
            .collect();
        assert!(millis[1] > millis[0], "{format}: {millis:?}");
    }
}

#[tokio::test]
async fn a_login_is_retried_once_at_most() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let signer = another_process_first(&sb, 6, usize::MAX);
    let client = PumpClient::builder()
        .base_url(sb.pump_url())
        .build()
        .unwrap();
    let err = client.login(&signer).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    let c = sb.counters();
    assert_eq!(signer.signed.lock().unwrap().len(), 2);
    assert_eq!((c.pump_logins, c.pump_signature_reuses), (2, 2));
}

#[tokio::test]
async fn a_relogin_is_retried_with_the_held_token_too() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let signer = another_process_first(&sb, 7, 1);
    let client = PumpClient::builder()
        .base_url(sb.pump_url())
        .build()
        .unwrap();
    client
        .relogin(&signer, &AccessToken::new("held"))
        .await
        .unwrap();
    let c = sb.counters();
    assert_eq!(signer.signed.lock().unwrap().len(), 2);
    assert_eq!((c.pump_logins, c.pump_signature_reuses), (2, 1));
    // Only the retry got through; it carried the held token.
    assert_eq!(c.pump_logins_with_bearer, 1);
}

#[tokio::test]
async fn a_login_signed_elsewhere_is_never_retried() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let kp = keypair(8);
    let client = PumpClient::builder()
        .base_url(sb.pump_url())
        .build()
        .unwrap();
    let text = client.message_for(&kp.pubkey()).await.unwrap();
    let signed = SignedLogin::new(kp.pubkey(), text.clone(), kp.sign(text.as_bytes()));
    client.login_signed(&signed, None).await.unwrap();
    let err = client.login_signed(&signed, None).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    let c = sb.counters();
    assert_eq!((c.pump_logins, c.pump_signature_reuses), (1, 1));
    assert_eq!(c.pump_login_refusals, 1, "sent once, not retried");
}

#[tokio::test]
async fn a_custom_source_that_ignores_the_time_is_not_sent_twice() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let now = std::time::UNIX_EPOCH
        .elapsed()
        .unwrap()
        .as_millis()
        .to_string();
    let fixed = format!("Sign in to pump.fun: {now}");
    let source_text = fixed.clone();
    let signer = another_process_first(&sb, 9, 1);
    let client = PumpClient::builder()
        .base_url(sb.pump_url())
        .message_source(move |_| source_text.clone())
        .build()
        .unwrap();
    let err = client.login(&signer).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    let c = sb.counters();
    // Asked for a second text, the source gave the same one: neither signed nor sent again.
    assert_eq!((c.pump_logins, c.pump_signature_reuses), (1, 1));
    assert_eq!(c.pump_login_refusals, 1);
    assert_eq!(*signer.signed.lock().unwrap(), [fixed]);
}
