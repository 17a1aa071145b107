//! Bad `types`: unknown and malformed type names, struct and field names, and the bounds
//! on hostile type definitions.

use auth_signing::eip712::{Eip712Error, TypedData};
use serde_json::{Value, json};

use super::{doc, err, ok};

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
