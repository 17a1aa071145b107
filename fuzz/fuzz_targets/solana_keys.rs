//! Solana key parsing: the keypair file (JSON array of 64 bytes), base58 keypairs, raw
//! keypair bytes, public keys and signatures. Errors never quote the input; what parses
//! round-trips.
#![no_main]

use std::str::FromStr;

use auth_signing::solana::{SolanaKeypair, SolanaSignature, verify};
use auth_types::SolanaPubkey;
use libfuzzer_sys::fuzz_target;
use wallet_auth_fuzz::assert_not_echoed;

fuzz_target!(|data: &[u8]| {
    // Raw bytes: seed then public key.
    match SolanaKeypair::from_keypair_bytes(data) {
        Ok(kp) => {
            assert_eq!(data.len(), 64);
            assert_eq!(kp.pubkey().as_bytes()[..], data[32..]);
        }
        Err(e) => {
            let _ = format!("{e} {e:?}");
        }
    }

    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };

    match SolanaKeypair::from_keypair_json(text) {
        Ok(kp) => {
            let file = kp.to_keypair_json();
            let again = SolanaKeypair::from_keypair_json(&file).expect("own file format parses");
            assert_eq!(again.pubkey(), kp.pubkey());
            let sig = kp.sign(data);
            verify(&kp.pubkey(), data, &sig).expect("own signature verifies");
            assert!(!format!("{kp:?}").contains(file.as_str()));
        }
        Err(e) => assert_not_echoed("from_keypair_json", text, &e),
    }

    match SolanaKeypair::from_base58(text) {
        Ok(kp) => {
            let bytes = bs58::decode(text.trim()).into_vec().expect("it parsed");
            assert_eq!(bytes.len(), 64);
            assert_eq!(kp.pubkey().as_bytes()[..], bytes[32..]);
            assert!(!format!("{kp:?}").contains(text.trim()));
        }
        Err(e) => assert_not_echoed("from_base58", text, &e),
    }

    match SolanaPubkey::from_str(text) {
        Ok(key) => {
            let shown = key.to_string();
            assert_eq!(shown, text, "a public key has one base58 form");
            assert_eq!(SolanaPubkey::from_str(&shown), Ok(key));
        }
        Err(e) => assert_not_echoed("SolanaPubkey", text, &e),
    }

    match SolanaSignature::from_str(text) {
        Ok(sig) => {
            assert_eq!(SolanaSignature::from_str(&sig.to_string()), Ok(sig));
        }
        Err(e) => {
            let _ = format!("{e} {e:?}");
        }
    }
});
