//! Solana wallets (a Phantom-shaped provider): `signMessage` of a text.

use std::future::Future;

use auth_signing::solana::{SolanaSignature, verify};
use auth_types::SolanaPubkey;

use crate::flow::Flow;
use crate::server::Kind;
use crate::{BrowserError, BrowserSignIn};

/// A Solana `signMessage` signature checked against the account and the text it was asked
/// for (a pump.fun sign-in, a SIWS message).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SignedSolanaMessage {
    /// The wallet that signed (the one `prepare` was called with).
    pub address: SolanaPubkey,
    /// The text `prepare` returned, exactly as the wallet signed it (UTF-8 bytes).
    pub message: String,
    /// The detached ed25519 signature of those bytes.
    pub signature: SolanaSignature,
}

impl BrowserSignIn {
    /// Waits for the page to connect a Solana wallet (Phantom's provider,
    /// `window.phantom.solana`, or `window.solana`), calls `prepare` with the wallet's
    /// public key for the exact text it must sign, shows that text on the page, has the
    /// wallet `signMessage` its UTF-8 bytes, and returns the signature once it verifies
    /// (ed25519, strict) against that key over exactly those bytes. A signature by any
    /// other key is refused. The URL is consumed by the first signature posted.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), auth_browser::BrowserError> {
    /// use auth_browser::{BrowserSignIn, SignInOptions};
    /// let mut sign_in = BrowserSignIn::start(SignInOptions::default().title("pump.fun login")).await?;
    /// println!("open {}", sign_in.url());
    /// let signed = sign_in
    ///     .sign_message_solana(|wallet| async move {
    ///         let _ = wallet;
    ///         Ok::<_, String>("Sign in to pump.fun: 1767225600000".to_owned())
    ///     })
    ///     .await?;
    /// println!("{} signed {:?}", signed.address, signed.message);
    /// # Ok(()) }
    /// ```
    pub async fn sign_message_solana<F, Fut, E>(
        &mut self,
        prepare: F,
    ) -> Result<SignedSolanaMessage, BrowserError>
    where
        F: FnMut(SolanaPubkey) -> Fut,
        Fut: Future<Output = Result<String, E>>,
        E: std::fmt::Display,
    {
        self.run::<SolanaFlow, _, _, _>(prepare).await
    }
}

/// `signMessage` of a text.
struct SolanaFlow;

impl Flow for SolanaFlow {
    type Account = SolanaPubkey;
    type Prepared = String;
    type Pending = (SolanaPubkey, String);
    type Signed = SignedSolanaMessage;
    const KIND: Kind = Kind::SolanaText;
    const ACCOUNT: &'static str = "a Solana public key (base58)";

    fn account(text: &str) -> Option<SolanaPubkey> {
        text.parse().ok()
    }

    fn offer(
        account: SolanaPubkey,
        message: String,
    ) -> Result<(serde_json::Value, Self::Pending), BrowserError> {
        Ok((serde_json::json!({ "text": message }), (account, message)))
    }

    fn check(
        (address, message): Self::Pending,
        posted: &str,
        signature: &str,
    ) -> Result<SignedSolanaMessage, BrowserError> {
        // The page sends the wallet's 64 signature bytes as hex.
        let bytes: [u8; 64] = hex::decode(signature.trim_start_matches("0x"))
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| {
                BrowserError::Malformed("the signature is not 64 bytes of hex".to_owned())
            })?;
        let signature = SolanaSignature::from_bytes(bytes);
        let posted = posted.parse::<SolanaPubkey>().ok();
        if posted != Some(address) {
            return Err(BrowserError::WrongAccount {
                address: address.to_base58(),
                recovered: posted.map_or_else(|| "none".to_owned(), |p| p.to_base58()),
            });
        }
        verify(&address, message.as_bytes(), &signature).map_err(|_| {
            BrowserError::WrongAccount {
                address: address.to_base58(),
                recovered: "another key (the signature does not verify)".to_owned(),
            }
        })?;
        Ok(SignedSolanaMessage {
            address,
            message,
            signature,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

    use auth_signing::solana::SolanaKeypair;

    use super::*;

    const TEXT: &str = "Sign in to pump.fun: 1767225600000";

    fn offered(keypair: &SolanaKeypair) -> (SolanaPubkey, String) {
        let (page, pending) = SolanaFlow::offer(keypair.pubkey(), TEXT.to_owned()).unwrap();
        assert_eq!(
            page,
            serde_json::json!({ "text": TEXT }),
            "the page gets the text"
        );
        pending
    }

    fn signed(keypair: &SolanaKeypair, text: &str) -> String {
        hex::encode(keypair.sign(text.as_bytes()).as_bytes())
    }

    #[test]
    fn the_wallets_signature_of_exactly_the_text_is_accepted() {
        let kp = SolanaKeypair::from_seed_bytes([1; 32]);
        let account = kp.pubkey().to_base58();
        let ok = SolanaFlow::check(offered(&kp), &account, &signed(&kp, TEXT)).unwrap();
        assert_eq!(ok.address, kp.pubkey());
        assert_eq!(ok.message, TEXT);
        assert!(verify(&kp.pubkey(), TEXT.as_bytes(), &ok.signature).is_ok());
    }

    #[test]
    fn another_key_another_text_another_account_or_garbage_is_refused() {
        let kp = SolanaKeypair::from_seed_bytes([1; 32]);
        let other = SolanaKeypair::from_seed_bytes([2; 32]);
        let account = kp.pubkey().to_base58();
        let cases = [
            // Another key signed the same text.
            (account.clone(), signed(&other, TEXT)),
            // The right key signed another text (a trailing newline).
            (account.clone(), signed(&kp, &format!("{TEXT}\n"))),
            // The page claims another account.
            (other.pubkey().to_base58(), signed(&kp, TEXT)),
        ];
        for (posted, signature) in cases {
            let error = SolanaFlow::check(offered(&kp), &posted, &signature).unwrap_err();
            assert!(
                matches!(error, BrowserError::WrongAccount { .. }),
                "{posted}: {error}"
            );
        }
        for garbage in ["", "00", &"zz".repeat(64), &"11".repeat(65)] {
            let error = SolanaFlow::check(offered(&kp), &account, garbage).unwrap_err();
            assert!(matches!(error, BrowserError::Malformed(_)), "{error}");
        }
        assert!(SolanaFlow::account("0x52908400098527886E0F7030069857D2E4169EE7").is_none());
    }
}
