//! The generators: arbitrary JSON, hostile-looking documents, and valid documents with
//! values that fit their types.

use proptest::prelude::*;
use serde_json::{Value, json};

/// Any JSON value, nested a few levels.
pub(super) fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        interesting_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((field_name(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn interesting_string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 _]{0,12}",
        "0x[0-9a-fA-F]{0,70}",
        "-?[0-9]{1,90}",
        Just("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826".to_owned()),
        Just("0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826".to_owned()),
        Just("épsilon 日本語".to_owned()),
    ]
}

fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a".to_owned()),
        Just("b".to_owned()),
        Just("c".to_owned()),
        "[a-z]{1,3}"
    ]
}

/// Type names, valid and not, atomic, struct and array.
fn type_name() -> impl Strategy<Value = String> {
    let base = prop_oneof![
        Just("bool".to_owned()),
        Just("address".to_owned()),
        Just("string".to_owned()),
        Just("bytes".to_owned()),
        (0u32..40).prop_map(|n| format!("bytes{n}")),
        (0u32..300).prop_map(|n| format!("uint{n}")),
        (0u32..300).prop_map(|n| format!("int{n}")),
        Just("S".to_owned()),
        Just("R".to_owned()),
        Just("Missing".to_owned()),
    ];
    (
        base,
        prop::collection::vec(prop::option::of(0usize..4), 0..3),
    )
        .prop_map(|(b, dims)| {
            let mut t = b;
            for d in dims {
                match d {
                    Some(n) => t.push_str(&format!("[{n}]")),
                    None => t.push_str("[]"),
                }
            }
            t
        })
}

fn struct_def() -> impl Strategy<Value = Value> {
    prop::collection::vec((field_name(), type_name()), 0..4).prop_map(|fields| {
        Value::Array(
            fields
                .into_iter()
                .map(|(n, t)| json!({"name": n, "type": t}))
                .collect(),
        )
    })
}

/// A document of random (often invalid) types and values, or a valid one.
pub(super) fn typed_document() -> impl Strategy<Value = Value> {
    prop_oneof![random_document(), valid_document()]
}

fn random_document() -> impl Strategy<Value = Value> {
    (
        struct_def(),
        struct_def(),
        struct_def(),
        any_json(),
        any_json(),
        prop::bool::ANY,
    )
        .prop_map(|(s, r, t, message, domain, canonical_domain)| {
            let domain = if canonical_domain {
                json!({"name": "x", "chainId": 1})
            } else {
                domain
            };
            json!({
                "types": {"S": s, "R": r, "T": t},
                "primaryType": "T",
                "domain": domain,
                "message": message,
            })
        })
}

/// A valid atomic type name.
fn atomic_type() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("bool".to_owned()),
        Just("address".to_owned()),
        Just("string".to_owned()),
        Just("bytes".to_owned()),
        (1u32..=32).prop_map(|n| format!("bytes{n}")),
        (1u32..=32).prop_map(|n| format!("uint{}", n * 8)),
        (1u32..=32).prop_map(|n| format!("int{}", n * 8)),
    ]
}

/// A valid field type: an atomic type or one of `structs`, with up to two array suffixes.
fn field_type(structs: &'static [&'static str]) -> impl Strategy<Value = String> {
    let base = if structs.is_empty() {
        atomic_type().boxed()
    } else {
        prop_oneof![
            atomic_type(),
            prop::sample::select(structs).prop_map(str::to_owned)
        ]
        .boxed()
    };
    (
        base,
        prop::collection::vec(prop::option::of(1usize..3), 0..3),
    )
        .prop_map(|(b, dims)| {
            let mut t = b;
            for d in dims {
                match d {
                    Some(n) => t.push_str(&format!("[{n}]")),
                    None => t.push_str("[]"),
                }
            }
            t
        })
}

fn fields(structs: &'static [&'static str]) -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::btree_map("[a-z]{1,4}", field_type(structs), 0..4)
        .prop_map(|m| m.into_iter().collect())
}

/// A value of type `ty` that its type accepts. `types` maps struct names to their fields.
fn value_for(
    ty: &str,
    types: &std::collections::BTreeMap<String, Vec<(String, String)>>,
) -> BoxedStrategy<Value> {
    if let Some(inner) = ty.strip_suffix("[]") {
        let elem = value_for(inner, types);
        return prop::collection::vec(elem, 0..3)
            .prop_map(Value::Array)
            .boxed();
    }
    if let Some(rest) = ty.strip_suffix(']') {
        let open = rest.rfind('[').unwrap();
        let n: usize = rest[open + 1..].parse().unwrap();
        let elem = value_for(&rest[..open], types);
        return prop::collection::vec(elem, n..=n)
            .prop_map(Value::Array)
            .boxed();
    }
    if let Some(fields) = types.get(ty) {
        let parts: Vec<BoxedStrategy<(String, Value)>> = fields
            .iter()
            .map(|(name, t)| {
                let name = name.clone();
                value_for(t, types)
                    .prop_map(move |v| (name.clone(), v))
                    .boxed()
            })
            .collect();
        return parts
            .prop_map(|kv| Value::Object(kv.into_iter().collect()))
            .boxed();
    }
    let hex_of = |n: usize| {
        prop::collection::vec(any::<u8>(), n..=n)
            .prop_map(|b| json!(format!("0x{}", hex::encode(b))))
    };
    match ty {
        "bool" => any::<bool>().prop_map(Value::Bool).boxed(),
        "address" => hex_of(20).boxed(),
        "string" => interesting_string().prop_map(Value::String).boxed(),
        "bytes" => (0usize..70).prop_flat_map(hex_of).boxed(),
        _ => {
            let (signed, digits) = match ty.strip_prefix("uint") {
                Some(d) => (false, d),
                None => match ty.strip_prefix("int") {
                    Some(d) => (true, d),
                    None => {
                        let n: usize = ty.trim_start_matches("bytes").parse().unwrap();
                        return hex_of(n).boxed();
                    }
                },
            };
            let bits: u32 = digits.parse().unwrap();
            let magnitude_bytes = (bits / 8) as usize;
            if signed {
                // Small values as JSON numbers (either sign), large positive ones as hex.
                let small = any::<i64>().prop_map(move |v| {
                    if bits >= 64 {
                        json!(v)
                    } else {
                        json!(v >> (64 - bits))
                    }
                });
                let large = prop::collection::vec(any::<u8>(), magnitude_bytes..=magnitude_bytes)
                    .prop_map(|mut b| {
                        b[0] &= 0x7f;
                        json!(format!("0x{}", hex::encode(b)))
                    });
                prop_oneof![small, large].boxed()
            } else {
                let small = any::<u64>().prop_map(move |v| {
                    if bits >= 64 {
                        json!(v)
                    } else {
                        json!(v >> (64 - bits))
                    }
                });
                let large = prop::collection::vec(any::<u8>(), magnitude_bytes..=magnitude_bytes)
                    .prop_map(|b| json!(format!("0x{}", hex::encode(b))));
                prop_oneof![small, large].boxed()
            }
        }
    }
}

/// A document that is valid by construction: three struct types (`T` uses `R` and `S`,
/// `R` uses `S`) and a message generated from them.
pub(super) fn valid_document() -> impl Strategy<Value = Value> {
    (fields(&[]), fields(&["S"]), fields(&["S", "R"]))
        .prop_flat_map(|(s, r, t)| {
            let types: std::collections::BTreeMap<String, Vec<(String, String)>> = [
                ("S".to_owned(), s),
                ("R".to_owned(), r),
                ("T".to_owned(), t),
            ]
            .into();
            let message = value_for("T", &types);
            (Just(types), message)
        })
        .prop_map(|(types, message)| {
            let types: serde_json::Map<String, Value> = types
                .into_iter()
                .map(|(name, fields)| {
                    let list = fields
                        .into_iter()
                        .map(|(n, t)| json!({"name": n, "type": t}))
                        .collect();
                    (name, Value::Array(list))
                })
                .collect();
            json!({
                "types": types,
                "primaryType": "T",
                "domain": {"name": "x", "version": "1", "chainId": 1},
                "message": message,
            })
        })
}
