//! One test per kind of bad typed data: each must be a specific error naming the path,
//! never a panic and never a hash.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use auth_signing::eip712::{Eip712Error, MAX_DEPTH, TypedData};
use auth_types::AddressError;
use serde_json::{Value, json};

/// A valid document with one struct `T` holding `field` of type `ty` set to `value`.
fn doc(ty: &str, value: Value) -> Value {
    json!({
        "types": {"T": [{"name": "field", "type": ty}]},
        "primaryType": "T",
        "domain": {"name": "Test", "chainId": 1},
        "message": {"field": value},
    })
}

fn err(document: Value) -> Eip712Error {
    match TypedData::from_json_value(document) {
        Ok(t) => panic!("accepted: {t:?}"),
        Err(e) => e,
    }
}

fn ok(document: Value) -> TypedData {
    TypedData::from_json_value(document).unwrap()
}

#[test]
fn integer_out_of_range_for_its_width() {
    assert_eq!(
        err(doc("uint8", json!(256))),
        Eip712Error::IntegerOutOfRange {
            path: "message.field".into(),
            type_name: "uint8".into()
        }
    );
    ok(doc("uint8", json!(255)));
    ok(doc("int8", json!(-128)));
    ok(doc("int8", json!("127")));
    assert!(matches!(
        err(doc("int8", json!(128))),
        Eip712Error::IntegerOutOfRange { .. }
    ));
    assert!(matches!(
        err(doc("int8", json!("-129"))),
        Eip712Error::IntegerOutOfRange { .. }
    ));
    assert!(matches!(
        err(doc("int8", json!("0x80"))),
        Eip712Error::IntegerOutOfRange { .. }
    ));
    let two_256 = "115792089237316195423570985008687907853269984665640564039457584007913129639936";
    assert!(matches!(
        err(doc("uint256", json!(two_256))),
        Eip712Error::IntegerOutOfRange { .. }
    ));
    ok(doc(
        "int256",
        json!(format!(
            "-{}",
            "57896044618658097711785492504343953926634992332820282019728792003956564819968"
        )),
    ));
    assert!(matches!(
        err(doc(
            "int256",
            json!("57896044618658097711785492504343953926634992332820282019728792003956564819968")
        )),
        Eip712Error::IntegerOutOfRange { .. }
    ));
}

#[test]
fn int_two_complement_encoding() {
    // int8 -1 and uint8 255 encode differently: -1 is 32 bytes of 0xff.
    let minus_one = ok(doc("int8", json!(-1)));
    let via_string = ok(doc("int8", json!("-1")));
    assert_eq!(minus_one.signing_hash(), via_string.signing_hash());
    let plus_one = ok(doc("int8", json!(1)));
    assert_ne!(minus_one.signing_hash(), plus_one.signing_hash());
}

#[test]
fn negative_uint() {
    assert_eq!(
        err(doc("uint256", json!(-1))),
        Eip712Error::NegativeUnsigned {
            path: "message.field".into(),
            type_name: "uint256".into()
        }
    );
    assert!(matches!(
        err(doc("uint64", json!("-5"))),
        Eip712Error::NegativeUnsigned { .. }
    ));
    // Minus zero is zero.
    ok(doc("uint8", json!("-0")));
}

#[test]
fn inexact_json_numbers_are_never_rounded() {
    // `1.0` and `1e3` were here: they are exact integers, accepted since issue 15 (see
    // `exact_integral_json_numbers_are_accepted`).
    for n in [
        "1.5",
        "5.5",
        "-0.5",
        "1.5e0",
        "1e-1",
        "12345e-2",
        "18446744073709551616",
        "-9223372036854775809",
        "5.001",
        "1732076598.25",
        "1099511627775.5",
        // A fraction or exponent past 2^40: serde_json reads 9007199254740991.0 as
        // 9007199254740990, and 1125899906842623.1 as an integer, so none is trusted.
        "1099511627776.0",
        "-1099511627776.0",
        "1e13",
        "9007199254740991.0",
        "9007199254740993.0",
        "1e19",
        "18446744073709551615.0",
        "1e300",
    ] {
        let expected = Eip712Error::InexactNumber {
            path: "message.field".into(),
        };
        let v: Value = serde_json::from_str(n).unwrap();
        assert_eq!(err(doc("uint256", v.clone())), expected, "{n}");
        assert_eq!(err(doc("int256", v)), expected, "{n}");
        let text = doc("uint256", json!(0))
            .to_string()
            .replace(r#""field":0"#, &format!(r#""field":{n}"#));
        assert_eq!(
            TypedData::from_json_str(&text).unwrap_err(),
            expected,
            "{n}"
        );
    }
    // The largest exact JSON integers are fine.
    ok(doc("uint64", json!(u64::MAX)));
    ok(doc("int64", json!(i64::MIN)));
}

#[test]
fn malformed_integer_strings() {
    for s in ["", "-", "0x", "-0x10", "12a", " 12", "+1", "1e3", "0b101"] {
        assert_eq!(
            err(doc("uint256", json!(s))),
            Eip712Error::InvalidInteger {
                path: "message.field".into()
            },
            "{s:?}"
        );
    }
}

#[test]
fn bytes_n_of_the_wrong_length() {
    assert_eq!(
        err(doc("bytes4", json!("0x010203"))),
        Eip712Error::BytesLength {
            path: "message.field".into(),
            type_name: "bytes4".into(),
            expected: 4,
            found: 3
        }
    );
    ok(doc("bytes4", json!("0x01020304")));
}

#[test]
fn non_hex_bytes() {
    for s in ["hello", "0xzz", "0x123", "0X1234"] {
        assert_eq!(
            err(doc("bytes", json!(s))),
            Eip712Error::InvalidHex {
                path: "message.field".into()
            },
            "{s}"
        );
    }
    ok(doc("bytes", json!("0x")));
}

#[test]
fn address_of_wrong_length_or_bad_checksum() {
    assert_eq!(
        err(doc("address", json!("0x1234"))),
        Eip712Error::InvalidAddress {
            path: "message.field".into(),
            source: AddressError::WrongLength { found: 4 }
        }
    );
    assert!(matches!(
        err(doc(
            "address",
            json!("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD827")
        )),
        Eip712Error::InvalidAddress {
            source: AddressError::BadChecksum { .. },
            ..
        }
    ));
    assert!(matches!(
        err(doc("address", json!(12))),
        Eip712Error::WrongValueKind { .. }
    ));
}

#[test]
fn unknown_type_name() {
    assert_eq!(
        err(doc("Nope", json!({}))),
        Eip712Error::UnknownType {
            path: "types.T[0].type".into(),
            type_name: "Nope".into()
        }
    );
}

#[test]
fn invalid_type_names() {
    for ty in [
        "uint7", "bytes33", "int264", "uint8[0]", "uint8[x]", "string]",
    ] {
        assert!(
            matches!(err(doc(ty, json!(1))), Eip712Error::InvalidType { ref path, .. } if path == "types.T[0].type"),
            "{ty}"
        );
    }
}

#[test]
fn primary_type_missing_from_types() {
    let mut d = doc("uint8", json!(1));
    d["primaryType"] = json!("Missing");
    assert_eq!(
        err(d),
        Eip712Error::MissingPrimaryType {
            primary_type: "Missing".into()
        }
    );
}

#[test]
fn fixed_array_of_the_wrong_length() {
    assert_eq!(
        err(doc("uint8[3]", json!([1, 2]))),
        Eip712Error::ArrayLength {
            path: "message.field".into(),
            type_name: "uint8[3]".into(),
            expected: 3,
            found: 2
        }
    );
    // Nested: the inner arrays of `uint8[2][]` must have two elements each.
    assert!(matches!(
        err(doc("uint8[2][]", json!([[1, 2], [3]]))),
        Eip712Error::ArrayLength { ref path, .. } if path == "message.field[1]"
    ));
}

#[test]
fn non_boolean_bool() {
    for v in [json!("true"), json!(1), json!(null)] {
        assert!(matches!(
            err(doc("bool", v)),
            Eip712Error::WrongValueKind { ref path, expected: "true or false", .. } if path == "message.field"
        ));
    }
}

#[test]
fn missing_field_names_the_nested_path() {
    let d = json!({
        "types": {
            "Mail": [{"name": "to", "type": "Person[]"}],
            "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}]
        },
        "primaryType": "Mail",
        "domain": {"name": "x"},
        "message": {"to": [
            {"name": "a", "wallet": "0x0000000000000000000000000000000000000001"},
            {"name": "b"}
        ]}
    });
    assert_eq!(
        err(d),
        Eip712Error::MissingField {
            path: "message.to[1].wallet".into(),
            type_name: "address".into()
        }
    );
}

#[test]
fn null_where_a_struct_is_expected() {
    let d = json!({
        "types": {"A": [{"name": "b", "type": "B"}], "B": [{"name": "x", "type": "uint8"}]},
        "primaryType": "A",
        "domain": {},
        "message": {"b": null}
    });
    assert_eq!(
        err(d),
        Eip712Error::NullStruct {
            path: "message.b".into(),
            type_name: "B".into()
        }
    );
}

#[test]
fn nesting_deeper_than_the_limit() {
    // A self-referential type nested far deeper than MAX_DEPTH: refused, no stack overflow.
    fn nested(levels: usize) -> Value {
        let mut v = json!({"children": []});
        for _ in 0..levels {
            v = json!({"children": [v]});
        }
        v
    }
    let make = |levels| {
        json!({
            "types": {"Node": [{"name": "children", "type": "Node[]"}]},
            "primaryType": "Node",
            "domain": {},
            "message": nested(levels),
        })
    };
    // Each level is a struct inside an array: two levels of depth.
    ok(make(MAX_DEPTH / 2 - 1));
    assert!(matches!(err(make(MAX_DEPTH)), Eip712Error::TooDeep { .. }));
    // JSON text nested beyond the JSON parser's own limit is an error too.
    let deep_text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(
        deep_text.parse::<TypedData>(),
        Err(Eip712Error::Json { .. })
    ));
}

#[test]
fn input_that_is_not_the_expected_json_shape() {
    assert!(matches!(
        "not json".parse::<TypedData>(),
        Err(Eip712Error::Json { .. })
    ));
    assert!(matches!(
        err(json!([1, 2])),
        Eip712Error::Shape { ref path, .. } if path == "(root)"
    ));
    let mut d = doc("uint8", json!(1));
    d["types"] = json!({"T": {"name": "field"}});
    assert!(matches!(err(d), Eip712Error::Shape { ref path, .. } if path == "types.T"));
    let mut d = doc("uint8", json!(1));
    d["types"]["T"][0]["type"] = json!(5);
    assert!(matches!(err(d), Eip712Error::Shape { ref path, .. } if path == "types.T[0].type"));
    let mut d = doc("uint8", json!(1));
    d.as_object_mut().unwrap().remove("domain");
    assert!(matches!(err(d), Eip712Error::Shape { ref path, .. } if path == "domain"));
    let mut d = doc("uint8", json!(1));
    d["message"] = json!([1]);
    assert!(matches!(err(d), Eip712Error::WrongValueKind { ref path, .. } if path == "message"));
    assert!(matches!(
        err(doc("string", json!(["x"]))),
        Eip712Error::WrongValueKind {
            found: "an array",
            ..
        }
    ));
}

#[test]
fn domain_keys_outside_the_canonical_five_need_a_domain_type() {
    let mut d = doc("uint8", json!(1));
    d["domain"]["extra"] = json!("x");
    assert_eq!(
        err(d.clone()),
        Eip712Error::UnknownDomainField {
            field: "extra".into()
        }
    );
    // Declared in EIP712Domain, a custom field is fine.
    d["types"]["EIP712Domain"] = json!([
        {"name": "name", "type": "string"},
        {"name": "chainId", "type": "uint256"},
        {"name": "extra", "type": "string"}
    ]);
    let typed = ok(d.clone());
    assert_eq!(
        typed.encode_type("EIP712Domain").unwrap(),
        "EIP712Domain(string name,uint256 chainId,string extra)"
    );
    // A declared field missing from the domain is an error with its path.
    d["domain"].as_object_mut().unwrap().remove("extra");
    assert_eq!(
        err(d),
        Eip712Error::MissingField {
            path: "domain.extra".into(),
            type_name: "string".into()
        }
    );
}

#[test]
fn chain_id_as_number_or_string_and_inferred_order() {
    let a = ok(json!({
        "types": {"T": []}, "primaryType": "T", "message": {},
        "domain": {"chainId": 42161, "name": "Pear Protocol", "version": "1"}
    }));
    let b = ok(json!({
        "types": {"T": []}, "primaryType": "T", "message": {},
        "domain": {"name": "Pear Protocol", "version": "1", "chainId": "42161"}
    }));
    let c = ok(json!({
        "types": {"T": []}, "primaryType": "T", "message": {},
        "domain": {"name": "Pear Protocol", "version": "1", "chainId": "0xa4b1"}
    }));
    assert_eq!(a.domain_separator(), b.domain_separator());
    assert_eq!(a.domain_separator(), c.domain_separator());
    assert_eq!(
        a.encode_type("EIP712Domain").unwrap(),
        "EIP712Domain(string name,string version,uint256 chainId)"
    );
    assert_eq!(a.domain().chain_id.and_then(|c| c.to_u64()), Some(42161));
}

#[test]
fn duplicate_field_and_bad_struct_names() {
    let d = json!({
        "types": {"T": [{"name": "a", "type": "uint8"}, {"name": "a", "type": "uint8"}]},
        "primaryType": "T", "domain": {}, "message": {"a": 1}
    });
    assert!(matches!(err(d), Eip712Error::DuplicateField { .. }));
    let d = json!({
        "types": {"T(x)": []},
        "primaryType": "T(x)", "domain": {}, "message": {}
    });
    assert!(matches!(err(d), Eip712Error::InvalidType { .. }));
}

#[test]
fn errors_are_send_sync_static_and_lowercase() {
    fn assert_error<E: std::error::Error + Send + Sync + 'static>(_: &E) {}
    let e = err(doc("uint8", json!(256)));
    assert_error(&e);
    let text = e.to_string();
    assert!(!text.ends_with('.'));
    assert!(text.starts_with("message.field"));
}

#[test]
fn dollar_in_struct_names_is_refused() {
    // viem and eth-sig-util stop dependency names at `$`, so such names hash differently.
    let d = json!({
        "types": {"T": [{"name": "a", "type": "Foo$Bar"}], "Foo$Bar": []},
        "primaryType": "T", "domain": {}, "message": {"a": {}}
    });
    assert!(matches!(err(d), Eip712Error::InvalidType { .. }));
}

#[test]
fn quadratic_encode_type_is_bounded() {
    // A chain of types each referencing the next: every typeHash repeats the rest of the
    // chain. Long field names make the total explode; it must be refused, quickly.
    let mut types = serde_json::Map::new();
    let long = "f".repeat(2000);
    for i in 0..1000 {
        let next = if i == 999 {
            "uint8".to_owned()
        } else {
            format!("T{}", i + 1)
        };
        types.insert(format!("T{i}"), json!([{"name": long, "type": next}]));
    }
    let d = json!({"types": types, "primaryType": "T0", "domain": {}, "message": {}});
    assert!(matches!(err(d), Eip712Error::TypesTooLarge { .. }));
}

#[test]
fn many_fields_are_checked_in_linear_time() {
    // 50k distinct fields: the duplicate check must not be quadratic (this would take
    // many seconds if it were); the message lacks them, so the first is reported missing.
    let fields: Vec<Value> = (0..50_000)
        .map(|i| json!({"name": format!("f{i}"), "type": "uint8"}))
        .collect();
    let d = json!({"types": {"T": fields}, "primaryType": "T", "domain": {}, "message": {}});
    assert!(matches!(err(d), Eip712Error::MissingField { ref path, .. } if path == "message.f0"));
}

#[test]
fn rust_values_must_suit_their_types() {
    use auth_signing::eip712::{Eip712Domain, TypedValue as V, Types};
    let types = Types::new().with_struct("T", [("s", "string"), ("n", "uint8"), ("b", "bytes2")]);
    let domain = Eip712Domain::default().with_name("x");
    let good = V::structure([
        ("s", V::from("hi")),
        ("n", V::from(7u64)),
        ("b", V::Bytes(vec![1, 2])),
    ]);
    TypedData::new(&domain, types.clone(), "T", good).unwrap();
    // Bytes in a string field would sign the text "0x0102": refused.
    let bytes_as_string = V::structure([
        ("s", V::Bytes(vec![1, 2])),
        ("n", V::from(7u64)),
        ("b", V::Bytes(vec![1, 2])),
    ]);
    assert!(matches!(
        TypedData::new(&domain, types.clone(), "T", bytes_as_string),
        Err(Eip712Error::WrongValueKind { ref path, expected: "TypedValue::String", .. }) if path == "message.s"
    ));
    // A string holding digits is not an integer.
    let text_as_number = V::structure([
        ("s", V::from("hi")),
        ("n", V::from("7")),
        ("b", V::Bytes(vec![1, 2])),
    ]);
    assert!(matches!(
        TypedData::new(&domain, types.clone(), "T", text_as_number),
        Err(Eip712Error::WrongValueKind { .. })
    ));
    let duplicate = V::structure([
        ("s", V::from("a")),
        ("s", V::from("b")),
        ("n", V::from(7u64)),
        ("b", V::Bytes(vec![1, 2])),
    ]);
    assert!(matches!(
        TypedData::new(&domain, types, "T", duplicate),
        Err(Eip712Error::DuplicateField { .. })
    ));
}

#[test]
fn domain_summary_shows_only_canonically_typed_fields() {
    // chainId declared as a string: it was not signed as a chain id, so the summary that
    // clients check before signing must not report one.
    let d = json!({
        "types": {
            "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "chainId", "type": "string"}],
            "T": []
        },
        "primaryType": "T",
        "domain": {"name": "Pear Protocol", "chainId": "42161"},
        "message": {}
    });
    let typed = ok(d);
    assert_eq!(typed.domain().name.as_deref(), Some("Pear Protocol"));
    assert_eq!(typed.domain().chain_id, None);
}

#[test]
fn uint_and_int_without_a_width_are_refused() {
    // The EIP defines no aliases, and the libraries disagree on what these would mean.
    for (ty, fix) in [
        ("uint", "write uint256"),
        ("int", "write int256"),
        ("uint[]", "write uint256"),
        ("int[2]", "write int256"),
    ] {
        let e = err(doc(ty, json!(1)));
        assert!(
            matches!(e, Eip712Error::InvalidType { ref path, .. } if path == "types.T[0].type"),
            "{ty}: {e:?}"
        );
        assert!(e.to_string().contains(fix), "{ty}: {e}");
    }
    ok(doc("uint256", json!(1)));
    ok(doc("int256", json!(-1)));
}

#[test]
fn message_members_the_type_does_not_declare_are_refused() {
    // Otherwise the user signs less than the document shows.
    let unknown = |path: &str, type_name: &str| Eip712Error::UnknownField {
        path: path.into(),
        type_name: type_name.into(),
    };
    let mut d = doc("uint8", json!(1));
    d["message"]["extra"] = json!("not signed");
    assert_eq!(err(d.clone()), unknown("message.extra", "T"));
    assert_eq!(
        TypedData::from_json_str(&d.to_string()).unwrap_err(),
        unknown("message.extra", "T")
    );
    let e = err(d).to_string();
    assert!(e.contains("declare it in types.T or remove it"), "{e}");

    // In a nested struct, inside an array; the first undeclared key in sorted order.
    let nested = json!({
        "types": {
            "Mail": [{"name": "to", "type": "Person[]"}],
            "Person": [{"name": "name", "type": "string"}]
        },
        "primaryType": "Mail",
        "domain": {"name": "x"},
        "message": {"to": [{"name": "a"}, {"name": "b", "zz": 1, "amount": 2}]}
    });
    assert_eq!(
        err(nested.clone()),
        unknown("message.to[1].amount", "Person")
    );
    assert_eq!(
        TypedData::from_json_str(&nested.to_string()).unwrap_err(),
        unknown("message.to[1].amount", "Person")
    );

    // Large structs take the indexed path.
    let fields: Vec<Value> = (0..40)
        .map(|i| json!({"name": format!("f{i}"), "type": "uint8"}))
        .collect();
    let mut message: serde_json::Map<String, Value> =
        (0..40).map(|i| (format!("f{i}"), json!(i))).collect();
    let big = |message: serde_json::Map<String, Value>| json!({"types": {"T": fields.clone()}, "primaryType": "T", "domain": {}, "message": message});
    ok(big(message.clone()));
    message.insert("g".into(), json!(0));
    assert_eq!(err(big(message.clone())), unknown("message.g", "T"));
    assert_eq!(
        TypedData::from_json_str(&big(message).to_string()).unwrap_err(),
        unknown("message.g", "T")
    );

    // A repeated declared key is one member (the last counts), not an undeclared one.
    let repeated = r#"{"types": {"T": [{"name": "a", "type": "uint8"}]}, "primaryType": "T",
        "domain": {}, "message": {"a": 1, "a": 2}}"#;
    TypedData::from_json_str(repeated).unwrap();

    // Top-level keys besides the four stay allowed: Pear sends a `timestamp` there.
    let mut d = doc("uint8", json!(1));
    d["timestamp"] = json!(1732076598);
    ok(d.clone());
    TypedData::from_json_str(&d.to_string()).unwrap();
}

#[test]
fn rust_struct_values_with_undeclared_fields_are_refused() {
    use auth_signing::eip712::{Eip712Domain, TypedValue as V, Types};
    let types = Types::new()
        .with_struct("Mail", [("from", "Person"), ("note", "string")])
        .with_struct("Person", [("name", "string")]);
    let domain = Eip712Domain::default().with_name("x");
    let person = |extra: bool| {
        let mut fields = vec![("name", V::from("a"))];
        if extra {
            fields.push(("wallet", V::from("0x01")));
        }
        V::structure(fields)
    };
    let good = V::structure([("from", person(false)), ("note", V::from("hi"))]);
    TypedData::new(&domain, types.clone(), "Mail", good).unwrap();
    let top = V::structure([
        ("from", person(false)),
        ("note", V::from("hi")),
        ("cc", V::from("x")),
    ]);
    assert_eq!(
        TypedData::new(&domain, types.clone(), "Mail", top).unwrap_err(),
        Eip712Error::UnknownField {
            path: "message.cc".into(),
            type_name: "Mail".into()
        }
    );
    let nested = V::structure([("from", person(true)), ("note", V::from("hi"))]);
    assert_eq!(
        TypedData::new(&domain, types, "Mail", nested).unwrap_err(),
        Eip712Error::UnknownField {
            path: "message.from.wallet".into(),
            type_name: "Person".into()
        }
    );
}

#[test]
fn exact_integral_json_numbers_are_accepted() {
    // Python's json writes 5.0 for a float that holds 5: it is the integer 5.
    let text = |ty: &str, n: &str| {
        doc(ty, json!(0))
            .to_string()
            .replace(r#""field":0"#, &format!(r#""field":{n}"#))
    };
    for (ty, n, same_as) in [
        ("uint256", "5.0", json!(5)),
        ("uint8", "255.0", json!(255)),
        ("uint256", "0.0", json!(0)),
        ("uint256", "-0.0", json!(0)),
        ("int8", "-128.0", json!(-128)),
        ("int256", "-3.000", json!(-3)),
        ("uint256", "1e3", json!(1000)),
        ("uint256", "1.5e1", json!(15)),
        ("uint256", "1732076598.0", json!(1732076598)),
        ("uint256", "1e12", json!(1_000_000_000_000u64)),
        ("uint256", "1099511627775.0", json!(1_099_511_627_775u64)),
        ("int256", "-1099511627775.000", json!(-1_099_511_627_775i64)),
    ] {
        let expected = ok(doc(ty, same_as)).hashes();
        let from_value = TypedData::from_json_value(serde_json::from_str(&text(ty, n)).unwrap())
            .unwrap_or_else(|e| panic!("{ty} {n}: {e}"));
        assert_eq!(from_value.hashes(), expected, "{ty} {n}");
        let from_text =
            TypedData::from_json_str(&text(ty, n)).unwrap_or_else(|e| panic!("{n}: {e}"));
        assert_eq!(from_text.hashes(), expected, "{ty} {n}");
    }
    // Range and sign are still checked.
    assert!(matches!(
        TypedData::from_json_str(&text("uint8", "256.0")),
        Err(Eip712Error::IntegerOutOfRange { .. })
    ));
    assert!(matches!(
        TypedData::from_json_str(&text("uint8", "-1.0")),
        Err(Eip712Error::NegativeUnsigned { .. })
    ));
    // The domain's chainId too.
    let mut d = doc("uint8", json!(1));
    d["domain"]["chainId"] = serde_json::from_str("42161.0").unwrap();
    let mut same = doc("uint8", json!(1));
    same["domain"]["chainId"] = json!(42161);
    assert_eq!(ok(d).hashes(), ok(same).hashes());
}

#[test]
fn field_names_must_be_identifiers() {
    // One `address` field whose name spells out the rest of Pear's type: its encodeType
    // is exactly Pear's, yet the hash ignores the timestamp, client id and action.
    let forged = json!({
        "types": {"Authentication": [{
            "name": "address,string clientId,uint256 timestamp,string action",
            "type": "address"
        }]},
        "primaryType": "Authentication",
        "domain": {"name": "Pear Protocol", "version": "1", "chainId": 42161},
        "message": {"address,string clientId,uint256 timestamp,string action":
            "0xad1c2d81e22c7a4edfe1901bc68f97f4c34d297d"}
    });
    let e = err(forged.clone());
    assert_eq!(
        e,
        Eip712Error::InvalidFieldName {
            path: "types.Authentication[0].name".into(),
            field: "address,string clientId,uint256 timestamp,string action".into()
        }
    );
    assert!(e.to_string().contains("identifier"), "{e}");
    assert_eq!(
        TypedData::from_json_str(&forged.to_string()).unwrap_err(),
        e
    );

    let named = |name: &str| {
        json!({
            "types": {"T": [{"name": "ok", "type": "uint8"}, {"name": name, "type": "uint8"}]},
            "primaryType": "T", "domain": {}, "message": {"ok": 1, name: 2}
        })
    };
    for bad in [
        "", "1a", "a b", "a-b", "a,b", "a(b)", "a.b", "é", "a\u{0}", " a",
    ] {
        assert!(
            matches!(err(named(bad)), Eip712Error::InvalidFieldName { ref path, .. } if path == "types.T[1].name"),
            "{bad:?}"
        );
    }
    for good in ["a", "_", "$", "$a", "a$1", "A_9", "_0", "clientId"] {
        ok(named(good));
    }

    // In a nested struct, and in the domain type.
    let nested = json!({
        "types": {"T": [{"name": "p", "type": "P"}], "P": [{"name": "x y", "type": "uint8"}]},
        "primaryType": "T", "domain": {}, "message": {"p": {"x y": 1}}
    });
    assert!(
        matches!(err(nested), Eip712Error::InvalidFieldName { ref path, .. } if path == "types.P[0].name")
    );
    let domain = json!({
        "types": {"T": [], "EIP712Domain": [{"name": "na me", "type": "string"}]},
        "primaryType": "T", "domain": {"na me": "x"}, "message": {}
    });
    assert!(
        matches!(err(domain), Eip712Error::InvalidFieldName { ref path, .. } if path == "types.EIP712Domain[0].name")
    );

    // Types built in Rust are held to the same rule.
    use auth_signing::eip712::{Eip712Domain, TypedValue as V, Types};
    let types = Types::new().with_struct("T", [("a b", "uint8")]);
    assert!(matches!(
        TypedData::new(
            &Eip712Domain::default(),
            types,
            "T",
            V::structure([("a b", V::from(1u64))])
        ),
        Err(Eip712Error::InvalidFieldName { .. })
    ));
}

#[test]
fn struct_names_must_be_identifiers_and_name_their_path() {
    for bad in ["T(x)", "T x", "1T", "T,U", "T.U", "T-U", ""] {
        let d = json!({
            "types": {"M": [{"name": "t", "type": bad}], bad: []},
            "primaryType": "M", "domain": {}, "message": {"t": {}}
        });
        let e = err(d);
        assert!(
            matches!(e, Eip712Error::InvalidType { ref path, .. } if *path == format!("types.{bad}") || path == "types.M[0].type"),
            "{bad:?}: {e:?}"
        );
    }
    let d = json!({
        "types": {"T(x)": []},
        "primaryType": "T(x)", "domain": {}, "message": {}
    });
    assert!(matches!(err(d), Eip712Error::InvalidType { ref path, .. } if path == "types.T(x)"));
}

/// Typed data often comes from a server: what an error quotes of it (type names, paths,
/// the primary type) never carries a terminal escape or an invisible character.
#[test]
fn errors_escape_control_and_invisible_characters_of_the_document() {
    let hostile = "Mail\u{1b}]0;owned\u{7}\u{1b}[2J\u{1b}[32mOK\u{202e}\u{200b}";
    let unknown_primary = json!({
        "types": { "EIP712Domain": [] },
        "primaryType": hostile,
        "domain": {},
        "message": {}
    });
    let unknown_type = json!({
        "types": { "EIP712Domain": [], "Mail": [{ "name": "to", "type": hostile }] },
        "primaryType": "Mail",
        "domain": {},
        "message": { "to": 1 }
    });
    for document in [unknown_primary, unknown_type] {
        let error = err(document);
        for shown in [error.to_string(), format!("{error:?}")] {
            assert!(
                !shown
                    .chars()
                    .any(|c| c.is_control() || ('\u{200b}'..='\u{202e}').contains(&c)),
                "{shown:?}"
            );
        }
        assert!(error.to_string().contains("\\u{1b}"), "{error}");
    }
}
