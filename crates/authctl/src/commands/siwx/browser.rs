//! `siwe login --browser` and `siws login --browser`: the wallet in the user's browser
//! (MetaMask, Rabby, Phantom, …) signs the backend's message for the account it offers;
//! the key never leaves the wallet.

use std::sync::{Arc, Mutex};

use auth_types::lock;
use siwx_auth::{PendingSignIn, Siwe, Siws, SiwxClient, SiwxError, SiwxLogin, Standard};

use super::Failure;
use crate::commands::browser::page;

fn failed(e: impl std::fmt::Display) -> Failure {
    Failure::new(format!("browser login: {e}"))
}

/// The sign-in begun for the account the wallet offered, to finish once it has signed.
type Slot<S> = Arc<Mutex<Option<PendingSignIn<S>>>>;

/// Keeps the sign-in begun for the wallet's account; the text it must sign.
fn keep<S: Standard>(slot: &Slot<S>, begun: PendingSignIn<S>) -> String {
    let text = begun.message().to_owned();
    *lock(slot) = Some(begun);
    text
}

/// The sign-in `prepare` began; the page's checks guarantee its text is what was signed.
fn pending<S: Standard>(slot: &Slot<S>, signed: &str) -> Result<PendingSignIn<S>, Failure> {
    match lock(slot).take() {
        Some(pending) if pending.message() == signed => Ok(pending),
        _ => Err(failed(
            "the wallet signed another text than the one asked for",
        )),
    }
}

/// SIWE: the wallet's account gets the backend's EIP-4361 message (nonce fetched, cookies
/// kept), signs it with `personal_sign`; the signature is checked and the login sent.
pub(super) async fn siwe_login(client: &SiwxClient<Siwe>) -> Result<SiwxLogin, Failure> {
    let slot: Slot<Siwe> = Arc::default();
    let mut page = page("Sign-In with Ethereum").await?;
    let signed = page
        .sign_message_ethereum(|address| {
            let (client, slot) = (client.clone(), Arc::clone(&slot));
            async move { Ok::<_, SiwxError>(keep(&slot, client.begin(address).await?)) }
        })
        .await
        .map_err(failed)?;
    pending(&slot, &signed.message)?
        .finish(&signed.signature.to_string())
        .await
        .map_err(failed)
}

/// SIWS: the same with the Solana wallet's `signMessage`.
pub(super) async fn siws_login(client: &SiwxClient<Siws>) -> Result<SiwxLogin, Failure> {
    let slot: Slot<Siws> = Arc::default();
    let mut page = page("Sign In With Solana").await?;
    let signed = page
        .sign_message_solana(|address| {
            let (client, slot) = (client.clone(), Arc::clone(&slot));
            async move { Ok::<_, SiwxError>(keep(&slot, client.begin(address).await?)) }
        })
        .await
        .map_err(failed)?;
    pending(&slot, &signed.message)?
        .finish(&signed.signature.to_base58())
        .await
        .map_err(failed)
}
