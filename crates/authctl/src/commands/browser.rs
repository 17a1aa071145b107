//! `--browser` logins: a one-time page on 127.0.0.1 has the user's browser wallet sign
//! (auth-browser); the key never leaves the wallet.

use std::time::Duration;

use auth_browser::{BrowserSignIn, SignInOptions, SignedTypedData};
use auth_types::{AccessToken, EvmAddress, SolanaPubkey};
use pear_auth::{PearClient, PearTokens};
use pump_auth::{PumpClient, PumpLogin, SignedLogin};

use super::Failure;

/// How long a `--browser` login waits for the wallet.
const WAIT: Duration = Duration::from_secs(300);

/// Serves the page, prints its URL (and opens it when there is a desktop), waits for the
/// wallet's signature of the message Pear gave for the wallet's account, and logs in;
/// returns the account that signed and its tokens.
pub(super) async fn pear_login(pear: &PearClient) -> Result<(EvmAddress, PearTokens), Failure> {
    let mut page = page("Pear Protocol login").await?;
    let signed: SignedTypedData = page
        .sign_typed_data(|address| {
            let pear = pear.clone();
            async move { pear.eip712_message(&address).await.map(|m| m.to_json()) }
        })
        .await
        .map_err(|e| Failure::new(format!("browser login: {e}")))?;
    let message = pear
        .login_message_from_json(&signed.address, &signed.typed_data.to_string())
        .map_err(|e| Failure::new(format!("browser login: {e}")))?;
    let tokens = pear
        .login_eip712_signed(&signed.address, &message, &signed.signature)
        .await
        .map_err(|e| Failure::new(format!("browser login: {e}")))?;
    Ok((signed.address, tokens))
}

/// Serves the page titled `title`, prints its URL and opens it when there is a desktop.
pub(crate) async fn page(title: &str) -> Result<BrowserSignIn, Failure> {
    let options = SignInOptions::default().title(title).timeout(WAIT);
    let page = BrowserSignIn::start(options)
        .await
        .map_err(|e| Failure::new(e.to_string()))?;
    let url = page.url();
    eprintln!("Open this page in the browser that has your wallet, and sign there:\n  {url}");
    open_in_browser(&url);
    Ok(page)
}

/// The same for pump.fun: the wallet (Phantom) signs the sign-in text pump.fun's client
/// gives for the key it connects, and that key logs in (`held`: the token held now);
/// returns the wallet that signed and its login.
pub(super) async fn pump_login(
    pump: &PumpClient,
    held: Option<&AccessToken>,
) -> Result<(SolanaPubkey, PumpLogin), Failure> {
    let mut page = page("pump.fun login").await?;
    let signed = page
        .sign_message_solana(|wallet| {
            let pump = pump.clone();
            async move { pump.message_for(&wallet).await }
        })
        .await
        .map_err(|e| Failure::new(format!("browser login: {e}")))?;
    let wallet = signed.address;
    let login = SignedLogin::new(signed.address, signed.message, signed.signature);
    let login = pump
        .login_signed(&login, held)
        .await
        .map_err(|e| Failure::new(format!("browser login: {e}")))?;
    Ok((wallet, login))
}

/// Opens `url` with the desktop's default browser when there is a desktop session;
/// otherwise (or if that fails) the printed URL is enough.
fn open_in_browser(url: &str) {
    let desktop =
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
    let program = if cfg!(target_os = "macos") {
        Some("open")
    } else if desktop {
        Some("xdg-open")
    } else {
        None
    };
    if let Some(program) = program {
        let _ = std::process::Command::new(program)
            .arg(url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
    }
}
