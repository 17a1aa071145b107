//! Atomic values that do not fit their types: integers, numbers, bytes, addresses, bools,
//! fixed arrays.

use auth_signing::eip712::{Eip712Error, TypedData};
use auth_types::AddressError;
use serde_json::{Value, json};

use super::{doc, err, ok};

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
