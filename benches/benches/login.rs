//! Benchmark 6: a full Pear login (fetch the EIP-712 message, sign it, post the login)
//! against the sandbox on loopback: `PearClient::login_eip712` against a hand-written
//! reqwest sequence of the same two requests.
//!
//! Both sides sign with the same `LocalEthSigner` and talk to the same sandbox over kept-
//! alive connections, so the ratio is what the client layer costs: the message checks,
//! the transport's body cap and timeouts, typed response decoding. The baseline checks
//! nothing but the HTTP status.
//!
//! `cargo bench --manifest-path benches/Cargo.toml --bench login`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use auth_sandbox::{Sandbox, SandboxConfig};
use auth_signing::eip712::TypedData;
use auth_signing::ethereum::LocalEthSigner;
use auth_transport::ReqwestTransport;
use benches::eth_key_hex;
use criterion::{Criterion, criterion_group, criterion_main};
use pear_auth::PearClient;
use serde_json::{Value, json};

/// The hand-written login: what someone would write with reqwest and serde_json alone.
async fn login_by_hand(http: &reqwest::Client, base: &str, signer: &LocalEthSigner) -> String {
    let address = signer.address().to_lowercase_hex();
    let message: Value = serde_json::from_slice(
        &http
            .get(format!(
                "{base}/auth/eip712-message?address={address}&clientId=APITRADER"
            ))
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap()
            .bytes()
            .await
            .unwrap(),
    )
    .unwrap();
    let timestamp = message["timestamp"].as_u64().unwrap();
    let typed = TypedData::from_json_value(message).unwrap();
    let signature = signer.sign_typed_data(&typed).unwrap();
    let body = json!({
        "method": "eip712",
        "address": address,
        "clientId": "APITRADER",
        "details": {"signature": signature.to_string(), "timestamp": timestamp},
    });
    let tokens: Value = serde_json::from_slice(
        &http
            .post(format!("{base}/auth/login"))
            .header("content-type", "application/json")
            .body(serde_json::to_vec(&body).unwrap())
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap()
            .bytes()
            .await
            .unwrap(),
    )
    .unwrap();
    tokens["accessToken"].as_str().unwrap().to_owned()
}

fn full_login(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let sandbox = runtime
        .block_on(Sandbox::start(SandboxConfig::default()))
        .unwrap();
    let base = sandbox.pear_url();
    let signer = LocalEthSigner::from_hex(&eth_key_hex()).unwrap();

    let client = PearClient::builder()
        .base_url(base.clone())
        .transport(ReqwestTransport::new().unwrap())
        .build()
        .unwrap();
    // reqwest is built without a default TLS provider (as in auth-transport); plain HTTP
    // on loopback needs none, but the builder wants one installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap();

    // Both work, and both get a token the sandbox issued.
    runtime.block_on(async {
        let ours = client.login_eip712(&signer).await.unwrap();
        let token_len = ours.access_token.expose_secret().len();
        assert!(token_len > 0);
        eprintln!("the sandbox's Pear access token is {token_len} bytes");
        assert!(!login_by_hand(&http, &base, &signer).await.is_empty());
    });

    let mut group = c.benchmark_group("6_pear_login_loopback");
    group.bench_function("ours", |b| {
        b.iter(|| runtime.block_on(client.login_eip712(&signer)).unwrap())
    });
    group.bench_function("reqwest_by_hand", |b| {
        b.iter(|| runtime.block_on(login_by_hand(&http, &base, &signer)))
    });
    group.finish();
    runtime.block_on(sandbox.shutdown());
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .sample_size(30)
}

criterion_group! {
    name = benches;
    config = config();
    targets = full_login
}
criterion_main!(benches);
