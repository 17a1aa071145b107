//! Ethereum wallets (EIP-1193): EIP-712 typed data and EIP-191 (`personal_sign`) texts.

use std::future::Future;

use auth_signing::eip191_hash;
use auth_signing::eip712::TypedData;
use auth_signing::ethereum::{EthSignature, recover_address};
use auth_types::EvmAddress;

use crate::flow::Flow;
use crate::server::Kind;
use crate::{BrowserError, BrowserSignIn};

/// A signature checked against the account and the typed data it was asked for.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SignedTypedData {
    /// The account that signed (the one `prepare` was called with).
    pub address: EvmAddress,
    /// The typed data document `prepare` returned, exactly as sent to the wallet.
    pub typed_data: serde_json::Value,
    /// The signature over its EIP-712 signing hash.
    pub signature: EthSignature,
}

/// A `personal_sign` (EIP-191) signature checked against the account and the text it was
/// asked for (a SIWE message, say).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SignedEthereumMessage {
    /// The account that signed (the one `prepare` was called with).
    pub address: EvmAddress,
    /// The text `prepare` returned, exactly as the wallet signed it (UTF-8 bytes).
    pub message: String,
    /// The signature over its EIP-191 hash.
    pub signature: EthSignature,
}

impl BrowserSignIn {
    /// Waits for the page: when the wallet offers its account, calls `prepare` with it to
    /// fetch the typed data to sign (a JSON document with `types`, `primaryType`, `domain`
    /// and `message`), sends it to the page, and returns the signature once it recovers to
    /// that account. The URL is consumed by the first signature posted.
    ///
    /// The page stays up (answering `410 Gone` to any further post) until this value is
    /// dropped.
    pub async fn sign_typed_data<F, Fut, E>(
        &mut self,
        prepare: F,
    ) -> Result<SignedTypedData, BrowserError>
    where
        F: FnMut(EvmAddress) -> Fut,
        Fut: Future<Output = Result<serde_json::Value, E>>,
        E: std::fmt::Display,
    {
        self.run::<TypedDataFlow, _, _, _>(prepare).await
    }

    /// Like [`BrowserSignIn::sign_typed_data`], for a text signed with `personal_sign`
    /// (EIP-191): `prepare` returns the exact text for the wallet's account (a SIWE
    /// message, say), the page shows it and has the wallet sign its UTF-8 bytes, and the
    /// signature is returned once it recovers to that account.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), auth_browser::BrowserError> {
    /// use auth_browser::{BrowserSignIn, SignInOptions};
    /// let mut sign_in = BrowserSignIn::start(SignInOptions::default().title("Example login")).await?;
    /// println!("open {}", sign_in.url());
    /// let signed = sign_in
    ///     .sign_message_ethereum(|address| async move {
    ///         Ok::<_, String>(format!("example.com wants you to sign in with your Ethereum account:\n{address}"))
    ///     })
    ///     .await?;
    /// println!("{} signed {:?}", signed.address, signed.message);
    /// # Ok(()) }
    /// ```
    pub async fn sign_message_ethereum<F, Fut, E>(
        &mut self,
        prepare: F,
    ) -> Result<SignedEthereumMessage, BrowserError>
    where
        F: FnMut(EvmAddress) -> Fut,
        Fut: Future<Output = Result<String, E>>,
        E: std::fmt::Display,
    {
        self.run::<TextFlow, _, _, _>(prepare).await
    }
}

/// Parses a posted account and signature, and checks that the signature of `hash`
/// recovers to `address` and that the page posted that same account.
fn check_recovers(
    address: EvmAddress,
    hash: &[u8; 32],
    posted: &str,
    signature: &str,
) -> Result<EthSignature, BrowserError> {
    let signature: EthSignature = signature
        .parse()
        .map_err(|e| BrowserError::Malformed(format!("the signature: {e}")))?;
    let recovered = recover_address(hash, &signature);
    let posted = posted.parse::<EvmAddress>().ok();
    match recovered {
        Ok(who) if who == address && posted == Some(address) => Ok(signature),
        other => Err(BrowserError::WrongAccount {
            address: address.to_checksum(),
            recovered: other.map_or_else(|_| "none".to_owned(), |a| a.to_checksum()),
        }),
    }
}

/// `eth_signTypedData_v4`.
struct TypedDataFlow;

impl Flow for TypedDataFlow {
    type Account = EvmAddress;
    type Prepared = serde_json::Value;
    type Pending = (EvmAddress, serde_json::Value, [u8; 32]);
    type Signed = SignedTypedData;
    const KIND: Kind = Kind::TypedData;
    const ACCOUNT: &'static str = "an Ethereum address";

    fn account(text: &str) -> Option<EvmAddress> {
        text.parse().ok()
    }

    fn offer(
        account: EvmAddress,
        document: serde_json::Value,
    ) -> Result<(serde_json::Value, Self::Pending), BrowserError> {
        let typed = TypedData::from_json_str(&document.to_string())
            .map_err(|e| BrowserError::InvalidTypedData(e.to_string()))?;
        let hash = typed.signing_hash();
        Ok((document.clone(), (account, document, hash)))
    }

    fn check(
        (address, typed_data, hash): Self::Pending,
        posted: &str,
        signature: &str,
    ) -> Result<SignedTypedData, BrowserError> {
        let signature = check_recovers(address, &hash, posted, signature)?;
        Ok(SignedTypedData {
            address,
            typed_data,
            signature,
        })
    }
}

/// `personal_sign` of a text.
struct TextFlow;

impl Flow for TextFlow {
    type Account = EvmAddress;
    type Prepared = String;
    type Pending = (EvmAddress, String);
    type Signed = SignedEthereumMessage;
    const KIND: Kind = Kind::EthereumText;
    const ACCOUNT: &'static str = "an Ethereum address";

    fn account(text: &str) -> Option<EvmAddress> {
        text.parse().ok()
    }

    fn offer(
        account: EvmAddress,
        message: String,
    ) -> Result<(serde_json::Value, Self::Pending), BrowserError> {
        Ok((serde_json::json!({ "text": message }), (account, message)))
    }

    fn check(
        (address, message): Self::Pending,
        posted: &str,
        signature: &str,
    ) -> Result<SignedEthereumMessage, BrowserError> {
        let hash = eip191_hash(message.as_bytes());
        let signature = check_recovers(address, &hash, posted, signature)?;
        Ok(SignedEthereumMessage {
            address,
            message,
            signature,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

    use auth_signing::ethereum::LocalEthSigner;

    use super::*;

    const TEXT: &str = "example.test wants you to sign in with your Ethereum account";

    fn signer(byte: &str) -> LocalEthSigner {
        LocalEthSigner::from_hex(&byte.repeat(32)).unwrap()
    }

    #[test]
    fn personal_sign_must_recover_to_the_account_over_exactly_the_text() {
        let me = signer("11");
        let other = signer("22");
        let account = me.address().to_checksum();
        let offer = || TextFlow::offer(me.address(), TEXT.to_owned()).unwrap().1;
        let sign = |s: &LocalEthSigner, text: &str| {
            s.sign_personal_message(text.as_bytes())
                .unwrap()
                .to_string()
        };
        let ok = TextFlow::check(offer(), &account, &sign(&me, TEXT)).unwrap();
        assert_eq!((ok.address, ok.message.as_str()), (me.address(), TEXT));
        for (posted, signature) in [
            (account.clone(), sign(&other, TEXT)),
            (account.clone(), sign(&me, "another text")),
            (other.address().to_checksum(), sign(&me, TEXT)),
        ] {
            let error = TextFlow::check(offer(), &posted, &signature).unwrap_err();
            assert!(
                matches!(error, BrowserError::WrongAccount { .. }),
                "{error}"
            );
        }
        let error = TextFlow::check(offer(), &account, "0x1234").unwrap_err();
        assert!(matches!(error, BrowserError::Malformed(_)), "{error}");
    }

    #[test]
    fn typed_data_that_is_not_eip712_is_refused_before_the_page_gets_it() {
        let error =
            TypedDataFlow::offer(signer("11").address(), serde_json::json!({"a": 1})).unwrap_err();
        assert!(
            matches!(error, BrowserError::InvalidTypedData(_)),
            "{error}"
        );
    }
}
