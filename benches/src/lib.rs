//! What the benchmarks share: the four EIP-712 inputs, the test keys, and the Keccak
//! inputs that the bare anchors of the signing benchmark hash.
//!
//! Every input is checked at start-up: our signing hash must equal alloy's, byte for byte,
//! or the benchmark refuses to run (a fast wrong answer is worth nothing).

#![allow(clippy::unwrap_used, clippy::expect_used)] // benchmark set-up: fail loudly

use alloy_dyn_abi::DynSolValue;
use alloy_dyn_abi::eip712::{Resolver, TypedData as AlloyTypedData};

/// One EIP-712 input: a name for the reports and its `eth_signTypedData_v4` JSON text.
#[derive(Clone, Copy, Debug)]
pub struct Input {
    /// Short name used in benchmark ids.
    pub name: &'static str,
    /// The JSON text.
    pub json: &'static str,
}

/// Pear's login message (`Authentication`, no `EIP712Domain` in `types`), the EIP-712
/// spec's Mail example, a Seaport order with 20 consideration items, and six levels of
/// nested arrays plus a `Point[2][][2]` of structs.
pub const INPUTS: [Input; 4] = [
    Input {
        name: "pear_authentication",
        json: include_str!("../data/pear_authentication.json"),
    },
    Input {
        name: "mail",
        json: include_str!("../data/mail.json"),
    },
    Input {
        name: "seaport_20_items",
        json: include_str!("../data/seaport_order.json"),
    },
    Input {
        name: "nested_arrays",
        json: include_str!("../data/nested_arrays.json"),
    },
];

/// The Ethereum test key: keccak256("cow"), the key of the EIP-712 spec's example.
pub fn eth_key_hex() -> String {
    alloy_primitives::hex::encode(auth_signing::keccak256(b"cow"))
}

/// The Solana test seed.
pub const SOLANA_SEED: [u8; 32] = [7u8; 32];

/// The pump.fun sign-in message, as the client builds it.
pub const PUMP_MESSAGE: &[u8] = b"Sign in to pump.fun: 1732076598000";

/// Parses `input` with both libraries and checks that they agree on the signing hash.
pub fn parse_both(input: &Input) -> (auth_signing::eip712::TypedData, AlloyTypedData) {
    let ours = auth_signing::eip712::TypedData::from_json_str(input.json)
        .unwrap_or_else(|e| panic!("{}: ours refused the input: {e}", input.name));
    let theirs: AlloyTypedData = serde_json::from_str(input.json)
        .unwrap_or_else(|e| panic!("{}: alloy refused the input: {e}", input.name));
    let alloy_hash = theirs
        .eip712_signing_hash()
        .unwrap_or_else(|e| panic!("{}: alloy could not hash: {e}", input.name));
    assert_eq!(
        ours.signing_hash(),
        alloy_hash.0,
        "{}: ours and alloy disagree on the signing hash",
        input.name
    );
    (ours, theirs)
}

/// The input of every Keccak-256 call that EIP-712 defines for one signing hash, in
/// order: the domain's hashed strings and its `typeHash ‖ encodeData`, the same for every
/// `string`, `bytes`, array and struct of the message, and the final 66 bytes
/// `0x1901 ‖ domainSeparator ‖ hashStruct(message)`. Type hashes are left out: they belong
/// to the document's types, not to a signature, (alloy recomputes them per
/// signing hash, ours does not; leaving them out favours the anchors).
///
/// Concatenated, these are the "same bytes" of the signing benchmark's bare-Keccak
/// anchor; hashed one by one, they are the Keccak work EIP-712 cannot avoid. The walk is
/// checked: it recomputes the message's `hashStruct`, which must agree with ours.
pub fn keccak_inputs(
    ours: &auth_signing::eip712::TypedData,
    theirs: &AlloyTypedData,
) -> Vec<Vec<u8>> {
    let mut calls = Vec::new();
    let domain = &theirs.domain;
    for text in [domain.name.as_deref(), domain.version.as_deref()]
        .into_iter()
        .flatten()
    {
        calls.push(text.as_bytes().to_vec());
    }
    let mut domain_struct = domain.type_hash().to_vec();
    domain_struct.extend_from_slice(&domain.encode_data());
    calls.push(domain_struct);

    let message = theirs.coerce().expect("alloy coerces the message");
    let struct_hash = walk(&theirs.resolver, &message, &mut calls);
    let hashes = ours.hashes();
    assert_eq!(struct_hash, hashes.struct_hash, "the byte walk disagrees");

    let mut last = vec![0x19, 0x01];
    last.extend_from_slice(&hashes.domain_separator);
    last.extend_from_slice(&hashes.struct_hash);
    calls.push(last);
    calls
}

/// Records the Keccak inputs of encoding `value` and returns its 32-byte encoding.
fn walk(resolver: &Resolver, value: &DynSolValue, calls: &mut Vec<Vec<u8>>) -> [u8; 32] {
    if let Some(word) = value.as_word() {
        return word.0;
    }
    let mut buf = Vec::new();
    match value {
        DynSolValue::CustomStruct { name, tuple, .. } => {
            buf.extend_from_slice(resolver.type_hash(name).expect("known type").as_slice());
            for field in tuple {
                let word = walk(resolver, field, calls);
                buf.extend_from_slice(&word);
            }
        }
        DynSolValue::Array(items) | DynSolValue::FixedArray(items) => {
            for item in items {
                let word = walk(resolver, item, calls);
                buf.extend_from_slice(&word);
            }
        }
        DynSolValue::Bytes(bytes) => buf.extend_from_slice(bytes),
        DynSolValue::String(text) => buf.extend_from_slice(text.as_bytes()),
        other => panic!("unexpected value in typed data: {other:?}"),
    }
    let hash = auth_signing::keccak256(&buf);
    calls.push(buf);
    hash
}
