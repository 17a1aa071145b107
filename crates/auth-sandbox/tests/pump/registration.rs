//! Registering APIs: what `Sandbox::start` serves (Pear, pump.fun, SIWE, SIWS), pump.fun
//! served alone through the builder, and the conveniences of an API that is not served.

use std::io::ErrorKind;
use std::time::SystemTime;

use auth_sandbox::{PearApi, PumpApi, Sandbox, SandboxConfig, SiweApi, SiwsApi};
use auth_test_support::keys::{eth_signer, solana_keypair as keypair};

use super::{ORIGIN, documented_login, now_ms};
use crate::common::post;

#[tokio::test]
async fn start_serves_pear_pump_siwe_and_siws_each_on_its_own_port() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    assert_eq!(
        sb.api_names().collect::<Vec<_>>(),
        ["pear", "pump", "siwe", "siws"]
    );
    assert_eq!(sb.url_of(PearApi::NAME), Some(sb.pear_url()));
    assert_eq!(sb.url_of(PumpApi::NAME), Some(sb.pump_url()));
    assert_eq!(sb.url_of(SiweApi::NAME), Some(sb.siwe_url()));
    assert_eq!(sb.url_of(SiwsApi::NAME), Some(sb.siws_url()));
    let mut urls = [sb.pear_url(), sb.pump_url(), sb.siwe_url(), sb.siws_url()];
    urls.sort();
    assert!(urls.windows(2).all(|w| w[0] != w[1]), "{urls:?}");
    assert_eq!(sb.url_of("siwx"), None);
    assert!(sb.api_counts(SiweApi::NAME).contains(&("logins", 0)));
    let debug = format!("{sb:?}");
    assert!(
        debug.contains(&format!("pear_url: {:?}", sb.pear_url())),
        "{debug}"
    );
    assert!(
        debug.contains(&format!("pump_url: {:?}", sb.pump_url())),
        "{debug}"
    );
}

#[tokio::test]
async fn a_builder_serves_only_the_apis_it_registers() {
    let sb = Sandbox::builder(SandboxConfig::default())
        .api(PumpApi)
        .start()
        .await
        .unwrap();
    assert_eq!(sb.api_names().collect::<Vec<_>>(), ["pump"]);
    let pump = sb.url_of(PumpApi::NAME).unwrap();
    assert_eq!(pump, sb.pump_url());
    assert_eq!(sb.url_of(PearApi::NAME), None);
    assert_eq!(sb.pear_url(), "");
    // pump.fun works as in a full sandbox.
    let login = post(
        &format!("{pump}/auth/login"),
        &documented_login(&keypair(30), now_ms()),
        &[ORIGIN],
    )
    .await;
    assert_eq!(login.status, 201, "{:?}", login.body);
    let token = login.body["token"].as_str().unwrap();
    assert!(sb.pump_token_valid_at(token, SystemTime::now()));
    assert_eq!(sb.counters().pump_logins, 1);
    // The API's own counts, by name, say the same as the flat counters.
    let counts = sb.api_counts(PumpApi::NAME);
    let count = |name: &str| counts.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
    assert_eq!(count("logins"), Some(1));
    assert_eq!(count("logouts"), Some(sb.counters().pump_logouts));
    assert_eq!(count("login_refusals"), Some(0));
    assert!(
        sb.api_counts(PearApi::NAME).is_empty(),
        "Pear is not served"
    );
    // Pear's conveniences do nothing without Pear.
    assert!(
        sb.issue_api_key(eth_signer(1).address())
            .expose_secret()
            .is_empty()
    );
    assert!(!sb.pear_access_token_valid_at(token, SystemTime::now()));
    sb.set_hostile(true);
    assert_eq!(sb.counters().pear_messages, 0);
    // Revocation works for whichever API issued the token.
    assert!(sb.revoke(token));
    assert!(!sb.pump_token_valid_at(token, SystemTime::now()));
    sb.shutdown().await;
}

#[tokio::test]
async fn an_api_registered_twice_is_refused() {
    let started = Sandbox::builder(SandboxConfig::default())
        .api(PumpApi)
        .api(PumpApi)
        .start()
        .await;
    assert_eq!(started.unwrap_err().kind(), ErrorKind::InvalidInput);
}

#[tokio::test]
async fn a_builder_without_apis_serves_nothing() {
    let sb = Sandbox::builder(SandboxConfig::default())
        .start()
        .await
        .unwrap();
    assert_eq!(sb.api_names().count(), 0);
    assert_eq!(sb.counters(), auth_sandbox::Counters::default());
    assert!(!sb.revoke("not-a-token"));
}
