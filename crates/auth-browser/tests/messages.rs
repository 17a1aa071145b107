//! Text sign-ins in a real headless Chromium with a test wallet: pump.fun through a
//! Phantom-shaped Solana provider against the sandbox, and Ethereum `personal_sign`.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use auth_browser::{BrowserError, BrowserSignIn, SignInOptions, SignedSolanaMessage};
use auth_sandbox::{Sandbox, SandboxConfig};
use auth_signing::eip191_hash;
use auth_signing::ethereum::recover_address;
use auth_test_support::browser::Browser;
use auth_test_support::keys::{eth_signer, solana_keypair};
use auth_types::SolanaPubkey;
use pump_auth::{PumpClient, SignedLogin};
use tokio::task::JoinHandle;

fn pump(sb: &Sandbox) -> PumpClient {
    PumpClient::builder()
        .base_url(sb.pump_url())
        .build()
        .unwrap()
}

/// Starts a pump.fun sign-in whose texts come from the client.
async fn start(
    pump: &PumpClient,
) -> (
    String,
    JoinHandle<(BrowserSignIn, Result<SignedSolanaMessage, BrowserError>)>,
) {
    let mut sign_in = BrowserSignIn::start(SignInOptions::default().title("pump.fun login"))
        .await
        .unwrap();
    let url = sign_in.url();
    let pump = pump.clone();
    let task = tokio::spawn(async move {
        let result = sign_in
            .sign_message_solana(move |wallet: SolanaPubkey| {
                let pump = pump.clone();
                async move { pump.message_for(&wallet).await }
            })
            .await;
        (sign_in, result)
    });
    (url, task)
}

#[tokio::test(flavor = "multi_thread")]
async fn pump_login_end_to_end_with_a_phantom_shaped_wallet() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let pump = pump(&sb);
    let keypair = solana_keypair(41);
    let (url, task) = start(&pump).await;
    let browser = Browser::start("pump-login").await;
    browser
        .open(&url, 1, &keypair.pubkey().to_base58(), "ok")
        .await;
    let (state, text) = browser.sign_in_solana(&keypair).await;
    browser
        .check(state == "done", &format!("the page says {state}: {text}"))
        .await;
    let shown = browser
        .eval("return document.getElementById('text').textContent;")
        .await;
    browser.screenshot("done").await;

    let (_page, signed) = task.await.unwrap();
    let signed = signed.unwrap();
    assert_eq!(signed.address, keypair.pubkey());
    assert!(
        signed.message.starts_with("Sign in to pump.fun: "),
        "{:?}",
        signed.message
    );
    // The page showed exactly the text that was signed.
    assert_eq!(shown.as_str(), Some(signed.message.as_str()));
    let login = pump
        .login_signed(
            &SignedLogin::new(signed.address, signed.message, signed.signature),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        login.user.unwrap().wallet,
        keypair.pubkey().to_base58(),
        "the sandbox logged in the wallet that signed"
    );
    assert_eq!(sb.counters().pump_logins, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_solana_signature_by_another_key_is_refused_and_nothing_is_sent() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let pump = pump(&sb);
    let (url, task) = start(&pump).await;
    let browser = Browser::start("solana-wrong-account").await;
    // The wallet says it is key 42 but signs with key 43.
    browser
        .open(&url, 1, &solana_keypair(42).pubkey().to_base58(), "ok")
        .await;
    let (state, text) = browser.sign_in_solana(&solana_keypair(43)).await;
    browser
        .check(
            state == "error" && text.contains("does not verify"),
            &format!("the page says {state}: {text}"),
        )
        .await;
    let error = task.await.unwrap().1.unwrap_err();
    assert!(
        matches!(error, BrowserError::WrongAccount { .. }),
        "{error}"
    );
    assert_eq!(sb.counters().pump_logins, 0);
    assert_eq!(sb.counters().pump_login_refusals, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejection_in_phantom_is_shown_in_words_and_the_user_can_try_again() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let pump = pump(&sb);
    let keypair = solana_keypair(44);
    let account = keypair.pubkey().to_base58();
    let (url, task) = start(&pump).await;
    let browser = Browser::start("solana-rejected").await;
    browser.open(&url, 1, &account, "reject").await;
    let (state, text) = browser.sign_in_solana(&keypair).await;
    browser
        .check(
            state == "error" && text.contains("You rejected the request"),
            &format!("the page says {state}: {text}"),
        )
        .await;
    assert!(
        !task.is_finished(),
        "a rejection in the wallet does not end the sign-in"
    );
    browser.wallet(1, &account, "ok").await;
    let (state, text) = browser.sign_in_solana(&keypair).await;
    browser
        .check(state == "done", &format!("the page says {state}: {text}"))
        .await;
    assert_eq!(task.await.unwrap().1.unwrap().address, keypair.pubkey());
    assert_eq!(
        sb.counters().pump_logins,
        0,
        "the caller logs in, not the page"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn no_solana_wallet_is_named() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let pump = pump(&sb);
    let (url, _task) = start(&pump).await;
    let browser = Browser::start("no-solana-wallet").await;
    browser.client.goto(&url).await.unwrap();
    browser.eval("window.__wallet = {};").await;
    let (state, text) = browser.sign_in_solana(&solana_keypair(45)).await;
    browser
        .check(
            state == "error" && text.contains("No Solana wallet found"),
            &format!("the page says {state}: {text}"),
        )
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn personal_sign_of_a_text_recovers_to_the_account_and_another_is_refused() {
    let signer = eth_signer(46);
    let account = signer.address().to_checksum();
    let text = |address: auth_types::EvmAddress| async move {
        Ok::<_, String>(format!(
            "example.test wants you to sign in with your Ethereum account:\n{address}\n\nNonce: n0nce"
        ))
    };

    let mut sign_in = BrowserSignIn::start(SignInOptions::default())
        .await
        .unwrap();
    let url = sign_in.url();
    let task = tokio::spawn(async move { sign_in.sign_message_ethereum(text).await });
    let browser = Browser::start("personal-sign").await;
    browser.open(&url, 1, &account, "ok").await;
    let (state, said) = browser.sign_in(&signer).await;
    browser
        .check(state == "done", &format!("the page says {state}: {said}"))
        .await;
    let signed = task.await.unwrap().unwrap();
    assert_eq!(signed.address, signer.address());
    assert!(signed.message.ends_with("Nonce: n0nce"));
    assert_eq!(
        recover_address(&eip191_hash(signed.message.as_bytes()), &signed.signature).unwrap(),
        signer.address()
    );

    // The wallet claims account 46 but signs with 47: refused.
    let mut sign_in = BrowserSignIn::start(SignInOptions::default())
        .await
        .unwrap();
    let url = sign_in.url();
    let task = tokio::spawn(async move { sign_in.sign_message_ethereum(text).await });
    browser.open(&url, 1, &account, "ok").await;
    let (state, said) = browser.sign_in(&eth_signer(47)).await;
    browser
        .check(
            state == "error" && said.contains("not 0x"),
            &format!("the page says {state}: {said}"),
        )
        .await;
    let error = task.await.unwrap().unwrap_err();
    assert!(
        matches!(error, BrowserError::WrongAccount { .. }),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_pressed_before_the_program_asks_waits_for_it() {
    let keypair = solana_keypair(48);
    let mut sign_in = BrowserSignIn::start(SignInOptions::default())
        .await
        .unwrap();
    let url = sign_in.url();
    let browser = Browser::start("pressed-early").await;
    browser
        .open(&url, 1, &keypair.pubkey().to_base58(), "ok")
        .await;
    browser.press().await;
    // Nothing says yet which wallet to ask: the page waits, and asks no wallet.
    let waiting = browser
        .eval("return [document.getElementById('status').textContent, window.__wallet.pending];")
        .await;
    browser
        .check(
            waiting[0] == "Getting ready…" && waiting[1].is_null(),
            &format!("the page did not wait: {waiting}"),
        )
        .await;
    let (page, signed) = tokio::join!(
        browser.sign_in_solana(&keypair),
        sign_in
            .sign_message_solana(|_| async { Ok::<_, String>("hello from the test".to_owned()) })
    );
    browser
        .check(
            page.0 == "done",
            &format!("the page says {}: {}", page.0, page.1),
        )
        .await;
    assert_eq!(signed.unwrap().message, "hello from the test");
}
