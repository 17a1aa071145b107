//! Property tests: hostile or random typed data never panics, and whatever is signed
//! recovers to the signer.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use auth_signing::eip712::TypedData;
use auth_signing::ethereum::{EthSignature, LocalEthSigner, recover_address};
use auth_signing::solana::{SolanaKeypair, verify};
use auth_types::SecretBytes32;
use proptest::prelude::*;

mod strategies;

use strategies::{any_json, typed_document, valid_document};

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn valid_typed_data_always_parses_and_hashes(doc in valid_document()) {
        let typed = TypedData::from_json_value(doc.clone());
        prop_assert!(typed.is_ok(), "{:?} for {}", typed.err(), doc);
    }

    #[test]
    fn random_typed_data_never_panics(doc in typed_document()) {
        if let Ok(typed) = TypedData::from_json_value(doc.clone()) {
            let h = typed.hashes();
            prop_assert_eq!(h.signing_hash, typed.signing_hash());
            // Parsing the same document as text gives the same hash.
            let again: TypedData = serde_json::to_string(&doc).unwrap().parse().unwrap();
            prop_assert_eq!(again.signing_hash(), h.signing_hash);
        }
    }

    #[test]
    fn any_json_document_never_panics(doc in any_json()) {
        let _ = TypedData::from_json_value(doc);
    }

    #[test]
    fn any_text_never_panics(text in ".{0,200}") {
        let _ = text.parse::<TypedData>();
        let _ = text.parse::<EthSignature>();
        let _ = SolanaKeypair::from_keypair_json(&text);
        let _ = SolanaKeypair::from_base58(&text);
        let _ = LocalEthSigner::from_hex(&text);
    }

    #[test]
    fn sign_then_recover_gives_the_address(key in any::<[u8; 32]>(), hash in any::<[u8; 32]>()) {
        // About one key in 2^128 is out of range; those must be refused, not panic.
        if let Ok(signer) = LocalEthSigner::from_secret(SecretBytes32::new(key)) {
            let sig = signer.sign_hash(&hash).unwrap();
            prop_assert!(sig.v() == 27 || sig.v() == 28);
            prop_assert_eq!(recover_address(&hash, &sig).unwrap(), signer.address());
            // The signature survives its text form.
            let parsed: EthSignature = sig.to_string().parse().unwrap();
            prop_assert_eq!(parsed, sig);
        }
    }

    #[test]
    fn sign_typed_data_then_recover(key in any::<[u8; 32]>(), doc in valid_document()) {
        if let (Ok(signer), Ok(typed)) = (
            LocalEthSigner::from_secret(SecretBytes32::new(key)),
            TypedData::from_json_value(doc),
        ) {
            let sig = signer.sign_typed_data(&typed).unwrap();
            prop_assert_eq!(recover_address(&typed.signing_hash(), &sig).unwrap(), signer.address());
        }
    }

    #[test]
    fn solana_sign_then_verify(seed in any::<[u8; 32]>(), message in prop::collection::vec(any::<u8>(), 0..200)) {
        let kp = SolanaKeypair::from_seed_bytes(seed);
        let sig = kp.sign(&message);
        prop_assert!(verify(&kp.pubkey(), &message, &sig).is_ok());
        let parsed = SolanaKeypair::from_keypair_json(&kp.to_keypair_json()).unwrap();
        prop_assert_eq!(parsed.pubkey(), kp.pubkey());
    }
}

#[test]
fn the_generator_reaches_the_hashing_path() {
    // Guard against a strategy that only ever produces errors: a fair share of generated
    // documents must parse, so the properties above exercise hashing and signing too.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = typed_document();
    let total = 2000;
    let accepted = (0..total)
        .filter(|_| {
            let doc = strategy.new_tree(&mut runner).unwrap().current();
            TypedData::from_json_value(doc).is_ok()
        })
        .count();
    eprintln!("{accepted} of {total} generated documents parsed");
    assert!(accepted * 3 >= total, "only {accepted} of {total} parsed");
}

#[test]
fn high_s_and_bad_v_are_refused() {
    let signer = LocalEthSigner::from_hex(&"22".repeat(32)).unwrap();
    let hash = [5u8; 32];
    let sig = signer.sign_hash(&hash).unwrap();
    // v as 0/1 is accepted and normalized.
    let mut raw = *sig.as_bytes();
    raw[64] -= 27;
    assert_eq!(EthSignature::from_bytes(&raw).unwrap(), sig);
    raw[64] = 29;
    assert!(EthSignature::from_bytes(&raw).is_err());
    // The high-s twin (n - s, flipped v) is a valid ECDSA signature that Ethereum refuses.
    let n: [u8; 32] =
        hex::decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
            .unwrap()
            .try_into()
            .unwrap();
    let s = sig.s();
    let mut high = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let d = i16::from(n[i]) - i16::from(s[i]) - borrow;
        high[i] = d.rem_euclid(256) as u8;
        borrow = i16::from(d < 0);
    }
    let mut twin = *sig.as_bytes();
    twin[32..64].copy_from_slice(&high);
    twin[64] = if sig.v() == 27 { 28 } else { 27 };
    assert_eq!(
        EthSignature::from_bytes(&twin),
        Err(auth_signing::ethereum::SignatureError::HighS)
    );
}
