//! Properties of the public API: thread safety, object safety, redaction.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::sync::Arc;

use auth_signing::eip712::{Eip712Error, TypedData};
use auth_signing::ethereum::{EthSignature, LocalEthSigner};
use auth_signing::solana::{SolanaKeypair, SolanaSignature};
use auth_signing::{Eip712Payload, EthSigner, SignerError, SolanaSigner, keccak256};

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn public_types_are_send_and_sync() {
    assert_send_sync::<TypedData>();
    assert_send_sync::<LocalEthSigner>();
    assert_send_sync::<SolanaKeypair>();
    assert_send_sync::<EthSignature>();
    assert_send_sync::<Eip712Error>();
    assert_send_sync::<SignerError>();
    assert_send_sync::<Arc<dyn EthSigner>>();
    assert_send_sync::<Arc<dyn SolanaSigner>>();
}

#[test]
fn signer_traits_are_object_safe_and_agree_with_the_local_keys() {
    let local = LocalEthSigner::from_hex(&"42".repeat(32)).unwrap();
    let dynamic: Arc<dyn EthSigner> = Arc::new(local.clone());
    assert_eq!(dynamic.address(), local.address());
    let hash = keccak256(b"x");
    let via_trait = futures_executor::block_on(dynamic.sign_hash(&hash)).unwrap();
    assert_eq!(via_trait, local.sign_hash(&hash).unwrap());
    let via_trait = futures_executor::block_on(dynamic.sign_personal_message(b"hi")).unwrap();
    assert_eq!(via_trait, local.sign_personal_message(b"hi").unwrap());

    let keypair = SolanaKeypair::from_seed_bytes([3; 32]);
    let expected = keypair.sign(b"m");
    let pubkey = keypair.pubkey();
    let dynamic: Arc<dyn SolanaSigner> = Arc::new(keypair);
    assert_eq!(dynamic.pubkey(), pubkey);
    assert_eq!(
        futures_executor::block_on(dynamic.sign_message(b"m")).unwrap(),
        expected
    );
}

#[test]
fn debug_of_signers_shows_only_public_parts() {
    let hex_key = "42".repeat(32);
    let local = LocalEthSigner::from_hex(&hex_key).unwrap();
    let debug = format!("{local:?} {local:#?}");
    assert!(debug.contains(&local.address().to_string()));
    assert!(!debug.contains("4242"));
    let keypair = SolanaKeypair::from_seed_bytes([0x42; 32]);
    let debug = format!("{keypair:?}");
    assert_eq!(debug, format!("SolanaKeypair({})", keypair.pubkey()));
}

#[test]
fn signatures_print_as_their_text() {
    let hex = format!("0x{}{}1b", "11".repeat(32), "22".repeat(32));
    let eth: EthSignature = hex.parse().unwrap();
    assert_eq!(eth.to_string(), hex);
    assert_eq!(format!("{eth:?}"), format!("EthSignature({hex})"));
    assert_eq!(format!("{eth:#?}"), format!("EthSignature({hex})"));
    let base58 =
        "99eUso3aSbE9tqGSTXzo3TLfKb9RkMTURrHKQ1K7Zh3BbeqPevr5E1iCbpTjqHuTFLtfxTTD5ekfVuZFzQyEQf8";
    let solana = SolanaSignature::from_bytes([7; 64]);
    assert_eq!(solana.to_string(), base58);
    assert_eq!(format!("{solana:?}"), format!("SolanaSignature({base58})"));
    assert_eq!(base58.parse::<SolanaSignature>().unwrap(), solana);
}

/// The seam a hardware wallet uses: a signer that shows typed data to its user overrides
/// `sign_typed_data` and reads the document back from the payload it is handed.
#[test]
fn a_signer_that_shows_typed_data_reads_the_document_back() {
    #[derive(Debug)]
    struct Showing {
        inner: LocalEthSigner,
        shown: std::sync::Mutex<Vec<String>>,
    }

    #[async_trait::async_trait]
    impl EthSigner for Showing {
        fn address(&self) -> auth_types::EvmAddress {
            self.inner.address()
        }

        async fn sign_hash(&self, hash: &[u8; 32]) -> Result<EthSignature, SignerError> {
            EthSigner::sign_hash(&self.inner, hash).await
        }

        async fn sign_typed_data(
            &self,
            typed: &dyn Eip712Payload,
        ) -> Result<EthSignature, SignerError> {
            let document = (typed as &dyn std::any::Any)
                .downcast_ref::<TypedData>()
                .ok_or_else(|| SignerError::Rejected {
                    reason: "only typed data this device can show".to_owned(),
                })?;
            self.shown
                .lock()
                .unwrap()
                .push(document.primary_type().to_owned());
            self.sign_hash(&typed.signing_hash()).await
        }
    }

    let typed: TypedData = r#"{
        "types": {"Greeting": [{"name": "text", "type": "string"}]},
        "primaryType": "Greeting",
        "domain": {"name": "Demo"},
        "message": {"text": "hi"}
    }"#
    .parse()
    .unwrap();
    let inner = LocalEthSigner::from_hex(&"42".repeat(32)).unwrap();
    let expected = inner.sign_typed_data(&typed).unwrap();
    let showing = Showing {
        inner,
        shown: Default::default(),
    };
    let signer: &dyn EthSigner = &showing;
    let signature = futures_executor::block_on(signer.sign_typed_data(&typed)).unwrap();
    assert_eq!(signature, expected);
    assert_eq!(*showing.shown.lock().unwrap(), ["Greeting"]);
}

#[test]
fn eip712_domain_as_primary_type_signs_the_domain_alone() {
    let typed: TypedData = r#"{
        "types": {"EIP712Domain": [{"name": "name", "type": "string"}]},
        "primaryType": "EIP712Domain",
        "domain": {"name": "Only"},
        "message": {"name": "Only"}
    }"#
    .parse()
    .unwrap();
    let mut preimage = vec![0x19, 0x01];
    preimage.extend_from_slice(&typed.domain_separator());
    assert_eq!(typed.signing_hash(), keccak256(&preimage));
}

#[cfg(feature = "keystore")]
#[test]
fn keystore_types_are_send_sync_and_errors_are_errors() {
    fn assert_error<E: std::error::Error + Send + Sync + 'static>() {}
    assert_send_sync::<auth_signing::ethereum::keystore::KeystorePassword>();
    assert_error::<auth_signing::ethereum::keystore::KeystoreError>();
}

#[cfg(all(feature = "alloy", feature = "solana-signer"))]
#[test]
fn bridges_are_send_sync_and_object_safe_signers() {
    assert_send_sync::<auth_signing::alloy::AlloySigner<alloy_signer_local::PrivateKeySigner>>();
    assert_send_sync::<auth_signing::solana_sdk::SdkSigner<solana_keypair::Keypair>>();
    let eth: Arc<dyn EthSigner> = Arc::new(auth_signing::alloy::AlloySigner::new(
        alloy_signer_local::PrivateKeySigner::random(),
    ));
    let sol: Arc<dyn SolanaSigner> = Arc::new(
        auth_signing::solana_sdk::SdkSigner::new(solana_keypair::Keypair::new_from_array([1; 32]))
            .unwrap(),
    );
    assert!(format!("{eth:?} {sol:?}").starts_with("AlloySigner(0x"));
}
