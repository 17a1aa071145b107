//! Ethereum key and signature parsing: private keys in hex, 65-byte signatures as text or
//! bytes, addresses. Errors never quote the input; what parses round-trips.
#![no_main]

use std::str::FromStr;

use auth_signing::ethereum::{EthSignature, LocalEthSigner, recover_address};
use auth_signing::keccak256;
use auth_types::{EvmAddress, SecretBytes32};
use libfuzzer_sys::fuzz_target;
use wallet_auth_fuzz::assert_not_echoed;

/// Half the secp256k1 order: the largest canonical `s`.
const HALF_ORDER: [u8; 32] = [
    0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0,
];

fn check_signature(sig: &EthSignature) {
    assert!(matches!(sig.v(), 27 | 28));
    assert!(sig.s() <= HALF_ORDER);
    assert_ne!(sig.r(), [0; 32]);
    assert_ne!(sig.s(), [0; 32]);
    let shown = sig.to_string();
    assert_eq!(EthSignature::from_str(&shown).as_ref(), Ok(sig));
    assert_eq!(EthSignature::from_bytes(sig.as_bytes()).as_ref(), Ok(sig));
    // Recovery either finds an address or fails with an error; never panics.
    if let Err(e) = recover_address(&keccak256(sig.as_bytes()), sig) {
        let _ = format!("{e} {e:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    match EthSignature::from_bytes(data) {
        Ok(sig) => check_signature(&sig),
        Err(e) => {
            let _ = format!("{e} {e:?}");
        }
    }

    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };

    match SecretBytes32::from_hex(text) {
        Ok(bytes) => {
            let trimmed = text.trim();
            let digits = trimmed.strip_prefix("0x").unwrap_or(trimmed);
            assert_eq!(
                hex::encode(bytes.expose_secret()),
                digits.to_ascii_lowercase()
            );
            assert_eq!(format!("{bytes:?}"), "SecretBytes32(<redacted>)");
        }
        Err(e) => assert_not_echoed("SecretBytes32::from_hex", text, &e),
    }

    match LocalEthSigner::from_hex(text) {
        Ok(signer) => {
            let hash = keccak256(data);
            let sig = signer.sign_hash(&hash).expect("a valid key signs");
            check_signature(&sig);
            assert_eq!(recover_address(&hash, &sig), Ok(signer.address()));
            let debug = format!("{signer:?}");
            assert_eq!(debug, format!("LocalEthSigner({})", signer.address()));
        }
        Err(e) => assert_not_echoed("LocalEthSigner::from_hex", text, &e),
    }

    match EthSignature::from_str(text) {
        Ok(sig) => check_signature(&sig),
        Err(e) => assert_not_echoed("EthSignature::from_str", text, &e),
    }

    match EvmAddress::from_str(text) {
        Ok(address) => {
            assert_eq!(EvmAddress::from_str(&address.to_string()), Ok(address));
            assert_eq!(
                EvmAddress::from_str(&address.to_lowercase_hex()),
                Ok(address)
            );
            assert!(text.eq_ignore_ascii_case(&address.to_string()));
        }
        Err(e) => assert_not_echoed("EvmAddress", text, &e),
    }
});
