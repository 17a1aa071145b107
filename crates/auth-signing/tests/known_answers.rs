//! Published known-answer tests: the EIP-712 specification's Mail example, RFC 8032's
//! ed25519 tests 1 and 2, and EIP-191.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use auth_signing::eip712::{Eip712Domain, TypedData, TypedValue, Types};
use auth_signing::ethereum::{LocalEthSigner, recover_address};
use auth_signing::solana::{SolanaKeypair, SolanaSignature, verify};
use auth_signing::{eip191_hash, keccak256};
use auth_types::{EvmAddress, SecretBytes32};

const MAIL: &str = r#"{
  "types": {
    "EIP712Domain": [
      {"name": "name", "type": "string"},
      {"name": "version", "type": "string"},
      {"name": "chainId", "type": "uint256"},
      {"name": "verifyingContract", "type": "address"}
    ],
    "Person": [
      {"name": "name", "type": "string"},
      {"name": "wallet", "type": "address"}
    ],
    "Mail": [
      {"name": "from", "type": "Person"},
      {"name": "to", "type": "Person"},
      {"name": "contents", "type": "string"}
    ]
  },
  "primaryType": "Mail",
  "domain": {
    "name": "Ether Mail",
    "version": "1",
    "chainId": 1,
    "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"
  },
  "message": {
    "from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
    "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
    "contents": "Hello, Bob!"
  }
}"#;

fn hex32(h: [u8; 32]) -> String {
    format!("0x{}", hex::encode(h))
}

#[test]
fn eip712_mail_example_from_the_specification() {
    let typed: TypedData = MAIL.parse().unwrap();
    assert_eq!(
        typed.encode_type("Mail").unwrap(),
        "Mail(Person from,Person to,string contents)Person(string name,address wallet)"
    );
    assert_eq!(
        hex32(typed.type_hash("Mail").unwrap()),
        "0xa0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2"
    );
    assert_eq!(
        hex32(typed.domain_separator()),
        "0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f"
    );
    assert_eq!(
        hex32(typed.struct_hash()),
        "0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e"
    );
    assert_eq!(
        hex32(typed.signing_hash()),
        "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2"
    );

    let cow = LocalEthSigner::from_secret(SecretBytes32::new(keccak256(b"cow"))).unwrap();
    assert_eq!(
        cow.address().to_string(),
        "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"
    );
    let sig = cow.sign_typed_data(&typed).unwrap();
    assert_eq!(sig.v(), 28);
    assert_eq!(
        hex32(sig.r()),
        "0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d"
    );
    assert_eq!(
        hex32(sig.s()),
        "0x07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562"
    );
    assert_eq!(
        recover_address(&typed.signing_hash(), &sig).unwrap(),
        cow.address()
    );
}

#[test]
fn mail_example_built_in_rust_hashes_the_same() {
    let person = |name: &str, wallet: &str| {
        TypedValue::structure([
            ("name", TypedValue::from(name)),
            (
                "wallet",
                TypedValue::from(wallet.parse::<EvmAddress>().unwrap()),
            ),
        ])
    };
    let types = Types::new()
        .with_struct("Person", [("name", "string"), ("wallet", "address")])
        .with_struct(
            "Mail",
            [("from", "Person"), ("to", "Person"), ("contents", "string")],
        );
    let domain = Eip712Domain::default()
        .with_name("Ether Mail")
        .with_version("1")
        .with_chain_id(1u64)
        .with_verifying_contract(
            "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"
                .parse()
                .unwrap(),
        );
    let message = TypedValue::structure([
        (
            "from",
            person("Cow", "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"),
        ),
        (
            "to",
            person("Bob", "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"),
        ),
        ("contents", TypedValue::from("Hello, Bob!")),
    ]);
    let typed = TypedData::new(&domain, types, "Mail", message).unwrap();
    assert_eq!(
        hex32(typed.signing_hash()),
        "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2"
    );
    assert_eq!(typed.domain(), &domain);
}

#[test]
fn rfc8032_test_1_and_2() {
    let cases = [
        (
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        ),
        (
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
        ),
    ];
    for (secret, public, message, signature) in cases {
        let kp = SolanaKeypair::from_seed(&SecretBytes32::from_hex(secret).unwrap());
        assert_eq!(hex::encode(kp.pubkey().as_bytes()), public);
        let message = hex::decode(message).unwrap();
        let sig = kp.sign(&message);
        assert_eq!(hex::encode(sig.as_bytes()), signature);
        verify(&kp.pubkey(), &message, &sig).unwrap();
        // A flipped bit in the signature fails.
        let mut bad = *sig.as_bytes();
        bad[5] ^= 1;
        assert!(verify(&kp.pubkey(), &message, &SolanaSignature::from_bytes(bad)).is_err());
    }
}

#[test]
fn personal_sign_round_trip() {
    assert_eq!(
        hex32(eip191_hash(b"hello")),
        "0x50b2c43fd39106bafbba0da34fc430e1f91e3c96ea2acee2bc34119f92b37750"
    );
    let signer = LocalEthSigner::from_hex(&hex::encode(keccak256(b"cow"))).unwrap();
    let sig = signer.sign_personal_message(b"hello").unwrap();
    assert_eq!(
        recover_address(&eip191_hash(b"hello"), &sig).unwrap(),
        signer.address()
    );
    assert_ne!(
        recover_address(&eip191_hash(b"hullo"), &sig).unwrap(),
        signer.address()
    );
}
