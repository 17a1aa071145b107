//! Benchmark 9: sign-in messages read and verified. EIP-4361 against spruceid's `siwe`
//! crate (parse, then `verify` at a time inside the window, with domain and nonce), on the
//! "example message" of its verification vectors; Sign In With Solana against a bare
//! `ed25519-dalek` strict verification of the same bytes.
//!
//! `cargo bench --manifest-path benches/Cargo.toml --bench sign_in`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use auth_signing::ethereum::EthSignature;
use auth_signing::siwe::{SiweFields, SiweMessage, Timestamp, VerifyOptions};
use auth_signing::siws::{SiwsFields, SiwsMessage};
use auth_signing::solana::SolanaKeypair;
use criterion::{Criterion, criterion_group, criterion_main};
use ed25519_dalek::{Signature, VerifyingKey};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// spruceid's `verification_positive.json` "example message".
const VECTORS: &str =
    include_str!("../../crates/auth-signing/tests/data/siwe/verification_positive.json");
/// A time inside the example message's window.
const AT: &str = "2023-01-01T00:00:00Z";

/// Runs a future that needs no waking (siwe's `verify` without its `ethers` feature).
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("siwe's verify waited"),
    }
}

struct Example {
    text: String,
    signature: Vec<u8>,
}

fn example() -> Example {
    let vectors: serde_json::Value = serde_json::from_str(VECTORS).unwrap();
    let mut case = vectors["example message"].clone();
    let signature = case["signature"].as_str().unwrap().to_owned();
    case.as_object_mut().unwrap().remove("signature");
    let fields: SiweFields = serde_json::from_value(case).unwrap();
    let text = SiweMessage::from_fields(fields).unwrap().to_string();
    let signature = hex_bytes(&signature);
    Example { text, signature }
}

fn hex_bytes(text: &str) -> Vec<u8> {
    let digits = text.trim_start_matches("0x");
    (0..digits.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&digits[i..i + 2], 16).unwrap())
        .collect()
}

fn ours_siwe(text: &str, signature: &[u8], options: &VerifyOptions) {
    let message = SiweMessage::parse(text).unwrap();
    let signature = EthSignature::from_bytes(signature).unwrap();
    message.verify(&signature, options).unwrap();
}

fn theirs_siwe(text: &str, signature: &[u8], options: &siwe::VerificationOpts) {
    let message: siwe::Message = text.parse().unwrap();
    ready(message.verify(signature, options)).unwrap();
}

fn siwe_options() -> (VerifyOptions, siwe::VerificationOpts) {
    let at = Timestamp::parse(AT).unwrap().to_system_time();
    let ours = VerifyOptions::at(at)
        .domain("login.xyz")
        .nonce("bTyXgcQxn2htgkjJn");
    let theirs = siwe::VerificationOpts {
        domain: Some("login.xyz".parse().unwrap()),
        nonce: Some("bTyXgcQxn2htgkjJn".into()),
        timestamp: Some(OffsetDateTime::parse(AT, &Rfc3339).unwrap()),
    };
    (ours, theirs)
}

/// Benchmark 9a: parse the text, then verify (time, domain, nonce, EOA signature).
fn siwe_parse_and_verify(c: &mut Criterion) {
    let example = example();
    let (ours, theirs) = siwe_options();
    // Both accept the example (each helper unwraps).
    ours_siwe(&example.text, &example.signature, &ours);
    theirs_siwe(&example.text, &example.signature, &theirs);
    let mut group = c.benchmark_group("9a_siwe_parse_and_verify");
    group.bench_function("ours", |b| {
        b.iter(|| {
            ours_siwe(
                black_box(&example.text),
                black_box(&example.signature),
                &ours,
            )
        })
    });
    group.bench_function("siwe-rs", |b| {
        b.iter(|| {
            theirs_siwe(
                black_box(&example.text),
                black_box(&example.signature),
                &theirs,
            )
        })
    });
    group.finish();
}

/// Benchmark 9b and 9c: the two halves apart, to see where the time goes.
fn siwe_halves(c: &mut Criterion) {
    let example = example();
    let (ours, theirs) = siwe_options();
    let mut group = c.benchmark_group("9b_siwe_parse");
    group.bench_function("ours", |b| {
        b.iter(|| SiweMessage::parse(black_box(&example.text)).unwrap())
    });
    group.bench_function("siwe-rs", |b| {
        b.iter(|| black_box(&example.text).parse::<siwe::Message>().unwrap())
    });
    group.finish();

    let message = SiweMessage::parse(&example.text).unwrap();
    let signature = EthSignature::from_bytes(&example.signature).unwrap();
    let their_message: siwe::Message = example.text.parse().unwrap();
    let mut group = c.benchmark_group("9c_siwe_verify");
    group.bench_function("ours", |b| {
        b.iter(|| {
            black_box(&message)
                .verify(black_box(&signature), &ours)
                .unwrap()
        })
    });
    group.bench_function("siwe-rs", |b| {
        b.iter(|| {
            ready(black_box(&their_message).verify(black_box(&example.signature), &theirs)).unwrap()
        })
    });
    group.finish();
}

/// Benchmark 9d: a Sign In With Solana text parsed and verified, against verifying the
/// same bytes with bare ed25519-dalek (strict, the key decompressed each time as ours is).
fn siws_parse_and_verify(c: &mut Criterion) {
    let keypair = SolanaKeypair::from_seed_bytes([9; 32]);
    let message = SiwsMessage::from_fields(SiwsFields {
        domain: "example.com".into(),
        address: keypair.pubkey().to_base58(),
        statement: Some("Sign in to Example".into()),
        uri: Some("https://example.com/login".into()),
        version: Some("1".into()),
        chain_id: Some("mainnet".into()),
        nonce: Some("oBbLoEldZs".into()),
        issued_at: Some("2022-01-27T17:09:38.578Z".into()),
        expiration_time: Some("2100-01-07T14:31:43.952Z".into()),
        ..SiwsFields::default()
    })
    .unwrap();
    let text = message.to_string();
    let signature = keypair.sign(text.as_bytes());
    let options = VerifyOptions::at(Timestamp::parse(AT).unwrap().to_system_time())
        .domain("example.com")
        .nonce("oBbLoEldZs");
    let key_bytes = *keypair.pubkey().as_bytes();
    let signature_bytes = *signature.as_bytes();

    let mut group = c.benchmark_group("9d_siws_parse_and_verify");
    group.bench_function("ours", |b| {
        b.iter(|| {
            let message = SiwsMessage::parse(black_box(&text)).unwrap();
            message.verify(black_box(&signature), &options).unwrap();
        })
    });
    group.bench_function("ed25519-dalek", |b| {
        b.iter(|| {
            let key = VerifyingKey::from_bytes(black_box(&key_bytes)).unwrap();
            let sig = Signature::from_bytes(black_box(&signature_bytes));
            key.verify_strict(black_box(text.as_bytes()), &sig).unwrap();
        })
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = config();
    targets = siwe_parse_and_verify, siwe_halves, siws_parse_and_verify
}
criterion_main!(benches);
