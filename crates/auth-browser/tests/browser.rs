//! The sign-in page in a real headless Chromium, against the sandbox, with a test wallet.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use auth_browser::{BrowserError, BrowserSignIn, SignInOptions, SignedTypedData};
use auth_sandbox::{Sandbox, SandboxConfig};
use auth_test_support::browser::{Browser, raw_post};
use auth_test_support::keys::eth_signer;
use auth_types::EvmAddress;
use pear_auth::PearClient;
use tokio::task::JoinHandle;

fn pear(sb: &Sandbox) -> PearClient {
    PearClient::builder()
        .base_url(sb.pear_url())
        .shared_transport(auth_test_support::transport::reqwest())
        .build()
        .unwrap()
}

/// Starts a sign-in whose messages come from the sandbox's Pear.
async fn start(
    pear: &PearClient,
) -> (
    String,
    std::net::SocketAddr,
    JoinHandle<(BrowserSignIn, Result<SignedTypedData, BrowserError>)>,
) {
    let mut sign_in = BrowserSignIn::start(SignInOptions::default().title("Pear Protocol login"))
        .await
        .unwrap();
    let (url, addr) = (sign_in.url(), sign_in.local_addr());
    let pear = pear.clone();
    let task = tokio::spawn(async move {
        let result = sign_in
            .sign_typed_data(move |address: EvmAddress| {
                let pear = pear.clone();
                async move { pear.eip712_message(&address).await.map(|m| m.to_json()) }
            })
            .await;
        (sign_in, result)
    });
    (url, addr, task)
}

#[tokio::test(flavor = "multi_thread")]
async fn pear_login_end_to_end_after_switching_the_wallet_to_the_message_chain() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let pear = pear(&sb);
    let signer = eth_signer(31);
    let (url, _, task) = start(&pear).await;
    let browser = Browser::start("pear-login").await;
    // The wallet starts on Ethereum mainnet; the Pear message is for Arbitrum (42161).
    browser
        .open(&url, 1, &signer.address().to_checksum(), "ok")
        .await;
    let (state, text) = browser.sign_in(&signer).await;
    browser
        .check(state == "done", &format!("the page says {state}: {text}"))
        .await;
    let switched = browser.eval("return window.__wallet.switched;").await;
    browser
        .check(switched == "0xa4b1", &format!("switched to {switched}"))
        .await;
    let shown = browser
        .eval("return document.getElementById('typed').textContent;")
        .await;
    browser
        .check(
            shown
                .as_str()
                .unwrap()
                .contains("\"primaryType\": \"Authentication\""),
            "the typed data is not shown",
        )
        .await;
    browser.screenshot("done").await;

    let (_page, signed) = task.await.unwrap();
    let signed = signed.unwrap();
    assert_eq!(signed.address, signer.address());
    let message = pear
        .login_message_from_json(&signed.address, &signed.typed_data.to_string())
        .unwrap();
    let tokens = pear
        .login_eip712_signed(&signed.address, &message, &signed.signature)
        .await
        .unwrap();
    assert_eq!(tokens.address, Some(signer.address()));
    assert_eq!(sb.counters().pear_logins, 1);

    // The same one-time URL refuses a second signature, even from its own page.
    let status = browser
        .client
        .execute_async(
            "var done = arguments[arguments.length - 1]; \
             fetch(location.pathname + 'signature', {method: 'POST', headers: {'Content-Type': 'application/json'}, \
               body: JSON.stringify({address: arguments[0], signature: arguments[1]})}) \
             .then(function (r) { done(r.status); }, function (e) { done(String(e)); });",
            vec![signer.address().to_checksum().into(), signed.signature.to_string().into()],
        )
        .await
        .unwrap();
    assert_eq!(
        status, 410,
        "a second post to the one-time URL must be refused"
    );
    assert_eq!(sb.counters().pear_logins, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_signature_from_another_account_is_refused_and_nothing_is_sent() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let pear = pear(&sb);
    let (url, _, task) = start(&pear).await;
    let browser = Browser::start("wrong-account").await;
    // The wallet says it is account 32 but the signature comes from account 33.
    browser
        .open(&url, 42161, &eth_signer(32).address().to_checksum(), "ok")
        .await;
    let (state, text) = browser.sign_in(&eth_signer(33)).await;
    browser
        .check(
            state == "error" && text.contains("not 0x"),
            &format!("the page says {state}: {text}"),
        )
        .await;
    let error = task.await.unwrap().1.unwrap_err();
    assert!(
        matches!(error, BrowserError::WrongAccount { .. }),
        "{error}"
    );
    assert_eq!(sb.counters().pear_logins, 0);
    assert_eq!(sb.counters().pear_login_refusals, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejection_is_shown_in_words_and_the_user_can_try_again() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let pear = pear(&sb);
    let signer = eth_signer(34);
    let (url, _, task) = start(&pear).await;
    let browser = Browser::start("rejected").await;
    let account = signer.address().to_checksum();
    browser.open(&url, 42161, &account, "reject").await;
    let (state, text) = browser.sign_in(&signer).await;
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
    browser.wallet(42161, &account, "ok").await;
    let (state, text) = browser.sign_in(&signer).await;
    browser
        .check(state == "done", &format!("the page says {state}: {text}"))
        .await;
    assert_eq!(task.await.unwrap().1.unwrap().address, signer.address());
}

#[tokio::test(flavor = "multi_thread")]
async fn no_wallet_and_a_locked_wallet_are_named() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let pear = pear(&sb);
    let (url, _, _task) = start(&pear).await;
    let browser = Browser::start("no-wallet").await;
    browser.client.goto(&url).await.unwrap();
    browser.eval("window.__wallet = {};").await;
    let (state, text) = browser.sign_in(&eth_signer(35)).await;
    browser
        .check(
            state == "error" && text.contains("No Ethereum wallet found"),
            &format!("the page says {state}: {text}"),
        )
        .await;
    browser
        .wallet(42161, &eth_signer(35).address().to_checksum(), "locked")
        .await;
    let (state, text) = browser.sign_in(&eth_signer(35)).await;
    browser
        .check(
            state == "error" && text.contains("may be locked"),
            &format!("the page says {state}: {text}"),
        )
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_foreign_origin_or_host_is_refused_and_does_not_use_up_the_url() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let pear = pear(&sb);
    let signer = eth_signer(36);
    let (url, addr, task) = start(&pear).await;
    let path = url.trim_start_matches(&format!("http://{addr}"));
    let own_host = format!("127.0.0.1:{}", addr.port());
    let own_origin = format!("http://{own_host}");
    let body = format!(r#"{{"address":"{}"}}"#, signer.address().to_checksum());
    let signature = format!(
        r#"{{"address":"{}","signature":"0x{}"}}"#,
        signer.address().to_checksum(),
        "11".repeat(65)
    );
    // CSRF: another site's page posting to the loopback URL.
    assert_eq!(
        raw_post(
            addr,
            &format!("{path}signature"),
            &own_host,
            "http://evil.example",
            &signature
        )
        .await,
        403
    );
    assert_eq!(
        raw_post(addr, &format!("{path}account"), &own_host, "null", &body).await,
        403
    );
    // DNS rebinding: a foreign name that resolves to 127.0.0.1.
    assert_eq!(
        raw_post(
            addr,
            &format!("{path}signature"),
            &format!("evil.example:{}", addr.port()),
            &own_origin,
            &signature
        )
        .await,
        421
    );
    // A wrong path.
    assert_eq!(
        raw_post(addr, "/0123/signature", &own_host, &own_origin, &signature).await,
        404
    );
    assert_eq!(sb.counters().pear_messages, 0);
    // The real page still signs in.
    let browser = Browser::start("foreign-origin").await;
    browser
        .open(&url, 42161, &signer.address().to_checksum(), "ok")
        .await;
    let (state, text) = browser.sign_in(&signer).await;
    browser
        .check(state == "done", &format!("the page says {state}: {text}"))
        .await;
    assert_eq!(task.await.unwrap().1.unwrap().address, signer.address());
}
