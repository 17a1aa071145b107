//! The signature checks of SIWE and SIWS, with this crate's own code (never
//! `auth-signing`): SIWE is EIP-191 `personal_sign` over the message's UTF-8 bytes,
//! recovered with the shared [`crate::eth`]; SIWS is strict ed25519 (`ed25519-dalek`)
//! over the same bytes.

use ed25519_dalek::{Signature, VerifyingKey};

use crate::eth::{keccak, recover_eth_signer};

/// What a malformed SIWE signature is told.
pub(crate) const SIWE_SIGNATURE_FORMAT: &str =
    "signature must be 0x followed by 130 hex digits (r, s and v: 27/28 or 0/1)";

/// What a malformed SIWS signature is told.
pub(crate) const SIWS_SIGNATURE_FORMAT: &str =
    "signature must be base58 of 64 bytes (hex is not accepted)";

/// Whether `signature` has the shape of an Ethereum signature: `0x` and 130 hex digits.
pub(crate) fn is_eth_signature(signature: &str) -> bool {
    signature
        .strip_prefix("0x")
        .is_some_and(|d| d.len() == 130 && d.bytes().all(|c| c.is_ascii_hexdigit()))
}

/// The EIP-191 (version `0x45`) digest of `message`:
/// `keccak256("\x19Ethereum Signed Message:\n" ‖ len ‖ message)`.
pub(crate) fn eip191_digest(message: &[u8]) -> [u8; 32] {
    let length = message.len().to_string();
    keccak(&[
        b"\x19Ethereum Signed Message:\n",
        length.as_bytes(),
        message,
    ])
}

/// Whether `signature` over `message` (`personal_sign`) recovers to `address`.
pub(crate) fn siwe_signed_by(message: &str, signature: &str, address: &[u8; 20]) -> bool {
    recover_eth_signer(&eip191_digest(message.as_bytes()), signature)
        .is_ok_and(|signer| &signer == address)
}

/// A detached ed25519 signature: base58 of exactly 64 bytes.
pub(crate) fn parse_siws_signature(text: &str) -> Option<[u8; 64]> {
    // 64 bytes are at most 88 base58 characters; refuse longer input before decoding.
    if text.len() > 88 {
        return None;
    }
    let bytes = bs58::decode(text).into_vec().ok()?;
    bytes.as_slice().try_into().ok()
}

/// Strict ed25519 verification (RFC 8032, refusing small-order keys and non-canonical
/// encodings) of `message` under `pubkey`.
pub(crate) fn siws_signed_by(pubkey: &[u8; 32], message: &str, signature: &[u8; 64]) -> bool {
    VerifyingKey::from_bytes(pubkey).is_ok_and(|key| {
        key.verify_strict(message.as_bytes(), &Signature::from_bytes(signature))
            .is_ok()
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test that cannot unwrap has failed
mod tests {
    //! Known answers made outside this workspace (never by `auth-signing`), with Python
    //! in a venv (`pip install eth-account pynacl`):
    //!
    //! ```text
    //! acct = Account.from_key(SIWE_KEY)                 # eth-account 0.13
    //! acct.sign_message(encode_defunct(text=SIWE_MESSAGE)).signature.hex()
    //! sk = nacl.signing.SigningKey(bytes([7]) * 32)     # PyNaCl 1.5
    //! base58(bytes(sk.verify_key)); base58(sk.sign(SIWS_MESSAGE.encode()).signature)
    //! ```
    //! (base58 with the Bitcoin alphabet, written out in the script.)

    use super::*;

    /// The private key of the SIWE known answer (the one in eth-account's documentation).
    #[allow(dead_code)]
    const SIWE_KEY: &str = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
    const SIWE_ADDRESS: &str = "2c7536E3605D9C16a7a3D7b1898e529396a65c23";
    const SIWE_MESSAGE: &str = "example.com wants you to sign in with your Ethereum account:\n\
        0x2c7536E3605D9C16a7a3D7b1898e529396a65c23\n\nSign in to the sandbox.\n\n\
        URI: https://example.com/login\nVersion: 1\nChain ID: 1\nNonce: abcDEF12345678901\n\
        Issued At: 2025-01-02T03:04:05.000Z";
    const SIWE_SIGNATURE: &str = "0xc6bf54282781b9c8c9ed63b0ff5e7952d85e4db935536b2cef587155ae3e4730\
        3825aa9e8f83f19cfb9e59a9ef94bdb97fd6bf43ac85dfdcc85e9070f250101e1c";

    const SIWS_PUBKEY: &str = "GmaDrppBC7P5ARKV8g3djiwP89vz1jLK23V2GBjuAEGB";
    const SIWS_MESSAGE: &str = "example.com wants you to sign in with your Solana account:\n\
        GmaDrppBC7P5ARKV8g3djiwP89vz1jLK23V2GBjuAEGB\n\nSign in to the sandbox.\n\n\
        URI: https://example.com/login\nVersion: 1\nChain ID: mainnet\n\
        Nonce: abcDEF12345678901\nIssued At: 2025-01-02T03:04:05.000Z";
    const SIWS_SIGNATURE: &str =
        "4beQuU6y1aCnfe2sDywZ6qEHQo1zfrsHre7PS37iFPUxhyMeTnm2uvAd4MaFRYvnqpNuq3tqE5NfSYxgWgLqEoBV";

    fn siwe_address() -> [u8; 20] {
        let mut out = [0u8; 20];
        hex::decode_to_slice(SIWE_ADDRESS, &mut out).unwrap();
        out
    }

    #[test]
    fn siwe_known_answer_recovers_and_a_changed_message_does_not() {
        assert!(is_eth_signature(SIWE_SIGNATURE));
        assert!(siwe_signed_by(
            SIWE_MESSAGE,
            SIWE_SIGNATURE,
            &siwe_address()
        ));
        let changed = SIWE_MESSAGE.replace("Chain ID: 1", "Chain ID: 5");
        assert!(!siwe_signed_by(&changed, SIWE_SIGNATURE, &siwe_address()));
        // v as 0/1 works as 27/28 (0x1c = 28 -> 0x01).
        let v01 = format!("{}01", &SIWE_SIGNATURE[..130]);
        assert!(siwe_signed_by(SIWE_MESSAGE, &v01, &siwe_address()));
        let v00 = format!("{}00", &SIWE_SIGNATURE[..130]);
        assert!(!siwe_signed_by(SIWE_MESSAGE, &v00, &siwe_address()));
    }

    #[test]
    fn siwe_signature_shape() {
        for bad in [
            "",
            "0x",
            &SIWE_SIGNATURE[2..],
            &SIWE_SIGNATURE[..130],
            "0xzz",
        ] {
            assert!(!is_eth_signature(bad), "{bad}");
        }
    }

    #[test]
    fn siws_known_answer_verifies_and_a_changed_message_does_not() {
        let key: [u8; 32] = bs58::decode(SIWS_PUBKEY)
            .into_vec()
            .unwrap()
            .try_into()
            .unwrap();
        let signature = parse_siws_signature(SIWS_SIGNATURE).unwrap();
        assert!(siws_signed_by(&key, SIWS_MESSAGE, &signature));
        let changed = SIWS_MESSAGE.replace("mainnet", "devnet");
        assert!(!siws_signed_by(&key, &changed, &signature));
    }

    #[test]
    fn siws_signatures_must_be_64_bytes_of_base58() {
        let hex_form = hex::encode(parse_siws_signature(SIWS_SIGNATURE).unwrap());
        let short = bs58::encode([7u8; 63]).into_string();
        for bad in [hex_form.as_str(), &short, "0OIl", "", &"1".repeat(89)] {
            assert_eq!(parse_siws_signature(bad), None, "{bad}");
        }
    }
}
