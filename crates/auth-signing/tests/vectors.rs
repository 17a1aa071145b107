//! The shared test vectors: 200 EIP-712 cases on which viem, ethers and eth-sig-util agree,
//! and 40 ed25519 cases from tweetnacl.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use auth_signing::eip712::TypedData;
use auth_signing::ethereum::{EthSignature, LocalEthSigner, recover_address};
use auth_signing::solana::{SolanaKeypair, SolanaSignature, verify};
use auth_types::SecretBytes32;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Eip712Case {
    typed_data: serde_json::Value,
    private_key: String,
    address: String,
    domain_separator: String,
    struct_hash: String,
    signing_hash: String,
    signature: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Ed25519Case {
    seed: String,
    keypair_json: Vec<u8>,
    keypair_base58: String,
    public_key: String,
    message: String,
    signature_base58: String,
    signature_hex: String,
}

#[derive(Deserialize)]
struct Vectors {
    eip712: Vec<Eip712Case>,
    ed25519: Vec<Ed25519Case>,
}

fn vectors() -> Vectors {
    let text = include_str!("data/eip712-ed25519.json");
    serde_json::from_str(text).expect("vector file parses")
}

fn hex32(h: [u8; 32]) -> String {
    format!("0x{}", hex::encode(h))
}

#[test]
fn eip712_hashes_match_all_reference_vectors() {
    let v = vectors();
    assert_eq!(v.eip712.len(), 200);
    for (i, case) in v.eip712.iter().enumerate() {
        let typed = TypedData::from_json_value(case.typed_data.clone())
            .unwrap_or_else(|e| panic!("case {i}: {e}"));
        let hashes = typed.hashes();
        assert_eq!(
            hex32(hashes.domain_separator),
            case.domain_separator,
            "case {i} domain separator"
        );
        assert_eq!(
            hex32(hashes.struct_hash),
            case.struct_hash,
            "case {i} struct hash"
        );
        assert_eq!(
            hex32(hashes.signing_hash),
            case.signing_hash,
            "case {i} signing hash"
        );
        assert_eq!(typed.signing_hash(), hashes.signing_hash, "case {i}");
        // The same document as text parses to the same hash.
        let text = serde_json::to_string(&case.typed_data).unwrap();
        let again: TypedData = text.parse().unwrap();
        assert_eq!(
            again.signing_hash(),
            hashes.signing_hash,
            "case {i} from text"
        );
    }
}

#[test]
fn eip712_signatures_match_all_reference_vectors() {
    let v = vectors();
    for (i, case) in v.eip712.iter().enumerate() {
        let signer = LocalEthSigner::from_hex(&case.private_key).unwrap();
        assert_eq!(
            signer.address().to_string(),
            case.address,
            "case {i} address"
        );
        let typed = TypedData::from_json_value(case.typed_data.clone()).unwrap();
        let sig = signer.sign_typed_data(&typed).unwrap();
        assert_eq!(sig.to_string(), case.signature, "case {i} signature");
        let expected: EthSignature = case.signature.parse().unwrap();
        assert_eq!(
            recover_address(&typed.signing_hash(), &expected).unwrap(),
            signer.address(),
            "case {i} recovery"
        );
    }
}

#[test]
fn ed25519_matches_all_tweetnacl_vectors() {
    let v = vectors();
    assert_eq!(v.ed25519.len(), 40);
    for (i, case) in v.ed25519.iter().enumerate() {
        let seed = SecretBytes32::from_hex(&case.seed).unwrap();
        let from_seed = SolanaKeypair::from_seed(&seed);
        assert_eq!(
            from_seed.pubkey().to_string(),
            case.public_key,
            "case {i} pubkey"
        );

        let json = serde_json::to_string(&case.keypair_json).unwrap();
        let from_json = SolanaKeypair::from_keypair_json(&json).unwrap();
        assert_eq!(from_json.pubkey(), from_seed.pubkey(), "case {i} json");
        assert_eq!(
            *from_seed.to_keypair_json(),
            json,
            "case {i} json round trip"
        );

        let from_b58 = SolanaKeypair::from_base58(&case.keypair_base58).unwrap();
        assert_eq!(from_b58.pubkey(), from_seed.pubkey(), "case {i} base58");

        let sig = from_seed.sign(case.message.as_bytes());
        assert_eq!(sig.to_base58(), case.signature_base58, "case {i} signature");
        assert_eq!(
            hex::encode(sig.as_bytes()),
            case.signature_hex,
            "case {i} signature hex"
        );

        let parsed: SolanaSignature = case.signature_base58.parse().unwrap();
        verify(&from_seed.pubkey(), case.message.as_bytes(), &parsed).unwrap();
        let mut tampered = case.message.clone().into_bytes();
        tampered.push(b'!');
        assert!(
            verify(&from_seed.pubkey(), &tampered, &parsed).is_err(),
            "case {i} tampered"
        );
    }
}
