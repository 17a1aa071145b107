//! The whole EIP-712 domain of a login message is checked before signing, against live
//! Pear's values by default or configured ones; and the optional `details.chainId` the
//! EIP-712 login sends.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use auth_test_support::pear::{live_domain, login_message};
use auth_test_support::transport::canned;
use auth_types::EvmAddress;
use pear_auth::PearFailure;
use pear_auth::{PearClient, PearClientBuilder, PearDomain, PearError};
use serde_json::{Value, json};

const NOW: u64 = 1_750_000_000;
const ADDRESS: &str = "0xad1c2d81e22c7a4edfe1901bc68f97f4c34d297d";

fn message(domain: Value) -> Vec<u8> {
    message_for(ADDRESS, domain)
}

fn message_for(address: &str, domain: Value) -> Vec<u8> {
    login_message(address, NOW, domain).into_bytes()
}

fn builder(domain: Value) -> PearClientBuilder {
    PearClient::builder()
        .base_url("http://127.0.0.1:9")
        .transport(canned(200, message(domain)))
        .clock(|| UNIX_EPOCH + Duration::from_secs(NOW))
}

async fn fetch(builder: PearClientBuilder) -> Result<pear_auth::LoginMessage, PearError> {
    let address: EvmAddress = ADDRESS.parse().unwrap();
    builder.build().unwrap().eip712_message(&address).await
}

fn with(field: &str, value: Value) -> Value {
    let mut domain = live_domain();
    if value.is_null() {
        domain.as_object_mut().unwrap().remove(field);
    } else {
        domain[field] = value;
    }
    domain
}

#[tokio::test]
async fn the_live_domain_passes_by_default() {
    let message = fetch(builder(live_domain())).await.unwrap();
    assert_eq!(message.timestamp(), NOW);
}

#[tokio::test]
async fn each_differing_field_is_refused_and_named() {
    for (field, value, found) in [
        ("name", json!("Pear"), "`Pear`"),
        ("version", json!("2"), "`2`"),
        ("chainId", json!(1), "1"),
        ("chainId", Value::Null, "absent"),
        (
            "verifyingContract",
            json!("0x0000000000000000000000000000000000000002"),
            "0x0000000000000000000000000000000000000002",
        ),
        ("verifyingContract", Value::Null, "absent"),
        ("version", Value::Null, "absent"),
    ] {
        let err = fetch(builder(with(field, value))).await.unwrap_err();
        match &err {
            PearError::Provider(PearFailure::UnexpectedDomain {
                field: named,
                found: seen,
                ..
            }) => {
                assert_eq!(*named, field, "{err}");
                assert_eq!(seen, found, "{err}");
            }
            other => panic!("{field}: {other:?}"),
        }
        let text = err.to_string();
        assert!(text.contains(field), "{text}");
        assert!(text.contains("nothing was signed"), "{text}");
    }
}

#[tokio::test]
async fn a_salt_is_refused() {
    let domain = with(
        "salt",
        json!("0x0101010101010101010101010101010101010101010101010101010101010101"),
    );
    let err = fetch(builder(domain)).await.unwrap_err();
    assert!(
        matches!(
            err,
            PearError::Provider(PearFailure::UnexpectedDomain { field: "salt", .. })
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_configured_domain_replaces_the_live_one() {
    let contract: EvmAddress = "0x00000000000000000000000000000000000000aa"
        .parse()
        .unwrap();
    let staging = PearDomain::default()
        .with_version("2")
        .with_chain_id(421_614)
        .with_verifying_contract(contract);
    let served = json!({
        "name": "Pear Protocol",
        "version": "2",
        "chainId": 421_614,
        "verifyingContract": "0x00000000000000000000000000000000000000aa",
    });
    fetch(builder(served.clone()).expected_domain(staging.clone()))
        .await
        .unwrap();
    // The live domain is now the wrong one.
    let err = fetch(builder(live_domain()).expected_domain(staging))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, PearError::Provider(PearFailure::UnexpectedDomain { field: "version", expected, .. }) if expected == "`2`"),
        "{err:?}"
    );
    // And the staging one is refused by default.
    let err = fetch(builder(served)).await.unwrap_err();
    assert!(
        matches!(
            err,
            PearError::Provider(PearFailure::UnexpectedDomain {
                field: "version",
                ..
            })
        ),
        "{err:?}"
    );
}

#[test]
fn the_defaults_are_live_pears() {
    let domain = PearDomain::default();
    assert_eq!(domain.version, pear_auth::DEFAULT_DOMAIN_VERSION);
    assert_eq!(domain.chain_id, 42161);
    assert_eq!(
        domain.verifying_contract,
        pear_auth::DEFAULT_VERIFYING_CONTRACT
            .parse::<EvmAddress>()
            .unwrap()
    );
}

/// A fake Pear: the login message on GET, a token pair on POST, each POST body kept.
fn fake_pear(
    address: &str,
    posted: Arc<Mutex<Vec<Value>>>,
) -> impl auth_transport::HttpTransport + 'static {
    let message = bytes::Bytes::from(message_for(address, live_domain()));
    auth_transport::from_fn(move |request: http::Request<bytes::Bytes>| {
        let body = if request.method() == http::Method::GET {
            message.clone()
        } else {
            posted
                .lock()
                .unwrap()
                .push(serde_json::from_slice(request.body()).unwrap());
            bytes::Bytes::from_static(
                br#"{"accessToken":"a","refreshToken":"r","tokenType":"Bearer","expiresIn":900}"#,
            )
        };
        async move {
            Ok(http::Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(body)
                .unwrap())
        }
    })
}

#[tokio::test]
async fn details_chain_id_is_sent_only_when_set() {
    let signer = auth_test_support::keys::eth_signer(1);
    let address = signer.address().to_lowercase_hex();
    for chain_id in [None, Some(42161)] {
        let posted = Arc::new(Mutex::new(Vec::new()));
        let mut builder = PearClient::builder()
            .base_url("http://127.0.0.1:9")
            .transport(fake_pear(&address, posted.clone()))
            .clock(|| UNIX_EPOCH + Duration::from_secs(NOW));
        if let Some(id) = chain_id {
            builder = builder.login_chain_id(id);
        }
        builder
            .build()
            .unwrap()
            .login_eip712(&signer)
            .await
            .unwrap();
        let posted = posted.lock().unwrap();
        assert_eq!(posted.len(), 1);
        let details = &posted[0]["details"];
        assert_eq!(details["timestamp"], json!(NOW));
        match chain_id {
            Some(id) => assert_eq!(details["chainId"], json!(id), "{details}"),
            None => assert!(details.get("chainId").is_none(), "{details}"),
        }
    }
}
