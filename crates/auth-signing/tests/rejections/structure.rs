//! Documents of the wrong shape: missing, null, undeclared and nested members, the domain,
//! and Rust values that do not suit their types.

use auth_signing::eip712::{Eip712Error, MAX_DEPTH, TypedData};
use serde_json::{Value, json};

use super::{doc, err, ok};

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
