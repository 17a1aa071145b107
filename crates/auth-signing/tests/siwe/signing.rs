//! Signing with local signers (and refusing a signer of another address), and the
//! EIP-1271 path with a stand-in contract wallet.

use std::time::{Duration, UNIX_EPOCH};

use async_trait::async_trait;
use auth_signing::ethereum::LocalEthSigner;
use auth_signing::siwe::{Eip1271Verifier, SiweError, SiweFields, SiweMessage, VerifyOptions};
use auth_types::EvmAddress;
use futures_executor::block_on;

const KEY: &str = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
const OTHER_KEY: &str = "0x0000000000000000000000000000000000000000000000000000000000000001";

fn message_for(address: EvmAddress) -> SiweMessage {
    SiweMessage::from_fields(SiweFields {
        scheme: Some("https".into()),
        domain: "example.com".into(),
        address: address.to_checksum(),
        statement: Some("Sign in to Example".into()),
        uri: "https://example.com/login".into(),
        version: "1".into(),
        chain_id: 10,
        nonce: "abcdefgh12".into(),
        issued_at: "2030-01-01T00:00:00.000Z".into(),
        expiration_time: Some("2030-01-01T00:10:00.000Z".into()),
        not_before: Some("2030-01-01T00:00:00.000Z".into()),
        request_id: Some("req-1".into()),
        resources: vec!["ipfs://Qme7ss3ARVgxv6rXqVPiikMJ8u2NLgmgszg13pYrDKEoiu".into()],
    })
    .unwrap()
}

fn inside() -> VerifyOptions {
    VerifyOptions::at(UNIX_EPOCH + Duration::from_secs(1_893_456_000 + 60))
        .domain("example.com")
        .nonce("abcdefgh12")
}

#[test]
fn signs_and_verifies_with_a_local_signer() {
    let signer = LocalEthSigner::from_hex(KEY).unwrap();
    let message = message_for(signer.address());
    let signature = block_on(message.sign(&signer)).unwrap();
    assert!(matches!(signature.v(), 27 | 28));
    message.verify(&signature, &inside()).unwrap();
    let reread: SiweMessage = message.to_string().parse().unwrap();
    reread.verify(&signature, &inside()).unwrap();

    // The window's edges: valid from Not Before, expired at Expiration Time.
    let start = VerifyOptions::at(UNIX_EPOCH + Duration::from_secs(1_893_456_000));
    message.verify(&signature, &start).unwrap();
    let end = VerifyOptions::at(UNIX_EPOCH + Duration::from_secs(1_893_456_600));
    assert!(matches!(
        message.verify(&signature, &end),
        Err(SiweError::Expired { .. })
    ));
    let early = VerifyOptions::at(UNIX_EPOCH + Duration::from_secs(1_893_455_999));
    assert!(matches!(
        message.verify(&signature, &early),
        Err(SiweError::NotYetValid { .. })
    ));
}

#[test]
fn refuses_a_signer_of_another_address_before_signing() {
    let signer = LocalEthSigner::from_hex(KEY).unwrap();
    let other = LocalEthSigner::from_hex(OTHER_KEY).unwrap();
    let message = message_for(signer.address());
    match block_on(message.sign(&other)) {
        Err(SiweError::SignerAddress {
            expected,
            signer: found,
        }) => {
            assert_eq!(expected, signer.address());
            assert_eq!(found, other.address());
        }
        other => panic!("{other:?}"),
    }
    // A signature by the other key does not verify for the message's address.
    let foreign = message_for(other.address());
    let signature = block_on(foreign.sign(&other)).unwrap();
    match message.verify(&signature, &inside()) {
        Err(SiweError::WrongAddress {
            expected,
            recovered,
        }) => {
            assert_eq!(expected, signer.address());
            assert_ne!(recovered, signer.address());
        }
        other => panic!("{other:?}"),
    }
}

/// A contract wallet that accepts one fixed blob for one hash.
struct Contract {
    hash: [u8; 32],
    blob: Vec<u8>,
}

#[async_trait]
impl Eip1271Verifier for Contract {
    async fn is_valid_signature(
        &self,
        _contract: EvmAddress,
        chain_id: u64,
        hash: [u8; 32],
        signature: &[u8],
    ) -> Result<bool, Box<dyn std::error::Error + Send + Sync>> {
        if chain_id != 10 {
            return Err("no RPC for this chain".into());
        }
        Ok(hash == self.hash && signature == self.blob.as_slice())
    }
}

#[test]
fn eip1271_tries_the_key_then_the_contract() {
    let signer = LocalEthSigner::from_hex(KEY).unwrap();
    let message = message_for(signer.address());
    let contract = Contract {
        hash: message.signing_hash(),
        blob: vec![7; 100],
    };
    // An EOA signature passes without the contract.
    let signature = block_on(message.sign(&signer)).unwrap();
    block_on(message.verify_eip1271(signature.as_bytes(), &inside(), &contract)).unwrap();
    // A contract signature passes through the contract.
    block_on(message.verify_eip1271(&[7; 100], &inside(), &contract)).unwrap();
    // Anything else is refused.
    assert!(matches!(
        block_on(message.verify_eip1271(&[8; 100], &inside(), &contract)),
        Err(SiweError::SignatureMismatch { .. })
    ));
    // The claims are checked first.
    assert!(matches!(
        block_on(message.verify_eip1271(&[7; 100], &inside().nonce("zzzzzzzz"), &contract)),
        Err(SiweError::NonceMismatch { .. })
    ));
}
