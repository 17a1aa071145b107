//! The Pear API's own signature check, written out field by field with `sha3` and
//! `secp256k1` directly, so that a hashing or recovery bug in `auth-signing` (the code
//! the sandbox exists to test) is caught instead of mirrored: the EIP-712 digest of the
//! `Authentication` message under the domain the sandbox serves, then ECDSA public-key
//! recovery.

use crate::eth::keccak;

/// The domain `name` the sandbox serves.
pub(crate) const DOMAIN_NAME: &str = "Pear Protocol";
/// The domain `version` the sandbox serves.
pub(crate) const DOMAIN_VERSION: &str = "1";
/// The `action` of every login message.
pub(crate) const ACTION: &str = "authenticate";

/// `encodeType` of the domain the sandbox serves: exactly its four fields, in the
/// canonical order of EIP-712 (`name`, `version`, `chainId`, `verifyingContract`; no
/// `salt`).
const DOMAIN_TYPE: &[u8] =
    b"EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";

/// `encodeType` of the login message.
const AUTHENTICATION_TYPE: &[u8] =
    b"Authentication(address address,string clientId,uint256 timestamp,string action)";

/// `encodeType` of the login message served to a request without `clientId`.
const AUTHENTICATION_TYPE_WITHOUT_CLIENT_ID: &[u8] =
    b"Authentication(address address,uint256 timestamp,string action)";

/// A `uint256` word: the number big-endian, left-padded with zeros.
fn uint256(n: u64) -> [u8; 32] {
    let mut word = [0u8; 32];
    word[24..].copy_from_slice(&n.to_be_bytes());
    word
}

/// An `address` word: the 20 bytes left-padded with zeros.
fn address_word(address: &[u8; 20]) -> [u8; 32] {
    let mut word = [0u8; 32];
    word[12..].copy_from_slice(address);
    word
}

/// `hashStruct(EIP712Domain)` of the domain the sandbox serves.
pub(crate) fn domain_separator(chain_id: u64, verifying_contract: &[u8; 20]) -> [u8; 32] {
    keccak(&[
        &keccak(&[DOMAIN_TYPE]),
        &keccak(&[DOMAIN_NAME.as_bytes()]),
        &keccak(&[DOMAIN_VERSION.as_bytes()]),
        &uint256(chain_id),
        &address_word(verifying_contract),
    ])
}

/// `hashStruct(Authentication)`: `address`, `clientId`, `timestamp`, `action`; without a
/// client id, the type without the `clientId` field: `address`, `timestamp`, `action`.
pub(crate) fn authentication_struct_hash(
    address: &[u8; 20],
    client_id: Option<&str>,
    timestamp: u64,
) -> [u8; 32] {
    match client_id {
        Some(client_id) => keccak(&[
            &keccak(&[AUTHENTICATION_TYPE]),
            &address_word(address),
            &keccak(&[client_id.as_bytes()]),
            &uint256(timestamp),
            &keccak(&[ACTION.as_bytes()]),
        ]),
        None => keccak(&[
            &keccak(&[AUTHENTICATION_TYPE_WITHOUT_CLIENT_ID]),
            &address_word(address),
            &uint256(timestamp),
            &keccak(&[ACTION.as_bytes()]),
        ]),
    }
}

/// The digest a wallet signs for a Pear login:
/// `keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(Authentication))`.
pub(crate) fn authentication_digest(
    chain_id: u64,
    verifying_contract: &[u8; 20],
    address: &[u8; 20],
    client_id: Option<&str>,
    timestamp: u64,
) -> [u8; 32] {
    keccak(&[
        b"\x19\x01",
        &domain_separator(chain_id, verifying_contract),
        &authentication_struct_hash(address, client_id, timestamp),
    ])
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test that cannot unwrap has failed
mod tests {
    //! Known answers made outside this workspace (never by `auth-signing`).

    use super::*;
    use crate::eth::{EthRefusal, recover_eth_signer};

    fn bytes<const N: usize>(hex_text: &str) -> [u8; N] {
        let mut out = [0u8; N];
        hex::decode_to_slice(hex_text, &mut out).unwrap();
        out
    }

    /// The sandbox's default domain: chain 42161, verifying contract `0x…01`.
    const CHAIN_ID: u64 = 42161;
    fn contract() -> [u8; 20] {
        let mut c = [0u8; 20];
        c[19] = 1;
        c
    }

    // The constants below were made with Python 3, eth-account 0.14.0 and pycryptodome
    // (`pip install eth-account pycryptodome`):
    //
    //   from eth_account import Account
    //   from eth_account.messages import encode_typed_data, _hash_eip191_message
    //   domain = {"name": "Pear Protocol", "version": "1", "chainId": 42161,
    //             "verifyingContract": "0x0000000000000000000000000000000000000001"}
    //   types = {"EIP712Domain": [name string, version string, chainId uint256,
    //                             verifyingContract address],
    //            "Authentication": [address address, clientId string,
    //                               timestamp uint256, action string]}
    //   message = {"address": "0x8ba1f109551bd432803012645ac136ddd64dba72",
    //              "clientId": "APITRADER", "timestamp": 1700000000,
    //              "action": "authenticate"}
    //   _hash_eip191_message(encode_typed_data(full_message={"types": types,
    //       "primaryType": "Authentication", "domain": domain, "message": message})).hex()
    //
    // and the same digest, domain separator and struct hash computed by hand with
    // pycryptodome's keccak (`Crypto.Hash.keccak`), both agreeing. The signature is
    // `Account.from_key("0x" + "11" * 32).sign_message(...)` of the same message with
    // `address` set to that key's address, 0x19e7e376e7c213b7e7e7e46cc70a5dd086daff2a.
    const ADDRESS: &str = "8ba1f109551bd432803012645ac136ddd64dba72";
    const TIMESTAMP: u64 = 1_700_000_000;
    const TYPE_HASH: &str = "32487759460f8c836795f17e57c318ace4a34337b65dad2906656b7358178a4e";
    const DOMAIN_SEPARATOR: &str =
        "df0f63a30d6cddb66e42fd622a6940792c22ff6db16f5f482f3dfb04ae554b25";
    const STRUCT_HASH: &str = "b1867661ec58c87680fa7ff580302fbefa7863445be5ed946b5713d8bd88e252";
    const DIGEST: &str = "c2edfe7bfe1b36398a8fc960f6052a4bb793a372d462f6f522830a6694aca800";
    const SIGNER: &str = "19e7e376e7c213b7e7e7e46cc70a5dd086daff2a";
    const SIGNER_DIGEST: &str = "940d5d16efc92406cd3fcf79ef7c8f9a6b51e54c3df89b4bd986a733042302fc";
    const SIGNATURE: &str = "0xa935e4718d5f9a18e10db68328ffbac4cfcf4a65c8b63fdb62bdbec44002adc4\
                             11156f3acd4c7fd7daf6eaa3547c57c4d4c2e982f156b978839cd6bbcc7fb8961b";

    // The message served without `clientId`, made the same way with
    //   types["Authentication"] = [address address, timestamp uint256, action string]
    //   message = {"address": ..., "timestamp": 1700000000, "action": "authenticate"}
    // for ADDRESS (digest and struct hash) and for SIGNER (digest and signature).
    const NO_CLIENT_TYPE_HASH: &str =
        "956b7b93b96ebf6963e0852c4fc6bae353e0783c3b5e69e93197aff84629453c";
    const NO_CLIENT_STRUCT_HASH: &str =
        "4b64aff06e2259123df2f730fff273bb200becaf9942371e06d5f34fb4e978cb";
    const NO_CLIENT_DIGEST: &str =
        "e6489167d7cc5e78b3624ee9d6ca702b490a3f06982db5d2e14f963e392baf92";
    const NO_CLIENT_SIGNER_DIGEST: &str =
        "9ce5ee3d9bec18958e97edf53d5a099018b537e5d17687ae3c65ecd4c3125314";
    const NO_CLIENT_SIGNATURE: &str = "0x25fd9108b428950f54746615fc4104497157d870782cb632493ab8aa31d1c65f\
                                       38d2171f721d2cbbdefbcb012d3270edd49f3bffeeaf2b4710fc002e10e5ff5e1c";

    /// The secp256k1 group order.
    const ORDER: [u8; 32] = [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36,
        0x41, 0x41,
    ];

    /// `ORDER - s`, big-endian.
    fn negate(s: &[u8]) -> [u8; 32] {
        let mut out = [0u8; 32];
        let mut borrow = 0i16;
        for i in (0..32).rev() {
            let mut d = i16::from(ORDER[i]) - i16::from(s[i]) - borrow;
            borrow = i16::from(d < 0);
            if d < 0 {
                d += 256;
            }
            out[i] = u8::try_from(d).unwrap();
        }
        out
    }

    #[test]
    fn digest_matches_eth_account_field_by_field() {
        assert_eq!(keccak(&[AUTHENTICATION_TYPE]), bytes::<32>(TYPE_HASH));
        assert_eq!(
            domain_separator(CHAIN_ID, &contract()),
            bytes::<32>(DOMAIN_SEPARATOR)
        );
        let address = bytes::<20>(ADDRESS);
        assert_eq!(
            authentication_struct_hash(&address, Some("APITRADER"), TIMESTAMP),
            bytes::<32>(STRUCT_HASH)
        );
        assert_eq!(
            authentication_digest(
                CHAIN_ID,
                &contract(),
                &address,
                Some("APITRADER"),
                TIMESTAMP
            ),
            bytes::<32>(DIGEST)
        );
    }

    #[test]
    fn digest_without_client_id_matches_eth_account() {
        assert_eq!(
            keccak(&[AUTHENTICATION_TYPE_WITHOUT_CLIENT_ID]),
            bytes::<32>(NO_CLIENT_TYPE_HASH)
        );
        let address = bytes::<20>(ADDRESS);
        assert_eq!(
            authentication_struct_hash(&address, None, TIMESTAMP),
            bytes::<32>(NO_CLIENT_STRUCT_HASH)
        );
        assert_eq!(
            authentication_digest(CHAIN_ID, &contract(), &address, None, TIMESTAMP),
            bytes::<32>(NO_CLIENT_DIGEST)
        );
        // An empty client id is a client id, not its absence.
        assert_ne!(
            authentication_digest(CHAIN_ID, &contract(), &address, Some(""), TIMESTAMP),
            bytes::<32>(NO_CLIENT_DIGEST)
        );
        let signer = bytes::<20>(SIGNER);
        let digest = authentication_digest(CHAIN_ID, &contract(), &signer, None, TIMESTAMP);
        assert_eq!(digest, bytes::<32>(NO_CLIENT_SIGNER_DIGEST));
        assert_eq!(recover_eth_signer(&digest, NO_CLIENT_SIGNATURE), Ok(signer));
        // The signature of one form is not the signer's for the other.
        assert_ne!(recover_eth_signer(&digest, SIGNATURE), Ok(signer));
    }

    #[test]
    fn every_field_changes_the_digest() {
        let address = bytes::<20>(ADDRESS);
        let base = authentication_digest(
            CHAIN_ID,
            &contract(),
            &address,
            Some("APITRADER"),
            TIMESTAMP,
        );
        let mut other_address = address;
        other_address[19] ^= 1;
        let mut other_contract = contract();
        other_contract[0] = 1;
        for changed in [
            authentication_digest(1, &contract(), &address, Some("APITRADER"), TIMESTAMP),
            authentication_digest(
                CHAIN_ID,
                &other_contract,
                &address,
                Some("APITRADER"),
                TIMESTAMP,
            ),
            authentication_digest(
                CHAIN_ID,
                &contract(),
                &other_address,
                Some("APITRADER"),
                TIMESTAMP,
            ),
            authentication_digest(
                CHAIN_ID,
                &contract(),
                &address,
                Some("PEARPROTOCOLUI"),
                TIMESTAMP,
            ),
            authentication_digest(
                CHAIN_ID,
                &contract(),
                &address,
                Some("APITRADER"),
                TIMESTAMP + 1,
            ),
        ] {
            assert_ne!(changed, base);
        }
    }

    #[test]
    fn eth_account_signature_recovers_its_signer() {
        let signer = bytes::<20>(SIGNER);
        let digest =
            authentication_digest(CHAIN_ID, &contract(), &signer, Some("APITRADER"), TIMESTAMP);
        assert_eq!(digest, bytes::<32>(SIGNER_DIGEST));
        assert_eq!(recover_eth_signer(&digest, SIGNATURE), Ok(signer));
        // v as 0/1 is the same signature.
        let v0 = format!("{}00", &SIGNATURE[..130]);
        assert_eq!(recover_eth_signer(&digest, &v0), Ok(signer));
        // Upper-case hex digits are hex digits.
        let upper = format!("0x{}", SIGNATURE[2..].to_ascii_uppercase());
        assert_eq!(recover_eth_signer(&digest, &upper), Ok(signer));
    }

    #[test]
    fn a_signature_over_another_timestamp_is_not_the_signers() {
        let signer = bytes::<20>(SIGNER);
        let other = authentication_digest(
            CHAIN_ID,
            &contract(),
            &signer,
            Some("APITRADER"),
            TIMESTAMP + 1,
        );
        assert_ne!(recover_eth_signer(&other, SIGNATURE), Ok(signer));
    }

    #[test]
    fn high_s_and_malformed_signatures_are_refused() {
        let digest = bytes::<32>(SIGNER_DIGEST);
        let raw = bytes::<65>(&SIGNATURE[2..]);
        // The malleable twin (n - s, other parity) is a valid signature by the same key;
        // Ethereum refuses it, and so does the sandbox.
        let mut twin = raw;
        twin[32..64].copy_from_slice(&negate(&raw[32..64]));
        twin[64] = if raw[64] == 27 { 28 } else { 27 };
        let twin = format!("0x{}", hex::encode(twin));
        assert_eq!(recover_eth_signer(&digest, &twin), Err(EthRefusal::HighS));

        let with_v = |v: &str| format!("{}{v}", &SIGNATURE[..130]);
        assert_eq!(
            recover_eth_signer(&digest, &with_v("1d")),
            Err(EthRefusal::BadV)
        );
        assert_eq!(
            recover_eth_signer(&digest, &with_v("02")),
            Err(EthRefusal::BadV)
        );
        for bad in [
            "0x1234",
            &SIGNATURE[2..],
            &format!("0X{}", &SIGNATURE[2..]),
            &format!("{SIGNATURE}00"),
            &format!("{}zz", &SIGNATURE[..130]),
            "",
        ] {
            assert_eq!(
                recover_eth_signer(&digest, bad),
                Err(EthRefusal::Malformed),
                "{bad}"
            );
        }
        let zero_r = format!("0x{}{}1b", "00".repeat(32), &SIGNATURE[66..130]);
        assert_eq!(
            recover_eth_signer(&digest, &zero_r),
            Err(EthRefusal::OutOfRange)
        );
        // r at the group order does not parse.
        let big_r = format!("0x{}{}1b", hex::encode(ORDER), &SIGNATURE[66..130]);
        assert_eq!(
            recover_eth_signer(&digest, &big_r),
            Err(EthRefusal::OutOfRange)
        );
    }
}
