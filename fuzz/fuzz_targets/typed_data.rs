//! Typed-data JSON -> parse -> all three hashes, `encodeType`, and the same document
//! parsed as a `serde_json::Value` giving the same hashes.
#![no_main]

use auth_signing::eip712::TypedData;
use auth_signing::keccak256;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let typed = match TypedData::from_json_str(text) {
        Ok(typed) => typed,
        Err(e) => {
            // Formatting an error must not panic either.
            let _ = format!("{e} {e:?}");
            return;
        }
    };

    let hashes = typed.hashes();
    assert_eq!(hashes.domain_separator, typed.domain_separator());
    assert_eq!(hashes.struct_hash, typed.struct_hash());
    assert_eq!(hashes.signing_hash, typed.signing_hash());

    let primary = typed.primary_type().to_owned();
    let encoded = typed
        .encode_type(&primary)
        .expect("the primary type has an encodeType");
    assert!(encoded.starts_with(&format!("{primary}(")), "{encoded}");
    assert_eq!(
        typed.type_hash(&primary),
        Some(keccak256(encoded.as_bytes())),
        "typeHash is keccak256(encodeType)"
    );
    let domain_type = typed
        .encode_type("EIP712Domain")
        .expect("the domain type has an encodeType");
    assert!(domain_type.starts_with("EIP712Domain("), "{domain_type}");
    let _ = format!("{typed:?} {:?}", typed.domain());

    // The same text read as a `serde_json::Value` first signs the same.
    let value: serde_json::Value = serde_json::from_str(text).expect("accepted text is JSON");
    let again = TypedData::from_json_value(value)
        .unwrap_or_else(|e| panic!("the document as a JSON value does not parse: {e}"));
    assert_eq!(
        again.hashes(),
        hashes,
        "the document as a JSON value hashes differently"
    );
    assert_eq!(
        again.encode_type(&primary).as_deref(),
        Some(encoded.as_str())
    );
    assert_eq!(again.domain(), typed.domain());
});
