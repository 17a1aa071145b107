//! Benchmarks 1-4: EIP-712 hashing and parsing against alloy, signing against the bare
//! curve operations.
//!
//! `cargo bench --manifest-path benches/Cargo.toml --bench signing`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use alloy_dyn_abi::eip712::TypedData as AlloyTypedData;
use auth_signing::eip712::TypedData;
use auth_signing::ethereum::LocalEthSigner;
use auth_signing::solana::SolanaKeypair;
use benches::{INPUTS, PUMP_MESSAGE, SOLANA_SEED, eth_key_hex, keccak_inputs, parse_both};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ed25519_dalek::Signer as _;
use secp256k1::{Message, SECP256K1, SecretKey};
use sha3::{Digest, Keccak256};

/// Benchmark 0, for reference: one Keccak-256 of 64 bytes (one permutation), as each
/// library does it (ours: `sha3` 0.10; alloy: `sha3` 0.11). The EIP-712 figures are
/// mostly these.
fn keccak(c: &mut Criterion) {
    let data = [0x5au8; 64];
    let mut group = c.benchmark_group("0_keccak256_64_bytes");
    group.bench_function("ours", |b| {
        b.iter(|| auth_signing::keccak256(black_box(&data)))
    });
    group.bench_function("alloy", |b| {
        b.iter(|| alloy_primitives::keccak256(black_box(&data)))
    });
    group.finish();
}

/// Benchmark 1: the signing hash of already-parsed typed data.
fn signing_hash(c: &mut Criterion) {
    let mut group = c.benchmark_group("1_signing_hash");
    for input in &INPUTS {
        let (ours, theirs) = parse_both(input);
        group.bench_with_input(BenchmarkId::new("ours", input.name), &ours, |b, t| {
            b.iter(|| black_box(t).signing_hash())
        });
        group.bench_with_input(BenchmarkId::new("alloy", input.name), &theirs, |b, t| {
            b.iter(|| black_box(t).eip712_signing_hash().unwrap())
        });
    }
    group.finish();
}

/// Benchmark 2: JSON text to signing hash.
fn parse_and_hash(c: &mut Criterion) {
    let mut group = c.benchmark_group("2_parse_and_hash");
    for input in &INPUTS {
        parse_both(input);
        group.bench_with_input(BenchmarkId::new("ours", input.name), input.json, |b, j| {
            b.iter(|| {
                TypedData::from_json_str(black_box(j))
                    .unwrap()
                    .signing_hash()
            })
        });
        group.bench_with_input(BenchmarkId::new("alloy", input.name), input.json, |b, j| {
            b.iter(|| {
                serde_json::from_str::<AlloyTypedData>(black_box(j))
                    .unwrap()
                    .eip712_signing_hash()
                    .unwrap()
            })
        });
    }
    group.finish();
}

/// Benchmark 3: signing typed data, against the bare operations: one Keccak over the
/// same bytes (every byte EIP-712 hashes for this message, in one buffer) plus the
/// `secp256k1` crate's recoverable signature on the digest. For reference also: each
/// Keccak call EIP-712 defines, made separately (the hashing no EIP-712 signer can
/// avoid), plus the signature; and the signature alone on a precomputed digest.
fn sign_typed_data(c: &mut Criterion) {
    let key_hex = eth_key_hex();
    let signer = LocalEthSigner::from_hex(&key_hex).unwrap();
    let secret = SecretKey::from_byte_array(auth_signing::keccak256(b"cow")).unwrap();
    let mut group = c.benchmark_group("3_sign_typed_data");
    for input in &INPUTS {
        let (ours, theirs) = parse_both(input);
        let calls = keccak_inputs(&ours, &theirs);
        let bytes = calls.concat();
        // The anchors must produce the very signature we produce.
        let expected = signer.sign_typed_data(&ours).unwrap();
        let digest = ours.signing_hash();
        let (_, compact) = SECP256K1
            .sign_ecdsa_recoverable(Message::from_digest(digest), &secret)
            .serialize_compact();
        assert_eq!(&expected.as_bytes()[..64], &compact[..]);

        group.bench_with_input(BenchmarkId::new("ours", input.name), &ours, |b, t| {
            b.iter(|| signer.sign_typed_data(black_box(t)).unwrap())
        });
        group.bench_with_input(
            BenchmarkId::new("bare_keccak_same_bytes+secp256k1", input.name),
            &bytes,
            |b, bytes| {
                b.iter(|| {
                    let _ = black_box(<[u8; 32]>::from(Keccak256::digest(black_box(bytes))));
                    // Sign the real digest, so the nonce and the curve work are the same.
                    SECP256K1.sign_ecdsa_recoverable(
                        Message::from_digest(black_box(digest)),
                        black_box(&secret),
                    )
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("bare_keccak_each_eip712_call+secp256k1", input.name),
            &calls,
            |b, calls| {
                b.iter(|| {
                    for call in black_box(calls) {
                        let _ = black_box(<[u8; 32]>::from(Keccak256::digest(call)));
                    }
                    SECP256K1.sign_ecdsa_recoverable(
                        Message::from_digest(black_box(digest)),
                        black_box(&secret),
                    )
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("secp256k1_precomputed_digest", input.name),
            &digest,
            |b, digest| {
                b.iter(|| {
                    SECP256K1.sign_ecdsa_recoverable(
                        Message::from_digest(*black_box(digest)),
                        black_box(&secret),
                    )
                })
            },
        );
    }
    group.finish();
}

/// Benchmark 4: ed25519 over the pump.fun sign-in message.
fn sign_ed25519(c: &mut Criterion) {
    let ours = SolanaKeypair::from_seed_bytes(SOLANA_SEED);
    let bare = ed25519_dalek::SigningKey::from_bytes(&SOLANA_SEED);
    assert_eq!(
        ours.sign(PUMP_MESSAGE).as_bytes()[..],
        bare.sign(PUMP_MESSAGE).to_bytes()[..]
    );
    let mut group = c.benchmark_group("4_ed25519_pump_sign_in");
    group.bench_function("ours", |b| b.iter(|| ours.sign(black_box(PUMP_MESSAGE))));
    group.bench_function("ed25519_dalek", |b| {
        b.iter(|| bare.sign(black_box(PUMP_MESSAGE)))
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
    targets = keccak, signing_hash, parse_and_hash, sign_typed_data, sign_ed25519
}
criterion_main!(benches);
