//! Checked messages, ed25519 signing with `SolanaKeypair`, a wrong key, verification.

use std::time::{Duration, UNIX_EPOCH};

use auth_signing::siws::{SiwsError, SiwsFields, SiwsMessage, VerifyOptions, read_signature};
use auth_signing::solana::SolanaKeypair;
use futures_executor::block_on;

fn fields(keypair: &SolanaKeypair) -> SiwsFields {
    SiwsFields {
        domain: "example.com".into(),
        address: keypair.pubkey().to_base58(),
        statement: Some("Sign in to Example".into()),
        uri: Some("https://example.com/login".into()),
        version: Some("1".into()),
        chain_id: Some("mainnet".into()),
        nonce: Some("oBbLoEldZs".into()),
        issued_at: Some("2024-01-01T00:00:00.000Z".into()),
        expiration_time: Some("2024-01-01T00:10:00.000Z".into()),
        not_before: Some("2024-01-01T00:00:00.000Z".into()),
        request_id: Some("42".into()),
        resources: Some(vec!["https://example.com/terms".into()]),
    }
}

fn inside() -> VerifyOptions {
    VerifyOptions::at(UNIX_EPOCH + Duration::from_secs(1_704_067_260))
        .domain("example.com")
        .nonce("oBbLoEldZs")
}

#[test]
fn signs_and_verifies_with_a_keypair() {
    let keypair = SolanaKeypair::from_seed_bytes([3; 32]);
    let message = SiwsMessage::from_fields(fields(&keypair)).unwrap();
    let signature = block_on(message.sign(&keypair)).unwrap();
    assert_eq!(signature, keypair.sign(message.to_string().as_bytes()));
    let received = SiwsMessage::parse(&message.to_string()).unwrap();
    assert_eq!(received, message);
    received.verify(&signature, &inside()).unwrap();
    let raw = read_signature(signature.as_bytes()).unwrap();
    received.verify(&raw, &inside()).unwrap();

    let late = VerifyOptions::at(UNIX_EPOCH + Duration::from_secs(1_704_067_800));
    assert!(matches!(
        received.verify(&signature, &late),
        Err(SiwsError::Expired { .. })
    ));
    let early = VerifyOptions::at(UNIX_EPOCH + Duration::from_secs(1_704_067_199));
    assert!(matches!(
        received.verify(&signature, &early),
        Err(SiwsError::NotYetValid { .. })
    ));
    assert!(matches!(
        received.verify(&signature, &inside().domain("evil.example")),
        Err(SiwsError::DomainMismatch { .. })
    ));
    assert!(matches!(
        received.verify(&signature, &inside().nonce("other")),
        Err(SiwsError::NonceMismatch { .. })
    ));
}

#[test]
fn refuses_a_wrong_key() {
    let keypair = SolanaKeypair::from_seed_bytes([3; 32]);
    let other = SolanaKeypair::from_seed_bytes([4; 32]);
    let message = SiwsMessage::from_fields(fields(&keypair)).unwrap();
    assert!(matches!(
        block_on(message.sign(&other)),
        Err(SiwsError::SignerKey { .. })
    ));
    let forged = other.sign(message.to_string().as_bytes());
    assert!(matches!(
        message.verify(&forged, &inside()),
        Err(SiwsError::Signature { .. })
    ));
}

#[test]
fn refuses_invalid_fields_and_texts() {
    let keypair = SolanaKeypair::from_seed_bytes([3; 32]);
    type Change = fn(&mut SiwsFields);
    let cases: [(&str, Change); 7] = [
        (
            "\"address\": must be a base58 public key of 32 bytes",
            |f| f.address = "0OIl".into(),
        ),
        ("\"domain\": must not be empty", |f| f.domain.clear()),
        ("\"nonce\": must be one line", |f| {
            f.nonce = Some("a\nb".into())
        }),
        ("\"uri\": must not be empty (leave it out instead)", |f| {
            f.uri = Some(String::new())
        }),
        (
            "\"notBefore\": must be an RFC 3339 date-time such as 2021-09-30T16:25:24.000Z",
            |f| f.not_before = Some("2024-02-30T00:00:00Z".into()),
        ),
        (
            "\"statement\": would read back as other fields (it holds lines that look like fields)",
            |f| {
                *f = SiwsFields {
                    domain: f.domain.clone(),
                    address: f.address.clone(),
                    statement: Some("Hi\n\nURI: https://evil.example".into()),
                    ..SiwsFields::default()
                };
            },
        ),
        ("\"resources\": each must be one non-empty line", |f| {
            f.resources = Some(vec![String::new()])
        }),
    ];
    for (reason, change) in cases {
        let mut f = fields(&keypair);
        change(&mut f);
        assert_eq!(SiwsMessage::from_fields(f).unwrap_err().to_string(), reason);
    }
    let text = SiwsMessage::from_fields(fields(&keypair))
        .unwrap()
        .to_string();
    assert!(matches!(
        SiwsMessage::parse(&format!("{text}\n")),
        Err(SiwsError::NotCanonical)
    ));
    assert!(matches!(
        SiwsMessage::parse("hello"),
        Err(SiwsError::Syntax)
    ));
    assert!(matches!(
        read_signature(b"not base58 0OIl"),
        Err(SiwsError::MalformedSignature)
    ));
}
